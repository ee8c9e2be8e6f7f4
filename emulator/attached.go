package emulator

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Attaching works alike for every principal kind: the principal is its
// kind and unique id, its quota name is PoliciesPer<Kind> (AWS's text for
// roles is a real-aws-report; for users and groups it is inferred by
// analogy, aws-facts §10).

// serviceRolePolicies is the path of the policies of service-linked roles,
// which only AWS attaches.
const serviceRolePolicies = "/aws-service-role/"

// principal is a user, group or role as attachments name it.
type principal struct {
	kind, id string
	quota    string // the name of its attached policies quota
	noun     string // what AWS calls it refusing a service role's policy
}

// principalLoader loads the principal an action names and checks that the
// caller may perform the action on it.
type principalLoader func(tx *store.Tx) (principal, error)

func userPrincipal(c wire.Caller, name, action string, keys ...requestKey) principalLoader {
	return func(tx *store.Tx) (principal, error) {
		u, err := authorizedUser(tx, c, name, action, keys...)
		if err != nil {
			return principal{}, err
		}
		return principal{store.KindUser, u.ID, "PoliciesPerUser", "User"}, nil
	}
}

func groupPrincipal(c wire.Caller, name, action string, keys ...requestKey) principalLoader {
	return func(tx *store.Tx) (principal, error) {
		g, err := authorizedGroup(tx, c, name, action, keys...)
		if err != nil {
			return principal{}, err
		}
		return principal{store.KindGroup, g.ID, "PoliciesPerGroup", "Group"}, nil
	}
}

func rolePrincipal(c wire.Caller, name, action string, keys ...requestKey) principalLoader {
	return func(tx *store.Tx) (principal, error) {
		r, err := authorizedRole(tx, c, name, action, keys...)
		if err != nil {
			return principal{}, err
		}
		return principal{store.KindRole, r.ID, "PoliciesPerRole", "Customer Role"}, nil
	}
}

// attach attaches the policy arn to the principal load names; attaching
// an attached policy again changes nothing.
func (e *Emulator) attach(c wire.Caller, arn string, load principalLoader) error {
	ref, err := policyRefOf(c, arn)
	if err != nil {
		return err
	}
	return e.db.Update(func(tx *store.Tx) error {
		pr, err := load(tx)
		if err != nil {
			return err
		}
		var p *managedPolicy
		if ref != "" {
			if p, err = findPolicy(tx, c.Account, ref); err != nil {
				return err
			}
		}
		if p == nil {
			return policyNotAttachable(arn)
		}
		if p.aws != nil && strings.HasPrefix(p.aws.Path, serviceRolePolicies) {
			return serviceRolePolicyNotAttachable(pr.noun)
		}
		attached, err := tx.AttachedPolicies(c.Account, pr.id)
		switch {
		case err != nil:
			return err
		case slices.Contains(attached, ref):
			return nil
		case len(attached) >= maxAttachedPoliciesPerEntity:
			return quotaExceeded(pr.quota, maxAttachedPoliciesPerEntity)
		}
		return tx.AttachPolicy(c.Account, pr.kind, pr.id, ref)
	})
}

// detach detaches the policy arn, or answers that it was not found
// (attached), whether or not the policy exists.
func (e *Emulator) detach(c wire.Caller, arn string, load principalLoader) error {
	ref, err := policyRefOf(c, arn)
	if err != nil {
		return err
	}
	return e.db.Update(func(tx *store.Tx) error {
		pr, err := load(tx)
		if err != nil {
			return err
		}
		if ref == "" {
			return noSuchPolicy(arn)
		}
		if err := tx.DetachPolicy(c.Account, pr.kind, pr.id, ref); errors.Is(err, store.ErrNotFound) {
			return noSuchPolicy(arn)
		} else if err != nil {
			return err
		}
		return nil
	})
}

