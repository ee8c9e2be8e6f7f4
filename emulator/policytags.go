package emulator

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
)

// newPolicyTags converts request tags, refusing a key given twice: policy
// tag keys are case-sensitive.
func newPolicyTags(in []types.Tag) ([]store.Tag, error) {
	tags := make([]store.Tag, 0, len(in))
	for _, t := range in {
		k := aws.ToString(t.Key)
		if slices.ContainsFunc(tags, func(have store.Tag) bool { return have.Key == k }) {
			return nil, duplicatePolicyTagKeys()
		}
		tags = append(tags, store.Tag{Key: k, Value: aws.ToString(t.Value)})
	}
	return tags, nil
}

func sameKey(a, b string) bool { return a == b }

func (e *Emulator) TagPolicy(ctx context.Context, in *iam.TagPolicyInput) (*iam.TagPolicyOutput, error) {
	c := callerOf(ctx)
	add, err := newPolicyTags(in.Tags)
	if err != nil {
		return nil, err
	}
	err = e.db.Update(func(tx *store.Tx) error {
		p, err := customerPolicy(tx, c, *in.PolicyArn, "iam:TagPolicy", noSuchPolicy, requestTagKeys(add)...)
		if err != nil {
			return err
		}
		if p.Tags = mergeTagsBy(p.Tags, add, sameKey); len(p.Tags) > maxTagsPerEntity {
			return quotaExceeded("TagsPerPolicy", maxTagsPerEntity)
		}
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.TagPolicyOutput{}, nil
}

func (e *Emulator) UntagPolicy(ctx context.Context, in *iam.UntagPolicyInput) (*iam.UntagPolicyOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		p, err := customerPolicy(tx, c, *in.PolicyArn, "iam:UntagPolicy", noSuchPolicy, tagKeysKey(in.TagKeys))
		if err != nil {
			return err
		}
		p.Tags = removeTagsBy(p.Tags, in.TagKeys, sameKey)
		return tx.UpdatePolicy(p)
	})
	if err != nil {
		return nil, err
	}
	return &iam.UntagPolicyOutput{}, nil
}

// ListPolicyTags lists by key length, then key: the order AWS answered
// (a, b, z, abc; A before a).
func (e *Emulator) ListPolicyTags(ctx context.Context, in *iam.ListPolicyTagsInput) (*iam.ListPolicyTagsOutput, error) {
	c := callerOf(ctx)
	var tags []store.Tag
	err := e.db.View(func(tx *store.Tx) error {
		p, err := authorizedPolicy(tx, c, *in.PolicyArn, "iam:ListPolicyTags", noSuchPolicy)
		if err == nil && p.customer != nil {
			tags = slices.Clone(p.customer.Tags)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(tags, func(a, b store.Tag) int {
		return cmp.Or(cmp.Compare(len(a.Key), len(b.Key)), strings.Compare(a.Key, b.Key))
	})
	page, next, err := pageOf("ListPolicyTags", tags, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListPolicyTagsOutput{Tags: tagsOut(page), IsTruncated: next != nil, Marker: next}, nil
}
