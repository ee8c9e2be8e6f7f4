package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
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
	// writes digests every write, when the DB verifies re-runs.
	writes hash.Hash64
}

// fold is the unique-key form of an IAM name: IAM names are unique
// regardless of case but keep the case they were created with.
func fold(name string) []byte { return []byte(strings.ToLower(name)) }

// account returns the bucket of account acct's sub-bucket name, creating
// both when create is set; nil when absent and not created.
func (tx *Tx) account(acct string, name []byte, create bool) (*bolt.Bucket, error) {
	root := tx.tx.Bucket(bucketAccounts)
	if !create {
		if a := root.Bucket([]byte(acct)); a != nil {
			return a.Bucket(name), nil
		}
		return nil, nil
	}
	a, err := tx.createBucket(root, []byte(acct))
	if err != nil {
		return nil, err
	}
	return tx.createBucket(a, name)
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

// The helpers below are the only code that writes to bbolt: each records
// that the function wrote, so that its failure rolls the transaction back.

// put encodes v as JSON at key.
func (tx *Tx) put(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %q: %w", key, err)
	}
	return tx.putRaw(b, key, raw)
}

// putRaw stores raw at key: index entries and counters.
func (tx *Tx) putRaw(b *bolt.Bucket, key, raw []byte) error {
	tx.wrote('p', key, raw)
	return b.Put(key, raw)
}

// del removes key from b.
func (tx *Tx) del(b *bolt.Bucket, key []byte) error {
	tx.wrote('d', key, nil)
	return b.Delete(key)
}

// createBucket returns the bucket name inside parent (a top-level bucket
// when parent is nil), creating it when missing.
func (tx *Tx) createBucket(parent *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	if parent == nil {
		if b := tx.tx.Bucket(name); b != nil {
			return b, nil
		}
		tx.wrote('b', name, nil)
		return tx.tx.CreateBucket(name)
	}
	if b := parent.Bucket(name); b != nil {
		return b, nil
	}
	tx.wrote('b', name, nil)
	return parent.CreateBucket(name)
}

// deleteBucket removes the top-level bucket name and all it holds, if
// it exists.
func (tx *Tx) deleteBucket(name []byte) error {
	tx.wrote('x', name, nil)
	if err := tx.tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	return nil
}

// wrote marks the function as having written, and adds the write to the
// digest when re-runs are verified.
func (tx *Tx) wrote(op byte, key, value []byte) {
	tx.dirty = true
	if tx.writes != nil {
		tx.writes.Write(binary.AppendUvarint([]byte{op}, uint64(len(key))))
		tx.writes.Write(key)
		tx.writes.Write(binary.AppendUvarint(nil, uint64(len(value))))
		tx.writes.Write(value)
	}
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

// keysAfter is what follows prefix in each key of b that begins with it,
// in key order.
func keysAfter(b *bolt.Bucket, prefix []byte) []string {
	var out []string
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out
}

// countKeys is how many keys b holds.
func countKeys(b *bolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}
