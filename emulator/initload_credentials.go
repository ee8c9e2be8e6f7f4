package emulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

// The shapes of the ids the API makes for the families below: an init
// file (an export) may give an id only in its family's shape.
var (
	signingCertIDShape = regexp.MustCompile(`^[A-Z2-7]{28}$`)
	samlUUIDShape      = regexp.MustCompile(`^[A-Z2-7]{26}$`)
	sshKeyIDShape      = uniqueIDShape(prefixSSHPublicKey)
	serviceCredIDShape = uniqueIDShape(prefixServiceCred)
	serverCertIDShape  = uniqueIDShape(prefixServerCert)
	roleIDShape        = uniqueIDShape(prefixRole)
)

func uniqueIDShape(prefix string) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`^%s[A-Z2-7]{%d}$`, prefix, uniqueIDSuffixChars))
}

// keepID is keep for an id the file gives at path: it must have the
// shape the API makes and be given once in the file, or two entities
// would be renamed into one.
func (b *initBuilder) keepID(path string, made *string, want string, shape *regexp.Regexp) error {
	if want == "" {
		return nil
	}
	if !shape.MatchString(want) {
		return &InitError{path, fmt.Errorf("%q is not an id of the shape %s", want, shape)}
	}
	if where, dup := b.given[want]; dup {
		return &InitError{path, fmt.Errorf("%q is already the id at %s", want, where)}
	}
	b.given[want] = path
	b.keep(made, want)
	return nil
}

// settle gives a credential the API made (id made) the file's status,
// through the API so that a bad one gets the API's refusal, and the id
// the file records.
func (b *initBuilder) settle(path, status string, made *string, want string, shape *regexp.Regexp, update func(types.StatusType) error) error {
	if status != "" {
		if err := update(types.StatusType(status)); err != nil {
			return apiRefused(path+".status", err)
		}
	}
	return b.keepID(path+".id", made, want, shape)
}

// rootCredentials gives the root user its own access keys and signing
// certificates.
func (b *initBuilder) rootCredentials(ctx context.Context, path, account string, a *initstate.Account) error {
	for i := range a.RootAccessKeys {
		if err := b.accessKey(fmt.Sprintf("%s.rootAccessKeys[%d]", path, i), account, account, &a.RootAccessKeys[i]); err != nil {
			return err
		}
	}
	for i := range a.RootSigningCertificates {
		if err := b.signingCertificate(ctx, fmt.Sprintf("%s.rootSigningCertificates[%d]", path, i), nil, &a.RootSigningCertificates[i]); err != nil {
			return err
		}
	}
	return nil
}

// userCredentials gives user u its signing certificates, SSH public keys
// and service-specific credentials.
func (b *initBuilder) userCredentials(ctx context.Context, path, account string, u *initstate.User) error {
	for i := range u.SigningCertificates {
		if err := b.signingCertificate(ctx, fmt.Sprintf("%s.signingCertificates[%d]", path, i), &u.Name, &u.SigningCertificates[i]); err != nil {
			return err
		}
	}
	for i := range u.SSHPublicKeys {
		if err := b.sshPublicKey(ctx, fmt.Sprintf("%s.sshPublicKeys[%d]", path, i), u.Name, &u.SSHPublicKeys[i]); err != nil {
			return err
		}
	}
	for i := range u.ServiceCredentials {
		if err := b.serviceCredential(ctx, fmt.Sprintf("%s.serviceCredentials[%d]", path, i), account, u.Name, &u.ServiceCredentials[i]); err != nil {
			return err
		}
	}
	return nil
}

// signingCertificate uploads a certificate of user (nil: the root user).
func (b *initBuilder) signingCertificate(ctx context.Context, path string, user *string, c *initstate.SigningCertificate) error {
	b.at(c.UploadDate)
	out, err := b.iam.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: &c.Body})
	if err != nil {
		return apiRefused(path, err)
	}
	id := out.Certificate.CertificateId
	return b.settle(path, c.Status, id, c.ID, signingCertIDShape, func(s types.StatusType) error {
		_, err := b.iam.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: user, CertificateId: id, Status: s})
		return err
	})
}

