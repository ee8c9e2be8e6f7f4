package emulator

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const defaultMaxUsers = 5000 // UsersPerAccount; Options.MaxUsers raises it for load tests

// user loads the named user, or AWS's NoSuchEntity for it.
func user(tx *store.Tx, account, name string) (*store.User, error) {
	u, err := tx.User(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchUser(name)
	}
	return u, err
}

// authorizedUser loads the named user and checks that the caller may
// perform action on it. A missing user is authorized first (missingAuthorized).
func authorizedUser(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.User, error) {
	u, err := user(tx, c.Account, name)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, userARN(partition(c), c.Account, "/", name), err)
	}
	return u, authorize(tx, c, action, arnOf(partition(c), u), append(resourceTagKeys(u.Tags, true), keys...)...)
}

// targetUser is the user an action names, or the calling IAM user when it
// names none; root and role sessions must name one.
func targetUser(tx *store.Tx, c wire.Caller, name *string) (*store.User, error) {
	if name != nil {
		return user(tx, c.Account, *name)
	}
	if c.Root || !strings.HasPrefix(c.UserID, prefixUser) {
		return nil, userNameRequired()
	}
	u, err := tx.UserByID(c.Account, c.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchUser(lastSegment(c.ARN))
	}
	return u, err
}

// authorizedTargetUser is targetUser once the caller may perform action
// on it; a named user that is missing is authorized first
// (missingAuthorized).
func authorizedTargetUser(tx *store.Tx, c wire.Caller, name *string, action string) (*store.User, error) {
	u, err := targetUser(tx, c, name)
	if err != nil && name != nil {
		return nil, missingAuthorized(tx, c, action, userARN(partition(c), c.Account, "/", *name), err)
	}
	if err != nil {
		return nil, err
	}
	return u, authorize(tx, c, action, arnOf(partition(c), u), resourceTagKeys(u.Tags, true)...)
}

