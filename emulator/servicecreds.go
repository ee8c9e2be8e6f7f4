package emulator

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// maxServiceCredentialsPerService is how many credentials a user may hold
// for one service (CreateServiceSpecificCredential in the API reference).
const maxServiceCredentialsPerService = 2

// serviceKinds are the services that take service-specific credentials
// (CreateServiceSpecificCredential in the API reference): CodeCommit and
// Keyspaces get a user name and password, Bedrock and CloudWatch Logs an
// API key (an alias and a secret) that may expire.
var serviceKinds = map[string]bool{ // service → takes an API key
	"codecommit.amazonaws.com": false,
	"cassandra.amazonaws.com":  false,
	"bedrock.amazonaws.com":    true,
	"logs.amazonaws.com":       true,
}

// servicePassword is a new password, 44 base64 characters as in the docs'
// examples (xTBAr/czp+D3EXAMPLE47lrP5Qh6RKdAJ7ul3Dw2Rgo=). It is never
// logged.
func servicePassword() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// serviceSecret is what the holder of a credential is handed: its
// password, or for an API key "ABSK" and the base64 of alias:password, the
// shape of Bedrock's long-term keys.
func serviceSecret(cred *store.ServiceCredential, password string) string {
	if !serviceKinds[cred.Service] {
		return password
	}
	return "ABSK" + base64.StdEncoding.EncodeToString([]byte(cred.Alias+":"+password))
}

func secretHash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret)) // a 256-bit random secret needs no stretching
	return sum[:]
}

// heldServiceCredential loads credential id of user u, or AWS's
// NoSuchEntity for it.
func heldServiceCredential(tx *store.Tx, u *store.User, id string) (*store.ServiceCredential, error) {
	cred, err := tx.ServiceCredential(u.Account, u.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchServiceCredential(id)
	}
	return cred, err
}

// serviceCredentialOf loads credential id of the user the request names
// (or the calling user) once the caller may perform action on that user.
func serviceCredentialOf(tx *store.Tx, c wire.Caller, userName *string, id, action string) (*store.User, *store.ServiceCredential, error) {
	u, err := authorizedTargetUser(tx, c, userName, action)
	if err != nil {
		return nil, nil, err
	}
	cred, err := heldServiceCredential(tx, u, id)
	return u, cred, err
}