func (b *initBuilder) sshPublicKey(ctx context.Context, path, user string, k *initstate.SSHPublicKey) error {
	b.at(k.UploadDate)
	out, err := b.iam.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: &user, SSHPublicKeyBody: &k.Body})
	if err != nil {
		return apiRefused(path, err)
	}
	id := out.SSHPublicKey.SSHPublicKeyId
	return b.settle(path, k.Status, id, k.ID, sshKeyIDShape, func(s types.StatusType) error {
		_, err := b.iam.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: id, Status: s})
		return err
	})
}

// serviceCredential makes the credential through the API, then writes
// what the API cannot set: the names an export recorded and the digest of
// its secret.
func (b *initBuilder) serviceCredential(ctx context.Context, path, account, user string, c *initstate.ServiceCredential) error {
	var hash []byte
	if c.SecretHash != "" {
		var err error
		if hash, err = hex.DecodeString(c.SecretHash); err != nil || len(hash) != 32 {
			return &InitError{path + ".secretHash", errors.New("the secret hash must be 64 hex digits (SHA-256)")}
		}
	}
	apiKey := serviceKinds[c.Service]
	if c.ServiceUserName != "" && apiKey {
		return &InitError{path + ".serviceUserName", fmt.Errorf("%s takes an API key, which has an alias, not a service user name", c.Service)}
	}
	if c.Alias != "" && !apiKey {
		return &InitError{path + ".alias", fmt.Errorf("%s takes a user name and password, which have no alias", c.Service)}
	}
	b.at(c.CreateDate)
	in := &iam.CreateServiceSpecificCredentialInput{UserName: &user, ServiceName: &c.Service}
	if c.CredentialAgeDays != 0 {
		in.CredentialAgeDays = &c.CredentialAgeDays
	}
	out, err := b.iam.CreateServiceSpecificCredential(ctx, in)
	if err != nil {
		return apiRefused(path, err)
	}
	id := out.ServiceSpecificCredential.ServiceSpecificCredentialId
	err = b.settle(path, c.Status, id, c.ID, serviceCredIDShape, func(s types.StatusType) error {
		_, err := b.iam.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: &user, ServiceSpecificCredentialId: id, Status: s})
		return err
	})
	if err != nil {
		return err
	}
	if hash == nil && c.ServiceUserName == "" && c.Alias == "" {
		return nil
	}
	return b.db.Update(func(tx *store.Tx) error {
		u, err := tx.User(account, user)
		if err != nil {
			return err
		}
		cred, err := tx.ServiceCredential(account, u.ID, *id)
		if err != nil {
			return err
		}
		if hash != nil {
			cred.SecretHash = hash
		}
		if c.ServiceUserName != "" {
			cred.ServiceUserName = c.ServiceUserName
		}
		if c.Alias != "" {
			cred.Alias = c.Alias
		}
		return tx.PutServiceCredential(cred)
	})
}

// serverCertificate uploads a certificate through the API. Without its
// private key (iamlocal keeps none, so an export has none) a stand-in
// certificate and key go through the API, which checks the name, path,
// tags and quota, and the file's certificate and chain, checked as the
// API checks them at the upload date, are written over it.
func (b *initBuilder) serverCertificate(ctx context.Context, path, account string, c *initstate.ServerCertificate) error {
	b.at(c.UploadDate)
	in := &iam.UploadServerCertificateInput{
		ServerCertificateName: &c.Name, Path: optional(c.Path), CertificateBody: &c.Body,
		CertificateChain: optional(c.Chain), PrivateKey: &c.PrivateKey, Tags: tagsIn(c.Tags),
	}
	var cert *x509.Certificate
	if c.PrivateKey == "" {
		var err error
		if cert, err = checkedServerCertificate(c, b.clock.Now()); err != nil {
			return apiRefused(path, err)
		}
		body, key := standInCertificate(b.clock.Now())
		in.CertificateBody, in.CertificateChain, in.PrivateKey = &body, nil, &key
	}
	out, err := b.iam.UploadServerCertificate(ctx, in)
	if err != nil {
		return apiRefused(path, err)
	}
	if err := b.keepID(path+".id", out.ServerCertificateMetadata.ServerCertificateId, c.ID, serverCertIDShape); err != nil {
		return err
	}
	if cert == nil {
		return nil
	}
	return b.db.Update(func(tx *store.Tx) error {
		sc, err := tx.ServerCertificate(account, c.Name)
		if err != nil {
			return err
		}
		sc.Body, sc.Chain, sc.Expiration = c.Body, c.Chain, cert.NotAfter.UTC()
		return tx.UpdateServerCertificate(sc.Name, sc)
	})
}

