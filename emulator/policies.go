package emulator

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/managed"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// managedPolicy is a customer managed policy or an AWS managed one, as the
// actions that take a PolicyArn see either.
type managedPolicy struct {
	ref      string        // the ARN without "arn:<partition>:" (store's policy ref)
	customer *store.Policy // nil for an AWS managed policy
	aws      *managed.Policy
}

// awsPolicyRefs is how the refs of AWS managed policies begin.
const awsPolicyRefs = "iam::aws:policy/"

// policyRefOf is the ref a PolicyArn names in the caller's partition, ""
// when it names another partition (no policy there), or ValidationError
// when it is no ARN at all.
func policyRefOf(c wire.Caller, arn string) (string, error) {
	if !strings.HasPrefix(arn, "arn:") || strings.Count(arn, ":") < 5 {
		return "", invalidPolicyARN(arn)
	}
	ref, _ := strings.CutPrefix(arn, "arn:"+partition(c)+":")
	if ref == arn {
		return "", nil
	}
	return ref, nil
}

// findPolicy loads the policy ref names in the account: nil when there is
// none. ARNs match exactly, case included.
func findPolicy(tx *store.Tx, account, ref string) (*managedPolicy, error) {
	if strings.HasPrefix(ref, awsPolicyRefs) {
		if p, ok := managed.Lookup("arn:aws:" + ref); ok {
			return &managedPolicy{ref: ref, aws: p}, nil
		}
		return nil, nil
	}
	rest, ok := strings.CutPrefix(ref, "iam::"+account+":policy/")
	if !ok {
		return nil, nil
	}
	i := strings.LastIndexByte(rest, '/')
	path, name := "/"+rest[:i+1], rest[i+1:]
	p, err := tx.Policy(account, name)
	if errors.Is(err, store.ErrNotFound) || err == nil && (p.Name != name || p.Path != path) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &managedPolicy{ref: ref, customer: p}, nil
}

// authorizedPolicy loads the policy arn names, or notFound(arn), and
// checks that the caller may perform action on it.
func authorizedPolicy(tx *store.Tx, c wire.Caller, arn, action string, notFound func(string) error, keys ...requestKey) (*managedPolicy, error) {
	ref, err := policyRefOf(c, arn)
	if err != nil {
		return nil, err
	}
	var p *managedPolicy
	if ref != "" {
		if p, err = findPolicy(tx, c.Account, ref); err != nil {
			return nil, err
		}
	}
	if p == nil {
		return nil, missingAuthorized(tx, c, action, arn, notFound(arn))
	}
	if p.customer != nil {
		keys = append(resourceTagKeys(p.customer.Tags, false), keys...)
	}
	return p, authorize(tx, c, action, arn, keys...)
}

// customerPolicy loads a customer managed policy for an action that
// changes it: AWS managed policies are read-only.
func customerPolicy(tx *store.Tx, c wire.Caller, arn, action string, notFound func(string) error, keys ...requestKey) (*store.Policy, error) {
	p, err := authorizedPolicy(tx, c, arn, action, notFound, keys...)
	if err != nil {
		return nil, err
	}
	if p.customer == nil {
		return nil, awsPolicyReadOnly(c.ARN, action, arn)
	}
	return p.customer, nil
}

func (p *managedPolicy) arn(partition string) string { return "arn:" + partition + ":" + p.ref }

func (p *managedPolicy) name() string {
	if p.customer != nil {
		return p.customer.Name
	}
	return p.aws.Name
}

func (p *managedPolicy) path() string {
	if p.customer != nil {
		return p.customer.Path
	}
	return p.aws.Path
}

func (p *managedPolicy) id() string {
	if p.customer != nil {
		return p.customer.ID
	}
	return p.aws.ID
}

