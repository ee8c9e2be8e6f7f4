package emulator

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/managed"
	"github.com/iamlocal/iamlocal/store"
)

// GetAccountAuthorizationDetails answers every user, group, role and
// managed policy the Filter asks for (all of them without one), with their
// inline and attached policies, and every version of each managed policy.
//
// MaxItems counts the items of all four lists together and one marker walks
// them in turn: users, then groups, then roles, then policies, each in the
// order its list action uses. AWS's order across the lists is not on
// record; this one is the order of the answer's lists.
//
// The AWS managed policies in the answer are those the account uses
// (attached, or a boundary: inferred), not the whole catalogue: AWS lists
// the policies "in use" here and every one only through ListPolicies
// (joshlarsen/aws-recon#21 moved its in-use policies to this action and
// kept ListPolicies for the rest).
func (e *Emulator) GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	c := callerOf(ctx)
	out := &iam.GetAccountAuthorizationDetailsOutput{
		UserDetailList: []types.UserDetail{}, GroupDetailList: []types.GroupDetail{},
		RoleDetailList: []types.RoleDetail{}, Policies: []types.ManagedPolicyDetail{},
	}
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:GetAccountAuthorizationDetails", "*"); err != nil {
			return err
		}
		counts, err := tx.PolicyUseCounts(c.Account)
		if err != nil {
			return err
		}
		entries, err := authEntries(tx, c.Account, in.Filter, counts)
		if err != nil {
			return err
		}
		page, next, err := pageOf("GetAccountAuthorizationDetails", entries, in.Marker, in.MaxItems)
		if err != nil {
			return err
		}
		out.IsTruncated, out.Marker = next != nil, next
		return addAuthDetails(tx, partition(c), out, page, counts)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// authEntry is one item of the answer: a user, a group, a role or a
// managed policy.
type authEntry struct {
	user   *store.User
	group  *store.Group
	role   *store.Role
	policy *managedPolicy
}