// checkedServerCertificate is UploadServerCertificate's check of the
// certificate and its chain at now, the key pair aside.
func checkedServerCertificate(c *initstate.ServerCertificate, now time.Time) (*x509.Certificate, error) {
	cert, err := validServerCertificate(c.Body, now)
	if err != nil {
		return nil, err
	}
	if c.Chain != "" {
		if err := checkChain(cert, c.Chain); err != nil {
			return nil, err
		}
	}
	return cert, nil
}

// standInCertificate is a throwaway self-signed certificate valid at t,
// with its key, in PEM.
func standInCertificate(t time.Time) (cert, key string) {
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: t.Add(-time.Hour), NotAfter: t.Add(time.Hour)}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	keyDER, _ := x509.MarshalECPrivateKey(k)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
}

// samlProvider makes the provider through the API, then gives it the
// UUID and validity an export recorded.
func (b *initBuilder) samlProvider(ctx context.Context, path, account string, p *initstate.SAMLProvider) error {
	b.at(p.CreateDate)
	_, err := b.iam.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{
		Name: &p.Name, SAMLMetadataDocument: &p.Metadata, Tags: tagsIn(p.Tags),
		AssertionEncryptionMode: types.AssertionEncryptionModeType(p.AssertionEncryptionMode),
	})
	if err != nil {
		return apiRefused(path, err)
	}
	var stored *store.SAMLProvider
	err = b.db.View(func(tx *store.Tx) error {
		stored, err = tx.SAMLProvider(account, p.Name)
		return err
	})
	if err != nil {
		return err
	}
	if err := b.keepID(path+".uuid", &stored.UUID, p.UUID, samlUUIDShape); err != nil {
		return err
	}
	if p.ValidUntil == nil {
		return nil
	}
	stored.ValidUntil = p.ValidUntil.UTC()
	return b.db.Update(func(tx *store.Tx) error { return tx.PutSAMLProvider(stored) })
}

// serviceLinkedRole makes the role as its service would, then changes
// what a user may change on one.
func (b *initBuilder) serviceLinkedRole(ctx context.Context, path string, r *initstate.ServiceLinkedRole) error {
	b.at(r.CreateDate)
	out, err := b.iam.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{
		AWSServiceName: &r.Service, CustomSuffix: optional(r.CustomSuffix), Description: optional(r.Description),
	})
	if err != nil {
		return apiRefused(path, err)
	}
	name := out.Role.RoleName
	if err := b.keepID(path+".id", out.Role.RoleId, r.ID, roleIDShape); err != nil {
		return err
	}
	if r.MaxSessionDuration != 0 {
		if _, err := b.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: name, MaxSessionDuration: &r.MaxSessionDuration}); err != nil {
			return apiRefused(path+".maxSessionDuration", err)
		}
	}
	if r.PermissionsBoundary != "" {
		if _, err := b.iam.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: &r.PermissionsBoundary}); err != nil {
			return apiRefused(path+".permissionsBoundary", err)
		}
	}
	if len(r.Tags) > 0 {
		if _, err := b.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: tagsIn(r.Tags)}); err != nil {
			return apiRefused(path+".tags", err)
		}
	}
	return nil
}
