package store

import (
	"bytes"
	"time"
)

// AccessKey is a long-term access key of an IAM user.
type AccessKey struct {
	ID       string    `json:"id"`
	Account  string    `json:"account"`
	UserID   string    `json:"user"`
	Secret   string    `json:"secret"`
	Active   bool      `json:"active"`
	Created  time.Time `json:"created"`
	LastUsed *KeyUse   `json:"lastUsed,omitempty"`
}

// KeyUse is when, where and for which service a key was last used.
type KeyUse struct {
	Date    time.Time `json:"date"`
	Region  string    `json:"region"`
	Service string    `json:"service"`
}

// AccessKey loads the key with id id, in any account.
func (tx *Tx) AccessKey(id string) (*AccessKey, error) {
	k := new(AccessKey)
	if err := get(tx.tx.Bucket(bucketKeys), []byte(id), k); err != nil {
		return nil, err
	}
	return k, nil
}

// AccessKeys lists the keys of a user in key-id order.
func (tx *Tx) AccessKeys(account, userID string) ([]AccessKey, error) {
	idx, err := tx.account(account, bucketUserKeys, false)
	if err != nil || idx == nil {
		return nil, err
	}
	var keys []AccessKey
	prefix := userKeyPrefix(userID)
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		key, err := tx.AccessKey(string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		keys = append(keys, *key)
	}
	return keys, nil
}

func userKeyPrefix(userID string) []byte { return []byte(userID + "/") }

// PutAccessKey stores k and its per-user index entry.
func (tx *Tx) PutAccessKey(k *AccessKey) error {
	idx, err := tx.account(k.Account, bucketUserKeys, true)
	if err != nil {
		return err
	}
	if err := tx.put(tx.tx.Bucket(bucketKeys), []byte(k.ID), k); err != nil {
		return err
	}
	return tx.putRaw(idx, append(userKeyPrefix(k.UserID), k.ID...), nil)
}

// DeleteAccessKey removes k and its index entry.
func (tx *Tx) DeleteAccessKey(k *AccessKey) error {
	idx, err := tx.account(k.Account, bucketUserKeys, true)
	if err != nil {
		return err
	}
	if err := tx.del(tx.tx.Bucket(bucketKeys), []byte(k.ID)); err != nil {
		return err
	}
	return tx.del(idx, append(userKeyPrefix(k.UserID), k.ID...))
}

// RecordKeyUse sets the last use of key id, unless the key is gone or
// already records a later one.
func (tx *Tx) RecordKeyUse(id string, use KeyUse) error {
	k, err := tx.AccessKey(id)
	if err == ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if k.LastUsed != nil && use.Date.Before(k.LastUsed.Date) {
		return nil
	}
	k.LastUsed = &use
	return tx.put(tx.tx.Bucket(bucketKeys), []byte(id), k)
}
