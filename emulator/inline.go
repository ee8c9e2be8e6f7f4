package emulator

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Quotas on the inline policies of one principal, all of them together,
// counted as policy.Size counts; roles have 10,240 (RolePolicySize)
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const (
	maxUserPolicySize  = 2048 // UserPolicySize
	maxGroupPolicySize = 5120 // GroupPolicySize
)

// embedder is a principal that embeds inline policies: a user or a group
// or a role.
type embedder struct {
	kind    string // "user", "group" or "role", as AWS's texts name it
	account string
	id      string // the unique id the policies are kept under
	name    string
	maxSize int
}

func userEmbedder(u *store.User) embedder {
	return embedder{"user", u.Account, u.ID, u.Name, maxUserPolicySize}
}

func groupEmbedder(g *store.Group) embedder {
	return embedder{"group", g.Account, g.ID, g.Name, maxGroupPolicySize}
}

// identityDocument checks doc as AWS checks an identity policy: nil, or
// AWS's MalformedPolicyDocument for it.
func identityDocument(doc string) error {
	_, err := policy.ParseIdentity(doc)
	var refused *policy.Error
	if errors.As(err, &refused) {
		return malformedPolicyDocument(refused.Message)
	}
	return err
}

// putInline embeds the policy name with document doc in p, replacing the
// one of that name in any case; the name keeps the case of the last put.
// That names are unique regardless of case is inferred: AWS's docs say only
// that they are unique per principal, and IAM's other names are. docErr is
// the document's check, made before the transaction and reported after p's
// existence and the caller's permission, as AWS orders existence before a
// request's other faults (aws-facts §7.1; for this action, inferred).
func putInline(tx *store.Tx, p embedder, name, doc string, docErr error) error {
	if docErr != nil {
		return docErr
	}
	policies, err := tx.InlinePolicies(p.account, p.id)
	if err != nil {
		return err
	}
	size := policy.Size(doc)
	for _, other := range policies {
		if !strings.EqualFold(other.Name, name) {
			size += policy.Size(other.Document)
		}
	}
	if size > p.maxSize {
		return inlinePolicySizeExceeded(p.maxSize, p.kind, p.name)
	}
	return tx.PutInlinePolicy(p.account, p.id, &store.InlinePolicy{Name: name, Document: doc})
}

// inline loads p's policy named name, or AWS's NoSuchEntity for it.
func inline(tx *store.Tx, p embedder, name string) (*store.InlinePolicy, error) {
	ip, err := tx.InlinePolicy(p.account, p.id, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchInlinePolicy(p.kind, name)
	}
	return ip, err
}

// inlineNames is the names of p's policies, in name order.
func inlineNames(tx *store.Tx, p embedder) ([]string, error) {
	policies, err := tx.InlinePolicies(p.account, p.id)
	names := make([]string, 0, len(policies))
	for _, ip := range policies {
		names = append(names, ip.Name)
	}
	return names, err
}

func deleteInline(tx *store.Tx, p embedder, name string) error {
	err := tx.DeleteInlinePolicy(p.account, p.id, name)
	if errors.Is(err, store.ErrNotFound) {
		return noSuchInlinePolicy(p.kind, name)
	}
	return err
}

// hasInline is AWS's DeleteConflict while p still embeds a policy.
func hasInline(tx *store.Tx, p embedder) error {
	policies, err := tx.InlinePolicies(p.account, p.id)
	if err != nil {
		return err
	}
	if len(policies) > 0 {
		return deleteConflict("delete policies")
	}
	return nil
}

// userEmbedderFor loads the named user as an embedder and checks that the
// caller may perform action on it.
func userEmbedderFor(tx *store.Tx, c wire.Caller, name, action string) (embedder, error) {
	u, err := authorizedUser(tx, c, name, action)
	if err != nil {
		return embedder{}, err
	}
	return userEmbedder(u), nil
}

