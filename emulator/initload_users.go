package emulator

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

// A user of an init file, with what the API cannot set for it: fixed
// access keys, MFA devices with known seeds, password hashes.

func (b *initBuilder) user(ctx context.Context, path, account string, u *initstate.User) error {
	b.at(u.CreateDate)
	out, err := b.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: &u.Name, Path: optional(u.Path), Tags: tagsIn(u.Tags)})
	if err != nil {
		return apiRefused(path, err)
	}
	b.keep(out.User.UserId, u.ID)
	if u.PermissionsBoundary != "" {
		if _, err := b.iam.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: &u.Name, PermissionsBoundary: &u.PermissionsBoundary}); err != nil {
			return apiRefused(path+".permissionsBoundary", err)
		}
	}
	for i, g := range u.Groups {
		if _, err := b.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: &u.Name, GroupName: &g}); err != nil {
			return apiRefused(fmt.Sprintf("%s.groups[%d]", path, i), err)
		}
	}
	for i, arn := range u.AttachedPolicies {
		if _, err := b.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: &u.Name, PolicyArn: &arn}); err != nil {
			return apiRefused(fmt.Sprintf("%s.attachedPolicies[%d]", path, i), err)
		}
	}
	err = b.inline(ctx, path, u.InlinePolicies, func(name, doc *string) error {
		_, err := b.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &u.Name, PolicyName: name, PolicyDocument: doc})
		return err
	})
	if err != nil {
		return err
	}
	if err := b.loginProfile(ctx, path, u); err != nil {
		return err
	}
	for i := range u.AccessKeys {
		if err := b.accessKey(fmt.Sprintf("%s.accessKeys[%d]", path, i), account, *out.User.UserId, &u.AccessKeys[i]); err != nil {
			return err
		}
	}
	for i := range u.MFADevices {
		if err := b.mfaDevice(ctx, fmt.Sprintf("%s.mfaDevices[%d]", path, i), account, u.Name, &u.MFADevices[i]); err != nil {
			return err
		}
	}
	return b.userCredentials(ctx, path, account, u)
}

// loginProfile gives the user its console password: a clear one through
// CreateLoginProfile (so the password policy applies), a hash from an
// export written over a random one.
func (b *initBuilder) loginProfile(ctx context.Context, path string, u *initstate.User) error {
	lp := u.LoginProfile
	if u.Password == "" && u.PasswordHash == "" && lp == nil {
		return nil
	}
	if lp == nil {
		lp = &initstate.LoginProfile{}
	}
	password := u.Password
	if password == "" {
		password = unknownPassword()
	}
	b.at(lp.CreateDate)
	_, err := b.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: &u.Name, Password: &password, PasswordResetRequired: u.PasswordResetRequired})
	if err != nil {
		return apiRefused(path+".password", err)
	}
	if u.PasswordHash == "" && lp.PasswordChanged == nil {
		return nil
	}
	return b.db.Update(func(tx *store.Tx) error {
		user, err := tx.User(b.emu.opts.Account, u.Name)
		if err != nil {
			return err
		}
		if u.PasswordHash != "" {
			user.Login.Hash = []byte(u.PasswordHash)
		}
		if lp.PasswordChanged != nil {
			user.Login.Changed = lp.PasswordChanged.UTC()
		}
		return tx.UpdateUser(user.Name, user)
	})
}

// unknownPassword is a password nobody knows that meets any password
// policy: for a login profile exported without its hash.
func unknownPassword() string { return "Aa1!" + rand.Text() + rand.Text() }

// accessKey writes a key with the file's id and secret: the API makes only
// random ones.
func (b *initBuilder) accessKey(path, account, userID string, k *initstate.AccessKey) error {
	if !fixedKeyID.MatchString(k.ID) {
		return &InitError{path + ".id", fmt.Errorf("%q is not 3 to 128 letters, digits or underscores", k.ID)}
	}
	if k.ID == b.opts.RootAccessKeyID {
		return &InitError{path + ".id", fmt.Errorf("%q is the root access key id", k.ID)}
	}
	if b.opts.Serves(k.ID) {
		// A served account's id signs as that account's root (auth.go).
		return &InitError{path + ".id", fmt.Errorf("%q is the root access key id of account %s", k.ID, k.ID)}
	}
	if where, dup := b.keys[k.ID]; dup {
		return &InitError{path + ".id", fmt.Errorf("%q is already the key at %s", k.ID, where)}
	}
	b.keys[k.ID] = path
	active := true
	switch k.Status {
	case "", string(types.StatusTypeActive):
	case string(types.StatusTypeInactive):
		active = false
	default:
		return &InitError{path + ".status", fmt.Errorf("%q is not Active or Inactive", k.Status)}
	}
	secret := k.Secret
	if secret == "" {
		secret = secretKey()
	}
	created := b.now
	if k.CreateDate != nil {
		created = k.CreateDate.UTC()
	}
	return b.db.Update(func(tx *store.Tx) error {
		have, err := tx.AccessKeys(account, userID)
		if err != nil {
			return err
		}
		if len(have) >= maxAccessKeysPerUser {
			return apiRefused(path, quotaExceeded("AccessKeysPerUser", maxAccessKeysPerUser))
		}
		return tx.PutAccessKey(&store.AccessKey{ID: k.ID, Account: account, UserID: userID, Secret: secret, Active: active, Created: created})
	})
}

// mfaDevice creates the device through the API, then gives it the file's
// seed and enables it for the user (userName; none when "") directly: enabling through the API
// would use up the codes of the moment, which a test wants to use.
func (b *initBuilder) mfaDevice(ctx context.Context, path, account, userName string, m *initstate.MFADevice) error {
	if m.Seed != "" && !validSeed(m.Seed) {
		return &InitError{path + ".seed", errors.New("the seed must be base32 (A-Z, 2-7) of at least 16 characters")}
	}
	b.at(m.CreateDate)
	if _, err := b.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: &m.Name, Path: optional(m.Path), Tags: tagsIn(m.Tags)}); err != nil {
		return apiRefused(path, err)
	}
	enabled := b.now
	if m.EnableDate != nil {
		enabled = m.EnableDate.UTC()
	}
	return b.db.Update(func(tx *store.Tx) error {
		d, err := tx.MFADevice(account, m.Name)
		if err != nil {
			return err
		}
		if m.Seed != "" {
			d.Seed = m.Seed
		}
		if userName == "" {
			return tx.PutMFADevice(d)
		}
		u, err := tx.User(account, userName)
		if err != nil {
			return err
		}
		if have, err := userDevices(tx, u); err != nil {
			return err
		} else if len(have) >= maxMFADevicesPerUser {
			return apiRefused(path, quotaExceeded("MFADevicesPerUser", maxMFADevicesPerUser))
		}
		d.UserID, d.Enabled = u.ID, enabled.Truncate(time.Second)
		return tx.PutMFADevice(d)
	})
}

// validSeed tells whether seed is base32 of at least 80 bits, what
// authenticator apps take.
func validSeed(seed string) bool {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(seed, "="))
	return err == nil && len(raw) >= 10
}