// out is the SDK view of p as lists show it: no description, no tags.
func (p *managedPolicy) out(partition string, n store.UseCounts) *types.Policy {
	out := &types.Policy{
		Arn:                           aws.String(p.arn(partition)),
		PolicyName:                    aws.String(p.name()),
		PolicyId:                      aws.String(p.id()),
		Path:                          aws.String(p.path()),
		AttachmentCount:               aws.Int32(int32(n.Attachments)),
		PermissionsBoundaryUsageCount: aws.Int32(int32(n.Boundaries)),
		IsAttachable:                  true,
	}
	if c := p.customer; c != nil {
		out.DefaultVersionId, out.CreateDate, out.UpdateDate = aws.String(c.Default), aws.Time(c.Created), aws.Time(c.Updated)
	} else {
		out.DefaultVersionId, out.CreateDate, out.UpdateDate = aws.String(p.aws.DefaultVersionID), aws.Time(p.aws.Created), aws.Time(p.aws.Updated)
	}
	return out
}

// useCounts counts the principals that use the policy ref, per usage.
func useCounts(tx *store.Tx, account, ref string) (store.UseCounts, error) {
	uses, err := tx.PolicyUses(account, ref)
	var n store.UseCounts
	for _, u := range uses {
		if u.Usage == store.UsageBoundary {
			n.Boundaries++
		} else {
			n.Attachments++
		}
	}
	return n, err
}

// checkPolicyDocument refuses a managed policy document as AWS does: its
// grammar, then its size.
func checkPolicyDocument(doc string) error {
	if _, err := policy.ParseIdentity(doc); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			return malformedPolicyDocument(pe.Message)
		}
		return err
	}
	if policy.Size(doc) > maxPolicySize {
		return policySizeQuota()
	}
	return nil
}

func (e *Emulator) CreatePolicy(ctx context.Context, in *iam.CreatePolicyInput) (*iam.CreatePolicyOutput, error) {
	c := callerOf(ctx)
	doc := aws.ToString(in.PolicyDocument)
	if err := checkPolicyDocument(doc); err != nil {
		return nil, err
	}
	tags, err := newPolicyTags(in.Tags)
	if err != nil {
		return nil, err
	}
	now := e.now()
	p := &store.Policy{
		Account: c.Account, Name: *in.PolicyName, Path: aws.ToString(in.Path), ID: uniqueID(prefixPolicy),
		Description: aws.ToString(in.Description), Created: now, Updated: now, Tags: tags,
		Default: "v1", Versions: []store.PolicyVersion{{ID: "v1", Document: doc, Created: now}}, Made: 1,
	}
	if p.Path == "" {
		p.Path = "/"
	}
	err = e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreatePolicy", policyARN(partition(c), c.Account, p.Path, p.Name), requestTagKeys(p.Tags)...); err != nil {
			return err
		}
		if tx.CountPolicies(c.Account) >= maxPolicies {
			return quotaExceeded("PoliciesPerAccount", maxPolicies) // the quota's name is inferred
		}
		if err := tx.CreatePolicy(p); errors.Is(err, store.ErrExists) {
			return policyExists(p.Name)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := customerPolicyRef(p).out(partition(c), store.UseCounts{})
	if len(p.Tags) > 0 {
		out.Tags = tagsOut(p.Tags)
	}
	return &iam.CreatePolicyOutput{Policy: out}, nil
}

func customerPolicyRef(p *store.Policy) *managedPolicy {
	return &managedPolicy{ref: strings.TrimPrefix(policyARN("", p.Account, p.Path, p.Name), "arn::"), customer: p}
}

