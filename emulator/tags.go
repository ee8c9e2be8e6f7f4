package emulator

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
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