// authEntries is the items the filter asks for, in the order they page.
func authEntries(tx *store.Tx, account string, filter []types.EntityType, counts map[string]store.UseCounts) ([]authEntry, error) {
	wanted := func(kind types.EntityType) bool { return len(filter) == 0 || slices.Contains(filter, kind) }
	var entries []authEntry
	if wanted(types.EntityTypeUser) {
		err := tx.Users(account, "", func(u *store.User) (bool, error) {
			entries = append(entries, authEntry{user: u})
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if wanted(types.EntityTypeGroup) {
		err := tx.Groups(account, "", func(g *store.Group) (bool, error) {
			entries = append(entries, authEntry{group: g})
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	if wanted(types.EntityTypeRole) {
		err := tx.Roles(account, "", func(r *store.Role) (bool, error) {
			entries = append(entries, authEntry{role: r})
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	var policies []*managedPolicy
	if wanted(types.EntityTypeLocalManagedPolicy) {
		local, err := customerPolicies(tx, account)
		if err != nil {
			return nil, err
		}
		policies = local
	}
	if wanted(types.EntityTypeAWSManagedPolicy) {
		policies = append(policies, usedAWSPolicies(counts)...)
	}
	slices.SortFunc(policies, func(a, b *managedPolicy) int { return cmp.Compare(a.id(), b.id()) })
	for _, p := range policies {
		entries = append(entries, authEntry{policy: p})
	}
	return entries, nil
}

// usedAWSPolicies is the AWS managed policies counts shows in use.
func usedAWSPolicies(counts map[string]store.UseCounts) []*managedPolicy {
	var out []*managedPolicy
	for ref := range counts {
		if !strings.HasPrefix(ref, awsPolicyRefs) {
			continue
		}
		if p, ok := managed.Lookup("arn:aws:" + ref); ok {
			out = append(out, &managedPolicy{ref: ref, aws: p})
		}
	}
	return out
}

// addAuthDetails adds the details of the page's items to out.
func addAuthDetails(tx *store.Tx, partition string, out *iam.GetAccountAuthorizationDetailsOutput, page []authEntry, counts map[string]store.UseCounts) error {
	for _, en := range page {
		switch {
		case en.user != nil:
			d, err := userDetail(tx, partition, en.user)
			if err != nil {
				return err
			}
			out.UserDetailList = append(out.UserDetailList, d)
		case en.group != nil:
			d, err := groupDetail(tx, partition, en.group)
			if err != nil {
				return err
			}
			out.GroupDetailList = append(out.GroupDetailList, d)
		case en.role != nil:
			d, err := roleDetail(tx, partition, en.role)
			if err != nil {
				return err
			}
			out.RoleDetailList = append(out.RoleDetailList, d)
		default:
			out.Policies = append(out.Policies, policyDetail(partition, en.policy, counts[en.policy.ref]))
		}
	}
	return nil
}

// userDetail is u with its inline policies (left out when there are none,
// as AWS answers), groups, attached policies, boundary and tags (an empty
// list for none).
func userDetail(tx *store.Tx, partition string, u *store.User) (types.UserDetail, error) {
	base := userOut(partition, u, true)
	d := types.UserDetail{
		Path: base.Path, UserName: base.UserName, UserId: base.UserId, Arn: base.Arn, CreateDate: base.CreateDate,
		PermissionsBoundary: base.PermissionsBoundary, Tags: tagsOut(u.Tags),
	}
	policies, err := inlineDetails(tx, userEmbedder(u))
	if err != nil {
		return d, err
	}
	if len(policies) > 0 {
		d.UserPolicyList = policies
	}
	groups, err := userGroups(tx, u)
	if err != nil {
		return d, err
	}
	d.GroupList = make([]string, 0, len(groups))
	for _, g := range groups {
		d.GroupList = append(d.GroupList, g.Name)
	}
	d.AttachedManagedPolicies, err = attachedDetails(tx, partition, u.Account, u.ID)
	return d, err
}

// groupDetail is g with its inline and attached policies.
func groupDetail(tx *store.Tx, partition string, g *store.Group) (types.GroupDetail, error) {
	base := groupOut(partition, g)
	d := types.GroupDetail{Path: base.Path, GroupName: base.GroupName, GroupId: base.GroupId, Arn: base.Arn, CreateDate: base.CreateDate}
	var err error
	if d.GroupPolicyList, err = inlineDetails(tx, groupEmbedder(g)); err != nil {
		return d, err
	}
	d.AttachedManagedPolicies, err = attachedDetails(tx, partition, g.Account, g.ID)
	return d, err
}

// roleDetail is r with its instance profiles, inline and attached
// policies, boundary, tags (an empty list for none) and last use.
func roleDetail(tx *store.Tx, partition string, r *store.Role) (types.RoleDetail, error) {
	base := roleOut(partition, r, roleFull)
	d := types.RoleDetail{
		Path: base.Path, RoleName: base.RoleName, RoleId: base.RoleId, Arn: base.Arn, CreateDate: base.CreateDate,
		AssumeRolePolicyDocument: base.AssumeRolePolicyDocument, PermissionsBoundary: base.PermissionsBoundary,
		Tags: tagsOut(r.Tags), RoleLastUsed: base.RoleLastUsed,
	}
	profiles, err := tx.InstanceProfilesOfRole(r.Account, r.ID)
	if err != nil {
		return d, err
	}
	d.InstanceProfileList = make([]types.InstanceProfile, 0, len(profiles))
	for _, p := range profiles {
		roles, err := profileRoles(tx, p)
		if err != nil {
			return d, err
		}
		d.InstanceProfileList = append(d.InstanceProfileList, *instanceProfileOut(partition, p, roles, false))
	}
	if d.RolePolicyList, err = inlineDetails(tx, roleEmbedder(r)); err != nil {
		return d, err
	}
	d.AttachedManagedPolicies, err = attachedDetails(tx, partition, r.Account, r.ID)
	return d, err
}

// inlineDetails is p's inline policies in name order, documents
// URL-encoded; an empty list for none.
func inlineDetails(tx *store.Tx, p embedder) ([]types.PolicyDetail, error) {
	policies, err := tx.InlinePolicies(p.account, p.id)
	out := make([]types.PolicyDetail, 0, len(policies))
	for _, ip := range policies {
		out = append(out, types.PolicyDetail{PolicyName: aws.String(ip.Name), PolicyDocument: documentOut(ip.Document)})
	}
	return out, err
}

func attachedDetails(tx *store.Tx, partition, account, principalID string) ([]types.AttachedPolicy, error) {
	refs, err := tx.AttachedPolicies(account, principalID)
	return attachedOut(partition, refs, ""), err
}

// policyDetail is p with its description and every version, newest first,
// documents URL-encoded.
func policyDetail(partition string, p *managedPolicy, n store.UseCounts) types.ManagedPolicyDetail {
	base := p.out(partition, n)
	d := types.ManagedPolicyDetail{
		PolicyName: base.PolicyName, PolicyId: base.PolicyId, Arn: base.Arn, Path: base.Path,
		DefaultVersionId: base.DefaultVersionId, AttachmentCount: base.AttachmentCount,
		PermissionsBoundaryUsageCount: base.PermissionsBoundaryUsageCount, IsAttachable: base.IsAttachable,
		CreateDate: base.CreateDate, UpdateDate: base.UpdateDate,
	}
	if p.customer != nil && p.customer.Description != "" {
		d.Description = aws.String(p.customer.Description)
	}
	versions, def := p.versions()
	d.PolicyVersionList = make([]types.PolicyVersion, 0, len(versions))
	for i := range versions {
		d.PolicyVersionList = append(d.PolicyVersionList, *versionOut(&versions[i], versions[i].ID == def, true))
	}
	return d
}
