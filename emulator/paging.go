package emulator

import (
	"encoding/base64"
	"strconv"
)

// defaultMaxItems is the page size of IAM list actions without MaxItems.
const defaultMaxItems = 100

func pageSize(maxItems *int32) int {
	if maxItems == nil {
		return defaultMaxItems
	}
	return int(*maxItems) // the model bounds it to 1..1000
}

// A marker is opaque to clients, as AWS's are: the base64 of where the next
// page starts (a folded name for cursor paging, an offset for slices).
func encodeMarker(pos string) *string {
	m := base64.RawURLEncoding.EncodeToString([]byte(pos))
	return &m
}

func decodeMarker(marker *string) (string, error) {
	if marker == nil {
		return "", nil
	}
	pos, err := base64.RawURLEncoding.DecodeString(*marker)
	if err != nil || len(pos) == 0 {
		return "", invalidMarker()
	}
	return string(pos), nil
}

// pageOf returns one page of items, which are in a stable order, and the
// marker of the next page when there is one.
func pageOf[T any](items []T, marker *string, maxItems *int32) (page []T, next *string, err error) {
	pos, err := decodeMarker(marker)
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
		next = encodeMarker(strconv.Itoa(end))
	}
	return items[start:end], next, nil
}