func (e *Emulator) CreateUser(ctx context.Context, in *iam.CreateUserInput) (*iam.CreateUserOutput, error) {
	c := callerOf(ctx)
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	u := &store.User{
		Account: c.Account,
		Name:    *in.UserName,
		Path:    aws.ToString(in.Path),
		ID:      uniqueID(prefixUser),
		Created: e.now(),
		Tags:    tags,
	}
	if u.Path == "" {
		u.Path = "/"
	}
	err = e.db.Update(func(tx *store.Tx) error {
		keys := append(requestTagKeys(tags), boundaryKey(aws.ToString(in.PermissionsBoundary))...)
		if err := authorize(tx, c, "iam:CreateUser", userARN(partition(c), c.Account, u.Path, u.Name), keys...); err != nil {
			return err
		}
		if tx.CountUsers(c.Account) >= e.opts.maxUsers() {
			return quotaExceeded("UsersPerAccount", e.opts.maxUsers())
		}
		if in.PermissionsBoundary != nil {
			ref, err := boundaryRef(tx, c, *in.PermissionsBoundary)
			if err != nil {
				return err
			}
			u.Boundary = ref
		}
		if err := tx.CreateUser(u); errors.Is(err, store.ErrExists) {
			return userExists(u.Name)
		} else if err != nil {
			return err
		}
		return tx.SetBoundaryUse(c.Account, store.KindUser, u.ID, "", u.Boundary)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateUserOutput{User: userOut(partition(c), u, true)}, nil
}

func (e *Emulator) GetUser(ctx context.Context, in *iam.GetUserInput) (*iam.GetUserOutput, error) {
	c := callerOf(ctx)
	if in.UserName == nil && c.Root {
		return &iam.GetUserOutput{User: &types.User{UserId: &c.UserID, Arn: &c.ARN, CreateDate: aws.Time(e.db.Created())}}, nil
	}
	var out *types.User
	err := e.db.View(func(tx *store.Tx) error {
		u, err := authorizedTargetUser(tx, c, in.UserName, "iam:GetUser")
		if err != nil {
			return err
		}
		out = userOut(partition(c), u, true)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetUserOutput{User: out}, nil
}

func (e *Emulator) ListUsers(ctx context.Context, in *iam.ListUsersInput) (*iam.ListUsersOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListUsers", in.Marker)
	if err != nil {
		return nil, err
	}
	out := &iam.ListUsersOutput{}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListUsers", userARN(partition(c), c.Account, "/", "*")); err != nil {
			return err
		}
		each := func(after string, fn func(*store.User) (bool, error)) error { return tx.Users(c.Account, after, fn) }
		view := func(u *store.User) (types.User, error) { return *userOut(partition(c), u, false), nil }
		out.Users, out.Marker, err = pathPage("ListUsers", after, aws.ToString(in.PathPrefix), in.MaxItems, each,
			func(u *store.User) string { return u.Path }, userName, view)
		out.IsTruncated = out.Marker != nil
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (e *Emulator) UpdateUser(ctx context.Context, in *iam.UpdateUserInput) (*iam.UpdateUserOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:UpdateUser")
		if err != nil {
			return err
		}
		oldName := u.Name
		if in.NewUserName != nil {
			u.Name = *in.NewUserName
		}
		if in.NewPath != nil {
			u.Path = *in.NewPath
		}
		if err := tx.UpdateUser(oldName, u); errors.Is(err, store.ErrExists) {
			return userExists(u.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateUserOutput{}, nil
}

func (e *Emulator) DeleteUser(ctx context.Context, in *iam.DeleteUserInput) (*iam.DeleteUserOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		u, err := authorizedUser(tx, c, *in.UserName, "iam:DeleteUser")
		if err != nil {
			return err
		}
		if err := userDependents(tx, u); err != nil {
			return err
		}
		if err := tx.SetBoundaryUse(c.Account, store.KindUser, u.ID, u.Boundary, ""); err != nil {
			return err
		}
		return tx.DeleteUser(u)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteUserOutput{}, nil
}

// userDependents is AWS's DeleteConflict for the first thing still attached
// to u, or nil when it can go, in the order of AWS's procedure for deleting
// a user: login profile, access keys, signing certificates, SSH keys,
// service-specific credentials, MFA devices, inline policies, attached
// policies, group memberships.
func userDependents(tx *store.Tx, u *store.User) error {
	if u.Login != nil {
		return deleteConflict("delete login profile")
	}
	keys, err := tx.AccessKeys(u.Account, u.ID)
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		return deleteConflict("delete access keys")
	}
	if err := userCredentials(tx, u); err != nil {
		return err
	}
	if devices, err := userDevices(tx, u); err != nil {
		return err
	} else if len(devices) > 0 {
		return deleteConflict("delete MFA device")
	}
	if err := hasInline(tx, userEmbedder(u)); err != nil {
		return err
	}
	if attached, err := tx.AttachedPolicies(u.Account, u.ID); err != nil {
		return err
	} else if len(attached) > 0 {
		return policiesAttached()
	}
	if groups, err := tx.UserGroupIDs(u.Account, u.ID); err != nil {
		return err
	} else if len(groups) > 0 {
		return groupHasMembers()
	}
	return nil
}

// userTags is the users' taggable family.
var userTags = taggable[store.User]{
	quota: "TagsPerUser", list: "ListUserTags",
	load: authorizedUser,
	tags: func(u *store.User) *[]store.Tag { return &u.Tags },
	save: func(tx *store.Tx, u *store.User) error { return tx.UpdateUser(u.Name, u) },
}

func (e *Emulator) TagUser(ctx context.Context, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
	if err := tagEntity(e, ctx, userTags, *in.UserName, "iam:TagUser", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagUserOutput{}, nil
}

func (e *Emulator) UntagUser(ctx context.Context, in *iam.UntagUserInput) (*iam.UntagUserOutput, error) {
	if err := untagEntity(e, ctx, userTags, *in.UserName, "iam:UntagUser", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagUserOutput{}, nil
}

func (e *Emulator) ListUserTags(ctx context.Context, in *iam.ListUserTagsInput) (*iam.ListUserTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, userTags, *in.UserName, "iam:ListUserTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

// userOut is the SDK view of u. List actions leave tags and the
// permissions boundary out, as AWS does.
func userOut(partition string, u *store.User, withTags bool) *types.User {
	out := &types.User{
		Path:       aws.String(u.Path),
		UserName:   aws.String(u.Name),
		UserId:     aws.String(u.ID),
		Arn:        aws.String(arnOf(partition, u)),
		CreateDate: aws.Time(u.Created),
	}
	if !u.PasswordLastUsed.IsZero() {
		out.PasswordLastUsed = aws.Time(u.PasswordLastUsed)
	}
	if withTags && len(u.Tags) > 0 {
		out.Tags = tagsOut(u.Tags)
	}
	if withTags {
		out.PermissionsBoundary = boundaryOut(partition, u.Boundary)
	}
	return out
}

func arnOf(partition string, u *store.User) string {
	return userARN(partition, u.Account, u.Path, u.Name)
}

// now is the emulated time at the one-second precision IAM reports.
func (e *Emulator) now() time.Time { return e.clock.Now().Truncate(time.Second) }
