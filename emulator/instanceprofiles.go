package emulator

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const maxRolesPerInstanceProfile = 1 // InstanceSessionsPerInstanceProfile, as AWS's text names it

// instanceProfile loads the named instance profile, or AWS's NoSuchEntity
// for it.
func instanceProfile(tx *store.Tx, account, name string) (*store.InstanceProfile, error) {
	p, err := tx.InstanceProfile(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchInstanceProfile(name)
	}
	return p, err
}

// authorizedInstanceProfile loads the named instance profile and checks
// that the caller may perform action on it. A missing one is authorized
// first (missingAuthorized).
func authorizedInstanceProfile(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*store.InstanceProfile, error) {
	p, err := instanceProfile(tx, c.Account, name)
	if err != nil {
		return nil, missingAuthorized(tx, c, action, instanceProfileARN(partition(c), c.Account, "/", name), err)
	}
	return p, authorize(tx, c, action, instanceProfileARNOf(partition(c), p), append(resourceTagKeys(p.Tags, false), keys...)...)
}

func (e *Emulator) CreateInstanceProfile(ctx context.Context, in *iam.CreateInstanceProfileInput) (*iam.CreateInstanceProfileOutput, error) {
	c := callerOf(ctx)
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	p := &store.InstanceProfile{
		Account: c.Account,
		Name:    *in.InstanceProfileName,
		Path:    aws.ToString(in.Path),
		ID:      uniqueID(prefixInstanceProfile),
		Created: e.now(),
		Tags:    tags,
	}
	if p.Path == "" {
		p.Path = "/"
	}
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreateInstanceProfile", instanceProfileARNOf(partition(c), p), requestTagKeys(tags)...); err != nil {
			return err
		}
		if tx.CountInstanceProfiles(c.Account) >= maxInstanceProfiles {
			return quotaExceeded("InstanceProfilesPerAccount", maxInstanceProfiles)
		}
		if err := tx.CreateInstanceProfile(p); errors.Is(err, store.ErrExists) {
			return instanceProfileExists(p.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := instanceProfileOut(partition(c), p, nil, false)
	if len(tags) > 0 {
		out.Tags = tagsOut(tags)
	}
	return &iam.CreateInstanceProfileOutput{InstanceProfile: out}, nil
}

// GetInstanceProfile answers the profile with its role and its tags (an
// empty list for none, as AWS answered).
func (e *Emulator) GetInstanceProfile(ctx context.Context, in *iam.GetInstanceProfileInput) (*iam.GetInstanceProfileOutput, error) {
	c := callerOf(ctx)
	var out *types.InstanceProfile
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedInstanceProfile(tx, c, *in.InstanceProfileName, "iam:GetInstanceProfile")
		if err != nil {
			return err
		}
		roles, err := profileRoles(tx, p)
		out = instanceProfileOut(partition(c), p, roles, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetInstanceProfileOutput{InstanceProfile: out}, nil
}

func (e *Emulator) ListInstanceProfiles(ctx context.Context, in *iam.ListInstanceProfilesInput) (*iam.ListInstanceProfilesOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListInstanceProfiles", in.Marker)
	if err != nil {
		return nil, err
	}
	out := &iam.ListInstanceProfilesOutput{}
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListInstanceProfiles", instanceProfileARN(partition(c), c.Account, "/", "*")); err != nil {
			return err
		}
		each := func(after string, fn func(*store.InstanceProfile) (bool, error)) error {
			return tx.InstanceProfiles(c.Account, after, fn)
		}
		view := func(p *store.InstanceProfile) (types.InstanceProfile, error) {
			roles, err := profileRoles(tx, p)
			return *instanceProfileOut(partition(c), p, roles, false), err
		}
		out.InstanceProfiles, out.Marker, err = pathPage("ListInstanceProfiles", after, aws.ToString(in.PathPrefix), in.MaxItems, each,
			func(p *store.InstanceProfile) string { return p.Path }, func(p *store.InstanceProfile) string { return p.Name }, view)
		out.IsTruncated = out.Marker != nil
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListInstanceProfilesForRole answers the role's instance profiles in name
// order, paged.
func (e *Emulator) ListInstanceProfilesForRole(ctx context.Context, in *iam.ListInstanceProfilesForRoleInput) (*iam.ListInstanceProfilesForRoleOutput, error) {
	c := callerOf(ctx)
	var profiles []types.InstanceProfile
	err := e.db.View(func(tx *store.Tx) error {
		r, err := authorizedRole(tx, c, *in.RoleName, "iam:ListInstanceProfilesForRole")
		if err != nil {
			return err
		}
		held, err := tx.InstanceProfilesOfRole(c.Account, r.ID)
		for _, p := range held {
			roles, err := profileRoles(tx, p)
			if err != nil {
				return err
			}
			profiles = append(profiles, *instanceProfileOut(partition(c), p, roles, false))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListInstanceProfilesForRole", profiles, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []types.InstanceProfile{}
	}
	return &iam.ListInstanceProfilesForRoleOutput{InstanceProfiles: page, IsTruncated: next != nil, Marker: next}, nil
}

// profileAndRole loads the instance profile, then the role, of a
// membership action: the profile is the action's resource and is reported
// first when missing (as AWS answered when one of them was).
func profileAndRole(tx *store.Tx, c wire.Caller, profileName, roleName, action string) (*store.InstanceProfile, *store.Role, error) {
	p, err := authorizedInstanceProfile(tx, c, profileName, action)
	if err != nil {
		return nil, nil, err
	}
	r, err := role(tx, c.Account, roleName)
	return p, r, err
}

// AddRoleToInstanceProfile also needs iam:PassRole on the role, as the
// service authorization reference lists.
func (e *Emulator) AddRoleToInstanceProfile(ctx context.Context, in *iam.AddRoleToInstanceProfileInput) (*iam.AddRoleToInstanceProfileOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, r, err := profileAndRole(tx, c, *in.InstanceProfileName, *in.RoleName, "iam:AddRoleToInstanceProfile")
		if err != nil {
			return err
		}
		passed := requestKey{"iam:PassedToService", []string{"ec2.amazonaws.com"}}
		if err := authorize(tx, c, "iam:PassRole", roleARNOf(partition(c), r), append(resourceTagKeys(r.Tags, true), passed)...); err != nil {
			return err
		}
		if len(p.RoleIDs) >= maxRolesPerInstanceProfile {
			return quotaExceeded("InstanceSessionsPerInstanceProfile", maxRolesPerInstanceProfile)
		}
		p.RoleIDs = append(p.RoleIDs, r.ID)
		return tx.PutInstanceProfile(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.AddRoleToInstanceProfileOutput{}, nil
}

func (e *Emulator) RemoveRoleFromInstanceProfile(ctx context.Context, in *iam.RemoveRoleFromInstanceProfileInput) (*iam.RemoveRoleFromInstanceProfileOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, r, err := profileAndRole(tx, c, *in.InstanceProfileName, *in.RoleName, "iam:RemoveRoleFromInstanceProfile")
		if err != nil {
			return err
		}
		i := slices.Index(p.RoleIDs, r.ID)
		if i < 0 {
			return roleNotInInstanceProfile(r.Name, p.Name)
		}
		p.RoleIDs = slices.Delete(p.RoleIDs, i, i+1)
		return tx.PutInstanceProfile(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.RemoveRoleFromInstanceProfileOutput{}, nil
}

func (e *Emulator) DeleteInstanceProfile(ctx context.Context, in *iam.DeleteInstanceProfileInput) (*iam.DeleteInstanceProfileOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedInstanceProfile(tx, c, *in.InstanceProfileName, "iam:DeleteInstanceProfile")
		if err != nil {
			return err
		}
		if len(p.RoleIDs) > 0 {
			return roleInInstanceProfile()
		}
		return tx.DeleteInstanceProfile(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteInstanceProfileOutput{}, nil
}

// instanceProfileTags is the instance profiles' taggable family.
var instanceProfileTags = taggable[store.InstanceProfile]{
	quota: "TagsPerInstanceProfile", list: "ListInstanceProfileTags",
	load: authorizedInstanceProfile,
	tags: func(p *store.InstanceProfile) *[]store.Tag { return &p.Tags },
	save: func(tx *store.Tx, p *store.InstanceProfile) error { return tx.PutInstanceProfile(p) },
}

func (e *Emulator) TagInstanceProfile(ctx context.Context, in *iam.TagInstanceProfileInput) (*iam.TagInstanceProfileOutput, error) {
	if err := tagEntity(e, ctx, instanceProfileTags, *in.InstanceProfileName, "iam:TagInstanceProfile", in.Tags); err != nil {
		return nil, err
	}
	return &iam.TagInstanceProfileOutput{}, nil
}

func (e *Emulator) UntagInstanceProfile(ctx context.Context, in *iam.UntagInstanceProfileInput) (*iam.UntagInstanceProfileOutput, error) {
	if err := untagEntity(e, ctx, instanceProfileTags, *in.InstanceProfileName, "iam:UntagInstanceProfile", in.TagKeys); err != nil {
		return nil, err
	}
	return &iam.UntagInstanceProfileOutput{}, nil
}

func (e *Emulator) ListInstanceProfileTags(ctx context.Context, in *iam.ListInstanceProfileTagsInput) (*iam.ListInstanceProfileTagsOutput, error) {
	tags, next, err := entityTags(e, ctx, instanceProfileTags, *in.InstanceProfileName, "iam:ListInstanceProfileTags", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListInstanceProfileTagsOutput{Tags: tags, IsTruncated: next != nil, Marker: next}, nil
}

// profileRoles is the roles of p.
func profileRoles(tx *store.Tx, p *store.InstanceProfile) ([]*store.Role, error) {
	roles := make([]*store.Role, 0, len(p.RoleIDs))
	for _, id := range p.RoleIDs {
		r, err := tx.RoleByID(p.Account, id)
		if err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// instanceProfileOut is the SDK view of p with its roles (as AWS nests
// them: no description, session duration, tags or boundary); withTags adds
// the tags, an empty list for none, as GetInstanceProfile answers.
func instanceProfileOut(partition string, p *store.InstanceProfile, roles []*store.Role, withTags bool) *types.InstanceProfile {
	out := &types.InstanceProfile{
		Path:                aws.String(p.Path),
		InstanceProfileName: aws.String(p.Name),
		InstanceProfileId:   aws.String(p.ID),
		Arn:                 aws.String(instanceProfileARNOf(partition, p)),
		CreateDate:          aws.Time(p.Created),
		Roles:               make([]types.Role, 0, len(roles)),
	}
	for _, r := range roles {
		out.Roles = append(out.Roles, *roleOut(partition, r, roleNested))
	}
	if withTags {
		out.Tags = tagsOut(p.Tags)
	}
	return out
}

func instanceProfileARNOf(partition string, p *store.InstanceProfile) string {
	return instanceProfileARN(partition, p.Account, p.Path, p.Name)
}
