package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/iamlocal/iamlocal/store"
)

// defaultMaxItems is the page size of IAM list actions without MaxItems.
const defaultMaxItems = 100

func pageSize(maxItems *int32) int {
	if maxItems == nil {
		return defaultMaxItems
	}
	return int(*maxItems) // the model bounds it to 1..1000
}

// A marker is opaque to clients, as AWS's are: where the next page of one
// list action starts (a folded name for cursor paging, an offset for
// slices), followed by a check value over the action and that position.
// A marker the server did not issue for that action (made up, mangled, or
// another list's) fails the check and is AWS's `Invalid Marker.` instead of
// a page that starts anywhere. The check is not a secret: markers only have
// to be recognised, across restarts too.
const markerCheckLen = 6

func markerCheck(list, pos string) []byte {
	sum := sha256.Sum256([]byte("iamlocal marker\x00" + list + "\x00" + pos))
	return sum[:markerCheckLen]
}

func encodeMarker(list, pos string) *string {
	raw := append([]byte(pos), markerCheck(list, pos)...)
	m := base64.RawURLEncoding.EncodeToString(raw)
	return &m
}

// decodeMarker is the position a marker of list carries, "" for none.
func decodeMarker(list string, marker *string) (string, error) {
	if marker == nil {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*marker)
	if err != nil || len(raw) <= markerCheckLen {
		return "", invalidMarker()
	}
	pos, check := string(raw[:len(raw)-markerCheckLen]), raw[len(raw)-markerCheckLen:]
	if string(check) != string(markerCheck(list, pos)) {
		return "", invalidMarker()
	}
	return pos, nil
}

// pageOf returns one page of items, which are in a stable order, and the
// marker of the next page when there is one.
func pageOf[T any](list string, items []T, marker *string, maxItems *int32) (page []T, next *string, err error) {
	pos, err := decodeMarker(list, marker)
	if err != nil {
		return nil, nil, err
	}
	start := 0
	if pos != "" {
		if start, err = strconv.Atoi(pos); err != nil || start < 0 || start > len(items) {
			return nil, nil, invalidMarker()
		}
	}
	end := min(start+pageSize(maxItems), len(items))
	if end < len(items) {
		next = encodeMarker(list, strconv.Itoa(end))
	}
	return items[start:end], next, nil
}

// pathPage is one page of a list action over entities kept in folded-name
// order (ListUsers, ListGroups, ListRoles, ListInstanceProfiles): those
// whose path starts with prefix, after the folded name after, each in its
// SDK view, and the marker of the next page when there is one.
func pathPage[T, O any](list, after, prefix string, maxItems *int32,
	each func(after string, fn func(*T) (bool, error)) error,
	path, name func(*T) string, view func(*T) (O, error)) (page []O, next *string, err error) {
	limit := pageSize(maxItems)
	page = []O{}
	var last string
	err = each(after, func(v *T) (bool, error) {
		if !strings.HasPrefix(path(v), prefix) {
			return true, nil
		}
		if len(page) == limit {
			next = encodeMarker(list, store.FoldName(last))
			return false, nil
		}
		o, err := view(v)
		page, last = append(page, o), name(v)
		return true, err
	})
	return page, next, err
}
