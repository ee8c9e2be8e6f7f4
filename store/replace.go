package store

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ReplaceData is Reset followed by a copy of src's accounts and access
// keys, in one transaction: either the file holds src's data afterwards or
// it is unchanged. rename, when not nil, rewrites every key and value on
// the way (an import gives entities the unique ids an export recorded).
// src must not be written meanwhile.
func (db *DB) ReplaceData(src *DB, rename *strings.Replacer) error {
	return db.Update(func(tx *Tx) error {
		if err := tx.clearData(); err != nil {
			return err
		}
		return src.bolt.View(func(from *bolt.Tx) error {
			for _, name := range [][]byte{bucketAccounts, bucketKeys} {
				to, err := tx.createBucket(nil, name)
				if err != nil {
					return err
				}
				if err := tx.copyBucket(to, from.Bucket(name), rename); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// clearData drops every account, key and session and the clock offset.
func (tx *Tx) clearData() error {
	for _, name := range [][]byte{bucketAccounts, bucketKeys, bucketSessions, bucketSessionExpiry} {
		if err := tx.deleteBucket(name); err != nil {
			return err
		}
	}
	return tx.SetClockOffset(0)
}

// copyBucket copies from into to, nested buckets included.
func (tx *Tx) copyBucket(to, from *bolt.Bucket, rename *strings.Replacer) error {
	if from == nil {
		return nil
	}
	return from.ForEach(func(k, v []byte) error {
		// Keys and values are copied: bbolt needs them valid until commit.
		name := renamed(k, rename)
		if v == nil {
			sub, err := tx.createBucket(to, name)
			if err != nil {
				return err
			}
			return tx.copyBucket(sub, from.Bucket(k), rename)
		}
		return tx.putRaw(to, name, renamed(v, rename))
	})
}

func renamed(b []byte, rename *strings.Replacer) []byte {
	if rename == nil {
		return append([]byte(nil), b...)
	}
	return []byte(rename.Replace(string(b)))
}
