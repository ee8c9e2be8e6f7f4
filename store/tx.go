package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

var (
	// ErrNotFound means the record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists means a record with the same unique key exists.
	ErrExists = errors.New("store: exists")
)

// Tx is one transaction. It is valid only inside the View or Update
// function that received it.
type Tx struct {
	tx    *bolt.Tx
	dirty bool // this function wrote something: its failure must roll back
}

// fold is the unique-key form of an IAM name: IAM names are unique
// regardless of case but keep the case they were created with.
func fold(name string) []byte { return []byte(strings.ToLower(name)) }

// account returns the bucket of account acct's sub-bucket name, creating
// both when create is set; nil when absent and not created.
func (tx *Tx) account(acct string, name []byte, create bool) (*bolt.Bucket, error) {
	root := tx.tx.Bucket(bucketAccounts)
	a := root.Bucket([]byte(acct))
	if a == nil {
		if !create {
			return nil, nil
		}
		var err error
		if a, err = root.CreateBucket([]byte(acct)); err != nil {
			return nil, err
		}
	}
	b := a.Bucket(name)
	if b == nil && create {
		return a.CreateBucket(name)
	}
	return b, nil
}

// get decodes the JSON record at key into v, or ErrNotFound.
func get(b *bolt.Bucket, key []byte, v any) error {
	if b == nil {
		return ErrNotFound
	}
	raw := b.Get(key)
	if raw == nil {
		return ErrNotFound
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("store: decode %s %q: %w", b.Tx().DB().Path(), key, err)
	}
	return nil
}

// put encodes v as JSON at key.
func (tx *Tx) put(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %q: %w", key, err)
	}
	tx.dirty = true
	return b.Put(key, raw)
}

// del removes key from b.
func (tx *Tx) del(b *bolt.Bucket, key []byte) error {
	tx.dirty = true
	return b.Delete(key)
}

// each calls fn with every record of b in key order, starting after the key
// after (or at the first key when after is empty), until fn returns false.
func each[T any](b *bolt.Bucket, after []byte, fn func(key []byte, v *T) (bool, error)) error {
	if b == nil {
		return nil
	}
	c := b.Cursor()
	k, raw := c.First()
	if len(after) > 0 {
		k, raw = c.Seek(after)
		if k != nil && string(k) == string(after) {
			k, raw = c.Next()
		}
	}
	for ; k != nil; k, raw = c.Next() {
		v := new(T)
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("store: decode %q: %w", k, err)
		}
		more, err := fn(k, v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}