// GetPolicy answers the policy with its description and tags (always a
// list, empty when there are none, as AWS answers).
func (e *Emulator) GetPolicy(ctx context.Context, in *iam.GetPolicyInput) (*iam.GetPolicyOutput, error) {
	c := callerOf(ctx)
	var out *types.Policy
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:GetPolicy", noSuchPolicy)
		if err != nil {
			return err
		}
		n, err := useCounts(tx, c.Account, p.ref)
		out = p.out(partition(c), n)
		out.Tags = []types.Tag{}
		if p.customer != nil {
			out.Tags = tagsOut(p.customer.Tags)
			if p.customer.Description != "" {
				out.Description = aws.String(p.customer.Description)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &iam.GetPolicyOutput{Policy: out}, nil
}

// ListPolicies lists by ascending PolicyId, the order AWS lists its own
// policies in (emulator/managed/README.md); that customer policies share
// that order is inferred. The marker is the last id of the page.
func (e *Emulator) ListPolicies(ctx context.Context, in *iam.ListPoliciesInput) (*iam.ListPoliciesOutput, error) {
	c := callerOf(ctx)
	after, err := decodeMarker("ListPolicies", in.Marker)
	if err != nil {
		return nil, err
	}
	var local []*managedPolicy
	var counts map[string]store.UseCounts
	err = e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListPolicies", "*"); err != nil {
			return err
		}
		if counts, err = tx.PolicyUseCounts(c.Account); err != nil {
			return err
		}
		if in.Scope != types.PolicyScopeTypeAws {
			local, err = customerPolicies(tx, c.Account)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(local, func(a, b *managedPolicy) int { return cmp.Compare(a.id(), b.id()) })
	var awsListed []*managed.Policy // already in id order
	if in.Scope != types.PolicyScopeTypeLocal {
		awsListed = managed.WithPathPrefix(aws.ToString(in.PathPrefix))
	}
	i, _ := slices.BinarySearchFunc(local, after, func(p *managedPolicy, id string) int { return cmp.Compare(p.id(), id) })
	j, _ := slices.BinarySearchFunc(awsListed, after, func(p *managed.Policy, id string) int { return cmp.Compare(p.ID, id) })
	out := &iam.ListPoliciesOutput{Policies: []types.Policy{}}
	limit := pageSize(in.MaxItems)
	for i < len(local) || j < len(awsListed) {
		var p *managedPolicy
		if j == len(awsListed) || i < len(local) && local[i].id() < awsListed[j].ID {
			p, i = local[i], i+1
		} else {
			p, j = &managedPolicy{ref: strings.TrimPrefix(awsListed[j].ARN, "arn:aws:"), aws: awsListed[j]}, j+1
		}
		n := counts[p.ref]
		if p.id() == after || !strings.HasPrefix(p.path(), aws.ToString(in.PathPrefix)) || !usedAs(n, in.OnlyAttached, in.PolicyUsageFilter) {
			continue
		}
		if len(out.Policies) == limit {
			out.IsTruncated = true
			out.Marker = encodeMarker("ListPolicies", *out.Policies[limit-1].PolicyId)
			break
		}
		out.Policies = append(out.Policies, *p.out(partition(c), n))
	}
	return out, nil
}

// usedAs is whether a policy with counts n passes ListPolicies' filters:
// OnlyAttached keeps the used ones; PolicyUsageFilter keeps those used in
// that way (without OnlyAttached too: inferred).
func usedAs(n store.UseCounts, onlyAttached bool, usage types.PolicyUsageType) bool {
	switch usage {
	case types.PolicyUsageTypePermissionsPolicy:
		return n.Attachments > 0
	case types.PolicyUsageTypePermissionsBoundary:
		return n.Boundaries > 0
	}
	return !onlyAttached || n.Attachments+n.Boundaries > 0
}

func customerPolicies(tx *store.Tx, account string) ([]*managedPolicy, error) {
	var out []*managedPolicy
	err := tx.Policies(account, func(p *store.Policy) (bool, error) {
		out = append(out, customerPolicyRef(p))
		return true, nil
	})
	return out, err
}

// DeletePolicy deletes a customer managed policy with its default version,
// once nothing uses it and its other versions are gone.
func (e *Emulator) DeletePolicy(ctx context.Context, in *iam.DeletePolicyInput) (*iam.DeletePolicyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:DeletePolicy", noSuchPolicy)
		if err != nil {
			return err
		}
		if p.customer == nil {
			return awsPolicyUndeletable()
		}
		// A boundary use refuses the delete too (inferred: AWS's text
		// names no usage).
		if uses, err := tx.PolicyUses(c.Account, p.ref); err != nil {
			return err
		} else if len(uses) > 0 {
			return policyInUse()
		}
		if len(p.customer.Versions) > 1 {
			return policyHasVersions()
		}
		return tx.DeletePolicy(p.customer)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeletePolicyOutput{}, nil
}