// groupEmbedderFor loads the named group as an embedder and checks that the
// caller may perform action on it.
func groupEmbedderFor(tx *store.Tx, c wire.Caller, name, action string) (embedder, error) {
	g, err := authorizedGroup(tx, c, name, action)
	if err != nil {
		return embedder{}, err
	}
	return groupEmbedder(g), nil
}

// roleEmbedderFor loads the named role as an embedder and checks that the
// caller may perform action on it.
func roleEmbedderFor(tx *store.Tx, c wire.Caller, name, action string) (embedder, error) {
	r, err := authorizedRole(tx, c, name, action)
	if err != nil {
		return embedder{}, err
	}
	return roleEmbedder(r), nil
}

// loadEmbedder loads a named principal as an embedder and checks that the
// caller may perform action on it: userEmbedderFor, groupEmbedderFor,
// roleEmbedderFor.
type loadEmbedder func(tx *store.Tx, c wire.Caller, name, action string) (embedder, error)

// putPolicy is Put{User,Group}Policy on the principal named principal.
func (e *Emulator) putPolicy(ctx context.Context, load loadEmbedder, principal, action, name, doc string) error {
	c := callerOf(ctx)
	docErr := identityDocument(doc)
	return e.db.Update(func(tx *store.Tx) error {
		p, err := load(tx, c, principal, action)
		if err != nil {
			return err
		}
		return putInline(tx, p, name, doc, docErr)
	})
}

// getPolicy is Get{User,Group}Policy: the principal and its policy name.
func (e *Emulator) getPolicy(ctx context.Context, load loadEmbedder, principal, action, name string) (p embedder, ip *store.InlinePolicy, err error) {
	c := callerOf(ctx)
	err = e.db.View(func(tx *store.Tx) error {
		if p, err = load(tx, c, principal, action); err != nil {
			return err
		}
		ip, err = inline(tx, p, name)
		return err
	})
	return p, ip, err
}

// listPolicies is List{User,Group}Policies: one page of the principal's
// policy names, and the marker of the next.
func (e *Emulator) listPolicies(ctx context.Context, load loadEmbedder, principal, action, list string, marker *string, maxItems *int32) (page []string, next *string, err error) {
	c := callerOf(ctx)
	var names []string
	err = e.db.View(func(tx *store.Tx) error {
		p, err := load(tx, c, principal, action)
		if err != nil {
			return err
		}
		names, err = inlineNames(tx, p)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return pageOf(list, names, marker, maxItems)
}

// deletePolicy is Delete{User,Group}Policy.
func (e *Emulator) deletePolicy(ctx context.Context, load loadEmbedder, principal, action, name string) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		p, err := load(tx, c, principal, action)
		if err != nil {
			return err
		}
		return deleteInline(tx, p, name)
	})
}

func (e *Emulator) PutUserPolicy(ctx context.Context, in *iam.PutUserPolicyInput) (*iam.PutUserPolicyOutput, error) {
	if err := e.putPolicy(ctx, userEmbedderFor, *in.UserName, "iam:PutUserPolicy", *in.PolicyName, *in.PolicyDocument); err != nil {
		return nil, err
	}
	return &iam.PutUserPolicyOutput{}, nil
}

