package emulator

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxRoles                = 1000 // RolesPerAccount
	maxAssumeRolePolicySize = 2048 // AssumeRolePolicySize, characters as policy.Size counts them
)

// defaultMaxSessionDuration is a role's MaxSessionDuration unless set, in
// seconds (aws-facts §5: GetRole shows 3600).
const defaultMaxSessionDuration = 3600

// role loads the named role, or AWS's NoSuchEntity for it.
func role(tx *store.Tx, account, name string) (*store.Role, error) {
	r, err := tx.Role(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchRole(name)
	}
	return r, err
}

// authorizedRole loads the named role and checks that the caller may
// perform action on it. A missing role is authorized first
// (missingAuthorized).
func authorizedRole(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.Role, error) {
	r, err := role(tx, c.Account, name)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, roleARN(partition(c), c.Account, "/", name), err)
	}
	return r, authorize(tx, c, action, roleARNOf(partition(c), r), append(resourceTagKeys(r.Tags, true), keys...)...)
}

// trustDocument checks doc as AWS checks a role's trust policy: its
// grammar, that the users and roles of the account it names exist, and
// its size (AssumeRolePolicySize).
func (e *Emulator) trustDocument(tx *store.Tx, doc string) error {
	_, err := policy.ParseTrust(doc, func(arn string) bool { return principalExists(tx, e.opts.Serves, arn) })
	var refused *policy.Error
	if errors.As(err, &refused) {
		return malformedPolicyDocument(refused.Message)
	}
	if err != nil {
		return err
	}
	if policy.Size(doc) > maxAssumeRolePolicySize {
		return trustPolicySizeExceeded()
	}
	return nil
}

// principalExists reports whether the principal ARN names something that
// exists: users, roles and identity providers of an account served here
// are looked up in it; anything else (an account not served here, a
// root, sessions) is taken as it is.
func principalExists(tx *store.Tx, served func(account string) bool, arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !served(parts[4]) {
		return true
	}
	account := parts[4]
	kind, rest, _ := strings.Cut(parts[5], "/")
	switch kind {
	case "oidc-provider":
		_, err := tx.OIDCProvider(account, rest)
		return err == nil
	case "saml-provider":
		p, err := tx.SAMLProvider(account, rest)
		return err == nil && p.Name == rest
	}
	i := strings.LastIndexByte(rest, '/')
	path, name := "/"+rest[:i+1], rest[i+1:]
	switch kind {
	case "user":
		u, err := tx.User(account, name)
		return err == nil && u.Path == path && u.Name == name
	case "role":
		r, err := tx.Role(account, name)
		return err == nil && r.Path == path && r.Name == name
	}
	return true
}