// attached lists the policies attached to the principal load names under
// the path prefix, in name order (case-folded), paged.
func (e *Emulator) attached(c wire.Caller, list string, load principalLoader, prefix, marker *string, maxItems *int32) ([]types.AttachedPolicy, *string, error) {
	var refs []string
	err := e.db.View(func(tx *store.Tx) error {
		pr, err := load(tx)
		if err != nil {
			return err
		}
		refs, err = tx.AttachedPolicies(c.Account, pr.id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return pageOf(list, attachedOut(partition(c), refs, aws.ToString(prefix)), marker, maxItems)
}

// attachedOut is the SDK view of the policy refs under the path prefix,
// in name order (case-folded); an empty list for none.
func attachedOut(partition string, refs []string, prefix string) []types.AttachedPolicy {
	out := []types.AttachedPolicy{}
	for _, ref := range refs {
		if path, name := refName(ref); strings.HasPrefix(path, prefix) {
			out = append(out, types.AttachedPolicy{PolicyName: aws.String(name), PolicyArn: aws.String("arn:" + partition + ":" + ref)})
		}
	}
	slices.SortFunc(out, func(a, b types.AttachedPolicy) int {
		return strings.Compare(store.FoldName(*a.PolicyName), store.FoldName(*b.PolicyName))
	})
	return out
}

// refName splits a policy ref into the policy's path and name.
func refName(ref string) (path, name string) {
	_, rest, _ := strings.Cut(ref, ":policy")
	i := strings.LastIndexByte(rest, '/')
	return rest[:i+1], rest[i+1:]
}

func (e *Emulator) AttachUserPolicy(ctx context.Context, in *iam.AttachUserPolicyInput) (*iam.AttachUserPolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.attach(c, *in.PolicyArn, userPrincipal(c, *in.UserName, "iam:AttachUserPolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.AttachUserPolicyOutput{}, nil
}

func (e *Emulator) DetachUserPolicy(ctx context.Context, in *iam.DetachUserPolicyInput) (*iam.DetachUserPolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.detach(c, *in.PolicyArn, userPrincipal(c, *in.UserName, "iam:DetachUserPolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.DetachUserPolicyOutput{}, nil
}

func (e *Emulator) ListAttachedUserPolicies(ctx context.Context, in *iam.ListAttachedUserPoliciesInput) (*iam.ListAttachedUserPoliciesOutput, error) {
	c := callerOf(ctx)
	load := userPrincipal(c, *in.UserName, "iam:ListAttachedUserPolicies")
	page, next, err := e.attached(c, "ListAttachedUserPolicies", load, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedUserPoliciesOutput{AttachedPolicies: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) AttachGroupPolicy(ctx context.Context, in *iam.AttachGroupPolicyInput) (*iam.AttachGroupPolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.attach(c, *in.PolicyArn, groupPrincipal(c, *in.GroupName, "iam:AttachGroupPolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.AttachGroupPolicyOutput{}, nil
}

func (e *Emulator) DetachGroupPolicy(ctx context.Context, in *iam.DetachGroupPolicyInput) (*iam.DetachGroupPolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.detach(c, *in.PolicyArn, groupPrincipal(c, *in.GroupName, "iam:DetachGroupPolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.DetachGroupPolicyOutput{}, nil
}

func (e *Emulator) ListAttachedGroupPolicies(ctx context.Context, in *iam.ListAttachedGroupPoliciesInput) (*iam.ListAttachedGroupPoliciesOutput, error) {
	c := callerOf(ctx)
	load := groupPrincipal(c, *in.GroupName, "iam:ListAttachedGroupPolicies")
	page, next, err := e.attached(c, "ListAttachedGroupPolicies", load, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedGroupPoliciesOutput{AttachedPolicies: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) AttachRolePolicy(ctx context.Context, in *iam.AttachRolePolicyInput) (*iam.AttachRolePolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.attach(c, *in.PolicyArn, rolePrincipal(c, *in.RoleName, "iam:AttachRolePolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.AttachRolePolicyOutput{}, nil
}

func (e *Emulator) DetachRolePolicy(ctx context.Context, in *iam.DetachRolePolicyInput) (*iam.DetachRolePolicyOutput, error) {
	c := callerOf(ctx)
	if err := e.detach(c, *in.PolicyArn, rolePrincipal(c, *in.RoleName, "iam:DetachRolePolicy", policyARNKey(*in.PolicyArn))); err != nil {
		return nil, err
	}
	return &iam.DetachRolePolicyOutput{}, nil
}

func (e *Emulator) ListAttachedRolePolicies(ctx context.Context, in *iam.ListAttachedRolePoliciesInput) (*iam.ListAttachedRolePoliciesOutput, error) {
	c := callerOf(ctx)
	load := rolePrincipal(c, *in.RoleName, "iam:ListAttachedRolePolicies")
	page, next, err := e.attached(c, "ListAttachedRolePolicies", load, in.PathPrefix, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: page, IsTruncated: next != nil, Marker: next}, nil
}

// policyEntity is one principal that uses a policy, as
// ListEntitiesForPolicy lists it.
type policyEntity struct{ kind, name, id string }

// ListEntitiesForPolicy lists the users, groups and roles that use the
// policy, each kind in name order, paged over all three. EntityFilter
// LocalManagedPolicy or AWSManagedPolicy lists nothing, as AWS answered.
func (e *Emulator) ListEntitiesForPolicy(ctx context.Context, in *iam.ListEntitiesForPolicyInput) (*iam.ListEntitiesForPolicyOutput, error) {
	c := callerOf(ctx)
	var entities []policyEntity
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:ListEntitiesForPolicy", policyNotAttachable)
		if err != nil {
			return err
		}
		entities, err = policyEntities(tx, c.Account, p.ref, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListEntitiesForPolicy", entities, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListEntitiesForPolicyOutput{
		PolicyUsers: []types.PolicyUser{}, PolicyGroups: []types.PolicyGroup{}, PolicyRoles: []types.PolicyRole{},
		IsTruncated: next != nil, Marker: next,
	}
	for _, en := range page {
		switch en.kind {
		case store.KindUser:
			out.PolicyUsers = append(out.PolicyUsers, types.PolicyUser{UserName: aws.String(en.name), UserId: aws.String(en.id)})
		case store.KindGroup:
			out.PolicyGroups = append(out.PolicyGroups, types.PolicyGroup{GroupName: aws.String(en.name), GroupId: aws.String(en.id)})
		case store.KindRole:
			out.PolicyRoles = append(out.PolicyRoles, types.PolicyRole{RoleName: aws.String(en.name), RoleId: aws.String(en.id)})
		}
	}
	return out, nil
}

// policyEntities is the principals that use the policy ref as the filters
// of in ask: users, then groups, then roles, each in name order.
func policyEntities(tx *store.Tx, account, ref string, in *iam.ListEntitiesForPolicyInput) ([]policyEntity, error) {
	uses, err := tx.PolicyUses(account, ref)
	if err != nil {
		return nil, err
	}
	var out []policyEntity
	for _, u := range uses {
		if !usageWanted(u.Usage, in.PolicyUsageFilter) || !kindWanted(u.Kind, in.EntityFilter) ||
			slices.ContainsFunc(out, func(en policyEntity) bool { return en.id == u.PrincipalID }) {
			continue
		}
		en := policyEntity{kind: u.Kind, id: u.PrincipalID}
		var path string
		switch u.Kind {
		case store.KindUser:
			usr, err := tx.UserByID(account, u.PrincipalID)
			if err != nil {
				return nil, err
			}
			en.name, path = usr.Name, usr.Path
		case store.KindGroup:
			g, err := tx.GroupByID(account, u.PrincipalID)
			if err != nil {
				return nil, err
			}
			en.name, path = g.Name, g.Path
		case store.KindRole:
			r, err := tx.RoleByID(account, u.PrincipalID)
			if err != nil {
				return nil, err
			}
			en.name, path = r.Name, r.Path
		}
		if strings.HasPrefix(path, aws.ToString(in.PathPrefix)) {
			out = append(out, en)
		}
	}
	kindOrder := []string{store.KindUser, store.KindGroup, store.KindRole}
	slices.SortFunc(out, func(a, b policyEntity) int {
		if a.kind != b.kind {
			return slices.Index(kindOrder, a.kind) - slices.Index(kindOrder, b.kind)
		}
		return strings.Compare(store.FoldName(a.name), store.FoldName(b.name))
	})
	return out, nil
}

func usageWanted(u store.Usage, filter types.PolicyUsageType) bool {
	switch filter {
	case types.PolicyUsageTypePermissionsPolicy:
		return u == store.UsagePermissions
	case types.PolicyUsageTypePermissionsBoundary:
		return u == store.UsageBoundary
	}
	return true
}

func kindWanted(kind string, filter types.EntityType) bool {
	switch filter {
	case "":
		return true
	case types.EntityTypeUser:
		return kind == store.KindUser
	case types.EntityTypeGroup:
		return kind == store.KindGroup
	case types.EntityTypeRole:
		return kind == store.KindRole
	}
	return false
}