func (e *Emulator) GetUserPolicy(ctx context.Context, in *iam.GetUserPolicyInput) (*iam.GetUserPolicyOutput, error) {
	p, ip, err := e.getPolicy(ctx, userEmbedderFor, *in.UserName, "iam:GetUserPolicy", *in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &iam.GetUserPolicyOutput{UserName: aws.String(p.name), PolicyName: aws.String(ip.Name), PolicyDocument: documentOut(ip.Document)}, nil
}

func (e *Emulator) ListUserPolicies(ctx context.Context, in *iam.ListUserPoliciesInput) (*iam.ListUserPoliciesOutput, error) {
	page, next, err := e.listPolicies(ctx, userEmbedderFor, *in.UserName, "iam:ListUserPolicies", "ListUserPolicies", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListUserPoliciesOutput{PolicyNames: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) DeleteUserPolicy(ctx context.Context, in *iam.DeleteUserPolicyInput) (*iam.DeleteUserPolicyOutput, error) {
	if err := e.deletePolicy(ctx, userEmbedderFor, *in.UserName, "iam:DeleteUserPolicy", *in.PolicyName); err != nil {
		return nil, err
	}
	return &iam.DeleteUserPolicyOutput{}, nil
}

func (e *Emulator) PutGroupPolicy(ctx context.Context, in *iam.PutGroupPolicyInput) (*iam.PutGroupPolicyOutput, error) {
	if err := e.putPolicy(ctx, groupEmbedderFor, *in.GroupName, "iam:PutGroupPolicy", *in.PolicyName, *in.PolicyDocument); err != nil {
		return nil, err
	}
	return &iam.PutGroupPolicyOutput{}, nil
}

func (e *Emulator) GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput) (*iam.GetGroupPolicyOutput, error) {
	p, ip, err := e.getPolicy(ctx, groupEmbedderFor, *in.GroupName, "iam:GetGroupPolicy", *in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &iam.GetGroupPolicyOutput{GroupName: aws.String(p.name), PolicyName: aws.String(ip.Name), PolicyDocument: documentOut(ip.Document)}, nil
}

func (e *Emulator) ListGroupPolicies(ctx context.Context, in *iam.ListGroupPoliciesInput) (*iam.ListGroupPoliciesOutput, error) {
	page, next, err := e.listPolicies(ctx, groupEmbedderFor, *in.GroupName, "iam:ListGroupPolicies", "ListGroupPolicies", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListGroupPoliciesOutput{PolicyNames: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) DeleteGroupPolicy(ctx context.Context, in *iam.DeleteGroupPolicyInput) (*iam.DeleteGroupPolicyOutput, error) {
	if err := e.deletePolicy(ctx, groupEmbedderFor, *in.GroupName, "iam:DeleteGroupPolicy", *in.PolicyName); err != nil {
		return nil, err
	}
	return &iam.DeleteGroupPolicyOutput{}, nil
}

func roleEmbedder(r *store.Role) embedder {
	return embedder{"role", r.Account, r.ID, r.Name, maxRolePolicySize}
}

func (e *Emulator) PutRolePolicy(ctx context.Context, in *iam.PutRolePolicyInput) (*iam.PutRolePolicyOutput, error) {
	if err := e.putPolicy(ctx, roleEmbedderFor, *in.RoleName, "iam:PutRolePolicy", *in.PolicyName, *in.PolicyDocument); err != nil {
		return nil, err
	}
	return &iam.PutRolePolicyOutput{}, nil
}

func (e *Emulator) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput) (*iam.GetRolePolicyOutput, error) {
	p, ip, err := e.getPolicy(ctx, roleEmbedderFor, *in.RoleName, "iam:GetRolePolicy", *in.PolicyName)
	if err != nil {
		return nil, err
	}
	return &iam.GetRolePolicyOutput{RoleName: aws.String(p.name), PolicyName: aws.String(ip.Name), PolicyDocument: documentOut(ip.Document)}, nil
}

func (e *Emulator) ListRolePolicies(ctx context.Context, in *iam.ListRolePoliciesInput) (*iam.ListRolePoliciesOutput, error) {
	page, next, err := e.listPolicies(ctx, roleEmbedderFor, *in.RoleName, "iam:ListRolePolicies", "ListRolePolicies", in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: page, IsTruncated: next != nil, Marker: next}, nil
}

func (e *Emulator) DeleteRolePolicy(ctx context.Context, in *iam.DeleteRolePolicyInput) (*iam.DeleteRolePolicyOutput, error) {
	if err := e.deletePolicy(ctx, roleEmbedderFor, *in.RoleName, "iam:DeleteRolePolicy", *in.PolicyName); err != nil {
		return nil, err
	}
	return &iam.DeleteRolePolicyOutput{}, nil
}