func (e *Emulator) CreateServiceSpecificCredential(ctx context.Context, in *iam.CreateServiceSpecificCredentialInput) (*iam.CreateServiceSpecificCredentialOutput, error) {
	c := callerOf(ctx)
	apiKey, ok := serviceKinds[*in.ServiceName]
	if !ok {
		return nil, serviceNotSupported()
	}
	cred := &store.ServiceCredential{
		Account: c.Account,
		ID:      uniqueID(prefixServiceCred),
		Service: *in.ServiceName,
		Active:  true,
		Created: e.now(),
	}
	// The docs give CredentialAgeDays to API keys only; a password ignores it
	// (what AWS answers there is not evidenced).
	if apiKey && in.CredentialAgeDays != nil {
		expires := cred.Created.Add(time.Duration(*in.CredentialAgeDays) * 24 * time.Hour)
		cred.Expires = &expires
	}
	password := servicePassword() // made outside the Update, which may run twice
	var (
		u      *store.User
		secret string
	)
	err := e.db.Update(func(tx *store.Tx) error {
		var err error
		if u, err = authorizedUser(tx, c, *in.UserName, "iam:CreateServiceSpecificCredential"); err != nil {
			return err
		}
		held, err := tx.ServiceCredentials(c.Account, u.ID)
		if err != nil {
			return err
		}
		n := 0
		for _, h := range held {
			if h.Service == cred.Service {
				n++
			}
		}
		if n >= maxServiceCredentialsPerService {
			return quotaExceeded("ServiceSpecificCredentialsPerUserPerService", maxServiceCredentialsPerService)
		}
		cred.UserID = u.ID
		cred.ServiceUserName, cred.Alias = serviceNames(u.Name, c.Account, apiKey, cred.Created)
		secret = serviceSecret(cred, password)
		cred.SecretHash = secretHash(secret)
		return tx.PutServiceCredential(cred)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateServiceSpecificCredentialOutput{ServiceSpecificCredential: serviceCredentialOut(u.Name, cred, secret)}, nil
}

// serviceNames are a new credential's ServiceUserName (user-at-account, as
// the API reference shows it) or, for an API key, its alias: the user name
// with a version and creation suffix, as the reference describes it (the
// exact suffix is not evidenced).
func serviceNames(user, account string, apiKey bool, created time.Time) (userName, alias string) {
	if apiKey {
		return "", user + "+1-" + strconv.FormatInt(created.Unix(), 10)
	}
	return user + "-at-" + account, ""
}

func (e *Emulator) ResetServiceSpecificCredential(ctx context.Context, in *iam.ResetServiceSpecificCredentialInput) (*iam.ResetServiceSpecificCredentialOutput, error) {
	c := callerOf(ctx)
	password := servicePassword() // made outside the Update, which may run twice
	var (
		u      *store.User
		cred   *store.ServiceCredential
		secret string
	)
	err := e.db.Update(func(tx *store.Tx) error {
		var err error
		if u, cred, err = serviceCredentialOf(tx, c, in.UserName, *in.ServiceSpecificCredentialId, "iam:ResetServiceSpecificCredential"); err != nil {
			return err
		}
		secret = serviceSecret(cred, password)
		cred.SecretHash = secretHash(secret)
		return tx.PutServiceCredential(cred)
	})
	if err != nil {
		return nil, err
	}
	return &iam.ResetServiceSpecificCredentialOutput{ServiceSpecificCredential: serviceCredentialOut(u.Name, cred, secret)}, nil
}

func (e *Emulator) UpdateServiceSpecificCredential(ctx context.Context, in *iam.UpdateServiceSpecificCredentialInput) (*iam.UpdateServiceSpecificCredentialOutput, error) {
	c := callerOf(ctx)
	active, err := settableStatus(in.Status)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		_, cred, err := serviceCredentialOf(tx, c, in.UserName, *in.ServiceSpecificCredentialId, "iam:UpdateServiceSpecificCredential")
		if err != nil {
			return err
		}
		cred.Active = active
		return tx.PutServiceCredential(cred)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateServiceSpecificCredentialOutput{}, nil
}

func (e *Emulator) DeleteServiceSpecificCredential(ctx context.Context, in *iam.DeleteServiceSpecificCredentialInput) (*iam.DeleteServiceSpecificCredentialOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		_, cred, err := serviceCredentialOf(tx, c, in.UserName, *in.ServiceSpecificCredentialId, "iam:DeleteServiceSpecificCredential")
		if err != nil {
			return err
		}
		return tx.DeleteServiceCredential(cred)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteServiceSpecificCredentialOutput{}, nil
}

func (e *Emulator) ListServiceSpecificCredentials(ctx context.Context, in *iam.ListServiceSpecificCredentialsInput) (*iam.ListServiceSpecificCredentialsOutput, error) {
	c := callerOf(ctx)
	service := aws.ToString(in.ServiceName)
	if _, ok := serviceKinds[service]; service != "" && !ok {
		return nil, serviceNotSupported()
	}
	now := e.now()
	var metas []types.ServiceSpecificCredentialMetadata
	err := e.db.View(func(tx *store.Tx) error {
		names, userID, err := serviceCredentialOwners(tx, c, in)
		if err != nil {
			return err
		}
		creds, err := tx.ServiceCredentials(c.Account, userID)
		if err != nil {
			return err
		}
		for i := range creds {
			cred := &creds[i]
			if service != "" && cred.Service != service {
				continue
			}
			name, err := names(cred.UserID)
			if err != nil {
				return err
			}
			metas = append(metas, serviceCredentialMeta(name, cred, now))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListServiceSpecificCredentials", metas, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListServiceSpecificCredentialsOutput{ServiceSpecificCredentials: page, IsTruncated: next != nil, Marker: next}, nil
}

// serviceCredentialOwners authorizes a listing and says whose credentials
// it covers: one user's (by id), or with AllUsers every user's (id "").
// names maps a holder's id to its current name.
func serviceCredentialOwners(tx *store.Tx, c wire.Caller, in *iam.ListServiceSpecificCredentialsInput) (names func(string) (string, error), userID string, err error) {
	if aws.ToBool(in.AllUsers) {
		if err := authorize(tx, c, "iam:ListServiceSpecificCredentials", userARN(partition(c), c.Account, "/", "*")); err != nil {
			return nil, "", err
		}
		return func(id string) (string, error) {
			u, err := tx.UserByID(c.Account, id)
			if err != nil {
				return "", err
			}
			return u.Name, nil
		}, "", nil
	}
	u, err := authorizedTargetUser(tx, c, in.UserName, "iam:ListServiceSpecificCredentials")
	if err != nil {
		return nil, "", err
	}
	return func(string) (string, error) { return u.Name, nil }, u.ID, nil
}

// serviceCredentialOut is the SDK view of a credential just made or reset,
// with its secret.
func serviceCredentialOut(userName string, cred *store.ServiceCredential, secret string) *types.ServiceSpecificCredential {
	out := &types.ServiceSpecificCredential{
		UserName:                    aws.String(userName),
		ServiceSpecificCredentialId: aws.String(cred.ID),
		ServiceName:                 aws.String(cred.Service),
		ServiceUserName:             optional(cred.ServiceUserName),
		ServiceCredentialAlias:      optional(cred.Alias),
		Status:                      statusOf(cred.Active),
		CreateDate:                  aws.Time(cred.Created),
		ExpirationDate:              cred.Expires,
	}
	if serviceKinds[cred.Service] {
		out.ServiceCredentialSecret = aws.String(secret)
	} else {
		out.ServicePassword = aws.String(secret)
	}
	return out
}

func serviceCredentialMeta(userName string, cred *store.ServiceCredential, now time.Time) types.ServiceSpecificCredentialMetadata {
	status := statusOf(cred.Active)
	if cred.Expires != nil && !now.Before(*cred.Expires) {
		status = types.StatusTypeExpired
	}
	return types.ServiceSpecificCredentialMetadata{
		UserName:                    aws.String(userName),
		ServiceSpecificCredentialId: aws.String(cred.ID),
		ServiceName:                 aws.String(cred.Service),
		ServiceUserName:             optional(cred.ServiceUserName),
		ServiceCredentialAlias:      optional(cred.Alias),
		Status:                      status,
		CreateDate:                  aws.Time(cred.Created),
		ExpirationDate:              cred.Expires,
	}
}

// userCredentials is DeleteUser's conflict while u holds signing
// certificates, SSH public keys or service-specific credentials: AWS's
// generic text, recorded for a service-specific credential (aws-facts §4
// Users) and reported from AWS for an SSH key (CloudFormation, 2018); for a
// signing certificate it is not evidenced.
func userCredentials(tx *store.Tx, u *store.User) error {
	certs, err := tx.SigningCertificates(u.Account, u.ID)
	if err != nil {
		return err
	}
	keys, err := tx.SSHPublicKeys(u.Account, u.ID)
	if err != nil {
		return err
	}
	creds, err := tx.ServiceCredentials(u.Account, u.ID)
	if err != nil {
		return err
	}
	if len(certs)+len(keys)+len(creds) > 0 {
		return deleteConflict("remove referenced objects")
	}
	return nil
}