func (e *Emulator) CreateRole(ctx context.Context, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, error) {
	c := callerOf(ctx)
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	r := &store.Role{
		Account:            c.Account,
		Name:               *in.RoleName,
		Path:               aws.ToString(in.Path),
		ID:                 uniqueID(prefixRole),
		Created:            e.now(),
		Description:        aws.ToString(in.Description),
		MaxSessionDuration: int(aws.ToInt32(in.MaxSessionDuration)),
		TrustPolicy:        *in.AssumeRolePolicyDocument,
		Tags:               tags,
	}
	if r.Path == "" {
		r.Path = "/"
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = defaultMaxSessionDuration
	}
	err = e.db.Update(func(tx *store.Tx) error {
		keys := append(requestTagKeys(tags), boundaryKey(aws.ToString(in.PermissionsBoundary))...)
		if err := authorize(tx, c, "iam:CreateRole", roleARNOf(partition(c), r), keys...); err != nil {
			return err
		}
		if tx.CountRoles(c.Account) >= maxRoles {
			return rolesQuota()
		}
		if err := e.trustDocument(tx, r.TrustPolicy); err != nil {
			return err
		}
		if in.PermissionsBoundary != nil {
			ref, err := boundaryRef(tx, c, *in.PermissionsBoundary)
			if err != nil {
				return err
			}
			r.Boundary = ref
		}
		if err := tx.CreateRole(r); errors.Is(err, store.ErrExists) {
			return roleExists(r.Name)
		} else if err != nil {
			return err
		}
		return tx.SetBoundaryUse(c.Account, store.KindRole, r.ID, "", r.Boundary)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateRoleOutput{Role: roleOut(partition(c), r, roleShort)}, nil
}

func (e *Emulator) GetRole(ctx context.Context, in *iam.GetRoleInput) (*iam.GetRoleOutput, error) {
	c := callerOf(ctx)
	var r *store.Role
	err := e.db.View(func(tx *store.Tx) (err error) {
		r, err = authorizedRole(tx, c, *in.RoleName, "iam:GetRole")
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetRoleOutput{Role: roleOut(partition(c), r, roleFull)}, nil
}

func (e *Emulator) ListRoles(ctx context.Context, in *iam.ListRolesInput) (*iam.ListRolesOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListRoles", in.Marker)
	if err != nil {
		return nil, err
	}
	out := &iam.ListRolesOutput{}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListRoles", roleARN(partition(c), c.Account, "/", "*")); err != nil {
			return err
		}
		each := func(after string, fn func(*store.Role) (bool, error)) error { return tx.Roles(c.Account, after, fn) }
		view := func(r *store.Role) (types.Role, error) { return *roleOut(partition(c), r, roleListed), nil }
		out.Roles, out.Marker, err = pathPage("ListRoles", after, aws.ToString(in.PathPrefix), in.MaxItems, each, rolePath, roleName, view)
		out.IsTruncated = out.Marker != nil
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func rolePath(r *store.Role) string { return r.Path }
func roleName(r *store.Role) string { return r.Name }

// UpdateRole sets what it is given; with only RoleName it changes nothing
// (aws-facts §7.5).
func (e *Emulator) UpdateRole(ctx context.Context, in *iam.UpdateRoleInput) (*iam.UpdateRoleOutput, error) {
	err := e.updateRole(ctx, *in.RoleName, "iam:UpdateRole", func(r *store.Role) {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = int(*in.MaxSessionDuration)
		}
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateRoleOutput{}, nil
}

func (e *Emulator) UpdateRoleDescription(ctx context.Context, in *iam.UpdateRoleDescriptionInput) (*iam.UpdateRoleDescriptionOutput, error) {
	c := callerOf(ctx)
	var out *types.Role
	err := e.updateRole(ctx, *in.RoleName, "iam:UpdateRoleDescription", func(r *store.Role) {
		r.Description = *in.Description
		out = roleOut(partition(c), r, roleShort)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateRoleDescriptionOutput{Role: out}, nil
}

// updateRole loads the role name, authorized for action, applies change
// and stores it.
func (e *Emulator) updateRole(ctx context.Context, name, action string, change func(*store.Role)) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		r, err := authorizedRole(tx, c, name, action)
		if err != nil {
			return err
		}
		change(r)
		return tx.PutRole(r)
	})
}

func (e *Emulator) UpdateAssumeRolePolicy(ctx context.Context, in *iam.UpdateAssumeRolePolicyInput) (*iam.UpdateAssumeRolePolicyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		r, err := authorizedModifiableRole(tx, c, *in.RoleName, "iam:UpdateAssumeRolePolicy")
		if err != nil {
			return err
		}
		if err := e.trustDocument(tx, *in.PolicyDocument); err != nil {
			return err
		}
		r.TrustPolicy = *in.PolicyDocument
		return tx.PutRole(r)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UpdateAssumeRolePolicyOutput{}, nil
}

func (e *Emulator) DeleteRole(ctx context.Context, in *iam.DeleteRoleInput) (*iam.DeleteRoleOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		r, err := authorizedModifiableRole(tx, c, *in.RoleName, "iam:DeleteRole")
		if err != nil {
			return err
		}
		if err := roleDependents(tx, r); err != nil {
			return err
		}
		if err := tx.SetBoundaryUse(c.Account, store.KindRole, r.ID, r.Boundary, ""); err != nil {
			return err
		}
		return tx.DeleteRole(r)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteRoleOutput{}, nil
}

// roleDependents is AWS's DeleteConflict for the first thing still
// attached to r, or nil when it can go, in the order of AWS's procedure
// for deleting a role: instance profiles, inline policies, attached
// policies.
func roleDependents(tx *store.Tx, r *store.Role) error {
	if profiles, err := tx.InstanceProfilesOfRole(r.Account, r.ID); err != nil {
		return err
	} else if len(profiles) > 0 {
		return roleInInstanceProfile()
	}
	if err := hasInline(tx, roleEmbedder(r)); err != nil {
		return err
	}
	if attached, err := tx.AttachedPolicies(r.Account, r.ID); err != nil {
		return err
	} else if len(attached) > 0 {
		return policiesAttached()
	}
	return nil
}

// roleView is which of a role's fields an action answers (aws-facts §5).
type roleView int

const (
	roleShort  roleView = iota // CreateRole, UpdateRoleDescription: no MaxSessionDuration, no RoleLastUsed
	roleFull                   // GetRole
	roleListed                 // ListRoles: MaxSessionDuration, no tags, boundary or RoleLastUsed
	roleNested                 // in an instance profile: the role's names, ids, date and trust policy
)

// roleOut is the SDK view of r as view shows it.
func roleOut(partition string, r *store.Role, view roleView) *types.Role {
	out := &types.Role{
		Path:                     aws.String(r.Path),
		RoleName:                 aws.String(r.Name),
		RoleId:                   aws.String(r.ID),
		Arn:                      aws.String(roleARNOf(partition, r)),
		CreateDate:               aws.Time(r.Created),
		AssumeRolePolicyDocument: documentOut(r.TrustPolicy),
	}
	if view == roleNested {
		return out
	}
	if r.Description != "" {
		out.Description = aws.String(r.Description)
	}
	if view != roleShort {
		out.MaxSessionDuration = aws.Int32(int32(r.MaxSessionDuration))
	}
	if view == roleListed {
		return out
	}
	if len(r.Tags) > 0 {
		out.Tags = tagsOut(r.Tags)
	}
	out.PermissionsBoundary = boundaryOut(partition, r.Boundary)
	if view == roleFull {
		out.RoleLastUsed = roleLastUsedOut(r.LastUsed)
	}
	return out
}

func roleLastUsedOut(u *store.RoleLastUsed) *types.RoleLastUsed {
	if u == nil {
		return &types.RoleLastUsed{}
	}
	return &types.RoleLastUsed{LastUsedDate: aws.Time(u.Time), Region: aws.String(u.Region)}
}

func roleARNOf(partition string, r *store.Role) string {
	return roleARN(partition, r.Account, r.Path, r.Name)
}

// roleTags is the roles' taggable family.
var roleTags = taggable[store.Role]{
	quota: "TagsPerRole", list: "ListRoleTags",
	load: authorizedRole,
	tags: func(r *store.Role) *[]store.Tag { return &r.Tags },
	save: func(tx *store.Tx, r *store.Role) error { return tx.PutRole(r) },
}

func (e *Emulator) TagRole(ctx context.Context, in *iam.TagRoleInput) (*iam.TagRoleOutput, error) {
	if err := tagEntity(e, ctx, roleTags, *in.RoleName, "iam:TagRole", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagRoleOutput{}, nil
}

func (e *Emulator) UntagRole(ctx context.Context, in *iam.UntagRoleInput) (*iam.UntagRoleOutput, error) {
	if err := untagEntity(e, ctx, roleTags, *in.RoleName, "iam:UntagRole", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagRoleOutput{}, nil
}

func (e *Emulator) ListRoleTags(ctx context.Context, in *iam.ListRoleTagsInput) (*iam.ListRoleTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, roleTags, *in.RoleName, "iam:ListRoleTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRoleTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}
