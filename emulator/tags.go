package emulator

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// maxTagsPerEntity is the tags quota of every taggable IAM entity.
const maxTagsPerEntity = 50

// newTags converts request tags, refusing keys that repeat in any case
// (IAM tag keys are case-insensitive). The model has checked each key's
// and value's length and pattern.
func newTags(in []types.Tag) ([]store.Tag, error) {
	if len(in) == 0 {
		return nil, nil
	}
	seen := make(map[string]bool, len(in))
	tags := make([]store.Tag, 0, len(in))
	for _, t := range in {
		k := strings.ToLower(aws.ToString(t.Key))
		if seen[k] {
			return nil, duplicateTagKeys()
		}
		seen[k] = true
		tags = append(tags, store.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	return tags, nil
}

// mergeTags overwrites tags whose key matches (in any case) and appends
// the rest, as TagUser does.
func mergeTags(have, add []store.Tag) []store.Tag { return mergeTagsBy(have, add, strings.EqualFold) }

// mergeTagsBy is mergeTags with keys the same when same says so (policy
// tag keys are case-sensitive).
func mergeTagsBy(have, add []store.Tag, same func(a, b string) bool) []store.Tag {
	out := append([]store.Tag(nil), have...)
next:
	for _, t := range add {
		for i := range out {
			if same(out[i].Key, t.Key) {
				out[i] = t
				continue next
			}
		}
		out = append(out, t)
	}
	return out
}

// removeTags drops tags whose key matches one of keys in any case; keys
// that match nothing are ignored, as AWS does.
func removeTags(have []store.Tag, keys []string) []store.Tag {
	return removeTagsBy(have, keys, strings.EqualFold)
}

// removeTagsBy is removeTags with keys the same when same says so.
func removeTagsBy(have []store.Tag, keys []string, same func(a, b string) bool) []store.Tag {
	out := have[:0:0]
	for _, t := range have {
		drop := false
		for _, k := range keys {
			drop = drop || same(t.Key, k)
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

func tagsOut(tags []store.Tag) []types.Tag {
	out := make([]types.Tag, len(tags))
	for i, t := range tags {
		out[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
	}
	return out
}

// taggable is one family of IAM entities whose tags have case-insensitive
// keys (users, roles, instance profiles, MFA devices, server
// certificates): how to load one by the name an action gives, authorized
// for that action, where its tags are, and how to store it back.
type taggable[T any] struct {
	quota string // LimitExceeded's quota name, e.g. "TagsPerUser"
	list  string // the list action, for its markers
	load  func(tx *store.Tx, c wire.Caller, name, action string, keys ...requestKey) (*T, error)
	tags  func(*T) *[]store.Tag
	save  func(tx *store.Tx, v *T) error
	// tooMany, when set, is the family's own answer past maxTagsPerEntity
	// instead of quotaExceeded(quota, …).
	tooMany func() error
}

// tagEntity adds or overwrites tags of the entity name.
func tagEntity[T any](e *Emulator, ctx context.Context, f taggable[T], name, action string, in []types.Tag) error {
	c := callerOf(ctx)
	add, err := newTags(in)
	if err != nil {
		return err
	}
	return e.db.Update(func(tx *store.Tx) error {
		v, err := f.load(tx, c, name, action, requestTagKeys(add)...)
		if err != nil {
			return err
		}
		tags := f.tags(v)
		if *tags = mergeTags(*tags, add); len(*tags) > maxTagsPerEntity {
			if f.tooMany != nil {
				return f.tooMany()
			}
			return quotaExceeded(f.quota, maxTagsPerEntity)
		}
		return f.save(tx, v)
	})
}

// untagEntity removes tags of the entity name.
func untagEntity[T any](e *Emulator, ctx context.Context, f taggable[T], name, action string, keys []string) error {
	c := callerOf(ctx)
	return e.db.Update(func(tx *store.Tx) error {
		v, err := f.load(tx, c, name, action, tagKeysKey(keys))
		if err != nil {
			return err
		}
		tags := f.tags(v)
		*tags = removeTags(*tags, keys)
		return f.save(tx, v)
	})
}

// entityTags is one page of the tags of the entity name.
func entityTags[T any](e *Emulator, ctx context.Context, f taggable[T], name, action string, marker *string, maxItems *int32) (page []types.Tag, next *string, err error) {
	c := callerOf(ctx)
	var tags []store.Tag
	err = e.db.View(func(tx *store.Tx) error {
		v, err := f.load(tx, c, name, action)
		if err == nil {
			tags = *f.tags(v)
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	have, next, err := pageOf(f.list, tags, marker, maxItems)
	return tagsOut(have), next, err
}
