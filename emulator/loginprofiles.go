package emulator

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// passwordPolicy is the account's policy, or nil when none is set.
func passwordPolicy(tx *store.Tx, account string) (*store.PasswordPolicy, error) {
	p, err := tx.PasswordPolicy(account)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

func loginProfileOut(u *store.User) *types.LoginProfile {
	return &types.LoginProfile{UserName: &u.Name, CreateDate: &u.Login.Created, PasswordResetRequired: u.Login.ResetRequired}
}

func (e *Emulator) CreateLoginProfile(ctx context.Context, in *iam.CreateLoginProfileInput) (*iam.CreateLoginProfileOutput, error) {
	c := callerOf(ctx)
	now := e.now()
	if in.Password == nil {
		return nil, passwordRequired()
	}
	var out *types.LoginProfile
	err := e.withPassword(c.Account,
		func(tx *store.Tx, _ *store.PasswordPolicy) (*store.User, error) {
			return authorizedTargetUser(tx, c, in.UserName, "iam:CreateLoginProfile")
		},
		in.Password,
		func(u *store.User, policy *store.PasswordPolicy) error {
			if u.Login != nil {
				return loginProfileExists(u.Name)
			}
			return checkPassword(policy, u, *in.Password)
		},
		func(tx *store.Tx, u *store.User, hash []byte) error {
			setPassword(u, hash, now, in.PasswordResetRequired)
			out = loginProfileOut(u)
			return tx.UpdateUser(u.Name, u)
		})
	if err != nil {
		return nil, err
	}
	return &iam.CreateLoginProfileOutput{LoginProfile: out}, nil
}

// withPassword runs an action that sets a password without holding up other
// writes with bcrypt. load (the user the action is on, authorized, given the
// account's password policy) and check
// (against the user and the account's policy, with its bcrypt comparisons)
// run in a View; the new password, if any, is hashed outside any
// transaction; write runs in an Update once load shows the user's password
// and the policy unchanged since check, or else everything runs again.
func (e *Emulator) withPassword(account string, load func(*store.Tx, *store.PasswordPolicy) (*store.User, error), password *string,
	check func(*store.User, *store.PasswordPolicy) error, write func(*store.Tx, *store.User, []byte) error) error {
	for {
		var seen *store.User
		var seenPolicy *store.PasswordPolicy
		err := e.db.View(func(tx *store.Tx) error {
			u, policy, err := loadWithPolicy(tx, account, load)
			if err != nil {
				return err
			}
			seen, seenPolicy = u, policy
			return check(u, policy)
		})
		if err != nil {
			return err
		}
		var hash []byte
		if password != nil {
			if hash, err = e.hashPassword(*password); err != nil {
				return err
			}
		}
		stale := false
		err = e.db.Update(func(tx *store.Tx) error {
			u, policy, err := loadWithPolicy(tx, account, load)
			if err != nil {
				return err
			}
			if stale = !samePassword(u, seen) || !reflect.DeepEqual(policy, seenPolicy); stale {
				return nil
			}
			return write(tx, u, hash)
		})
		if err != nil || !stale {
			return err
		}
	}
}

func loadWithPolicy(tx *store.Tx, account string, load func(*store.Tx, *store.PasswordPolicy) (*store.User, error)) (*store.User, *store.PasswordPolicy, error) {
	policy, err := passwordPolicy(tx, account)
	if err != nil {
		return nil, nil, err
	}
	u, err := load(tx, policy)
	return u, policy, err
}

// samePassword reports whether a and b are the same user with the same
// password state.
func samePassword(a, b *store.User) bool {
	if a.ID != b.ID || (a.Login == nil) != (b.Login == nil) || len(a.PasswordHistory) != len(b.PasswordHistory) {
		return false
	}
	return a.Login == nil || bytes.Equal(a.Login.Hash, b.Login.Hash) && a.Login.ResetRequired == b.Login.ResetRequired
}

// loginUser loads the user an action names (or the caller) and checks that
// it has a login profile.
func loginUser(tx *store.Tx, c wire.Caller, name *string, action string) (*store.User, error) {
	u, err := authorizedTargetUser(tx, c, name, action)
	if err != nil {
		return nil, err
	}
	if u.Login == nil {
		return nil, noSuchLoginProfile(u.Name)
	}
	return u, nil
}

func (e *Emulator) GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput) (*iam.GetLoginProfileOutput, error) {
	c := callerOf(ctx)
	var out *types.LoginProfile
	err := e.db.View(func(tx *store.Tx) error {
		u, err := loginUser(tx, c, in.UserName, "iam:GetLoginProfile")
		if err == nil {
			out = loginProfileOut(u)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetLoginProfileOutput{LoginProfile: out}, nil
}

func (e *Emulator) UpdateLoginProfile(ctx context.Context, in *iam.UpdateLoginProfileInput) (*iam.UpdateLoginProfileOutput, error) {
	c := callerOf(ctx)
	now := e.now()
	err := e.withPassword(c.Account,
		func(tx *store.Tx, _ *store.PasswordPolicy) (*store.User, error) {
			return loginUser(tx, c, in.UserName, "iam:UpdateLoginProfile")
		},
		in.Password,
		func(u *store.User, policy *store.PasswordPolicy) error {
			if in.Password == nil {
				return nil
			}
			return checkPassword(policy, u, *in.Password)
		},
		func(tx *store.Tx, u *store.User, hash []byte) error {
			if in.PasswordResetRequired != nil {
				u.Login.ResetRequired = *in.PasswordResetRequired
			}
			if hash != nil {
				setPassword(u, hash, now, u.Login.ResetRequired)
			}
			return tx.UpdateUser(u.Name, u)
		})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateLoginProfileOutput{}, nil
}

func (e *Emulator) DeleteLoginProfile(ctx context.Context, in *iam.DeleteLoginProfileInput) (*iam.DeleteLoginProfileOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := loginUser(tx, c, in.UserName, "iam:DeleteLoginProfile")
		if err != nil {
			return err
		}
		u.Login = nil
		return tx.UpdateUser(u.Name, u)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteLoginProfileOutput{}, nil
}

// ChangePassword changes the calling IAM user's own password. Root and role
// sessions cannot; a user may when the account's password policy allows
// users to change their passwords, or when its policies allow
// iam:ChangePassword on itself (the IAMUserChangePassword managed policy).
func (e *Emulator) ChangePassword(ctx context.Context, in *iam.ChangePasswordInput) (*iam.ChangePasswordOutput, error) {
	c := callerOf(ctx)
	now := e.now()
	if c.Root || !strings.HasPrefix(c.UserID, prefixUser) {
		return nil, invalidUserType()
	}
	err := e.withPassword(c.Account,
		func(tx *store.Tx, policy *store.PasswordPolicy) (*store.User, error) {
			u, err := targetUser(tx, c, nil)
			if err != nil {
				return nil, err
			}
			if policy == nil || !policy.AllowUsersToChange {
				if err := authorize(tx, c, "iam:ChangePassword", arnOf(partition(c), u)); err != nil {
					return nil, err
				}
			}
			if u.Login == nil {
				return nil, noSuchLoginProfile(u.Name)
			}
			return u, nil
		},
		in.NewPassword,
		func(u *store.User, policy *store.PasswordPolicy) error {
			if !passwordMatches(u.Login.Hash, *in.OldPassword) {
				return wrongOldPassword()
			}
			if passwordExpired(policy, u.Login, now) && policy.HardExpiry != nil && *policy.HardExpiry {
				return passwordExpiredHard()
			}
			return checkPassword(policy, u, *in.NewPassword)
		},
		func(tx *store.Tx, u *store.User, hash []byte) error {
			setPassword(u, hash, now, false)
			return tx.UpdateUser(u.Name, u)
		})
	if err != nil {
		return nil, err
	}
	return &iam.ChangePasswordOutput{}, nil
}
