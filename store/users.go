package store

import (
	"encoding/binary"
	"time"
)

var (
	bucketUsers    = []byte("users")    // fold(name) → User
	bucketIDs      = []byte("ids")      // unique id (AIDA…) → kind "/" fold(name)
	bucketUserKeys = []byte("userkeys") // userID "/" access key id → empty
)

// User is an IAM user.
type User struct {
	Account string    `json:"-"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	Tags    []Tag     `json:"tags,omitempty"`
	// Login is the console password, when the user has one.
	Login *LoginProfile `json:"login,omitempty"`
	// PasswordHistory holds the hashes of the user's earlier passwords,
	// newest first, for the password policy's reuse prevention.
	PasswordHistory [][]byte `json:"pwhistory,omitempty"`
	// Boundary is the ref of the permissions boundary policy (its ARN
	// without "arn:<partition>:"), "" for none; the policy uses index
	// holds the other direction.
	Boundary string `json:"boundary,omitempty"`
	// PasswordLastUsed is when the user last signed in to the console
	// with its password; it outlives the login profile, as on AWS.
	PasswordLastUsed time.Time `json:"pwused,omitzero"`
}

// LoginProfile is a user's console password. Only its salted slow hash is
// kept.
type LoginProfile struct {
	Hash          []byte    `json:"hash"`
	Created       time.Time `json:"created"`
	Changed       time.Time `json:"changed"` // when the password was last set, for its age
	ResetRequired bool      `json:"reset,omitempty"`
}

// Tag is an IAM tag.
type Tag struct {
	Key   string `json:"k"`
	Value string `json:"v"`
}

// User loads the user named name (any case).
func (tx *Tx) User(account, name string) (*User, error) {
	u := &User{Account: account}
	if err := userKind.load(tx, account, name, u); err != nil {
		return nil, err
	}
	return u, nil
}

// UserByID loads the user whose unique id is id.
func (tx *Tx) UserByID(account, id string) (*User, error) {
	u := &User{Account: account}
	if err := userKind.loadByID(tx, account, id, u); err != nil {
		return nil, err
	}
	return u, nil
}

// CreateUser stores a new user and its id index, or ErrExists when the
// name is taken in any case.
func (tx *Tx) CreateUser(u *User) error {
	return userKind.create(tx, u.Account, u.Name, u.ID, u)
}

// UpdateUser stores u, which was loaded under the name oldName: a changed
// name moves the record (ErrExists when the new name is taken by another
// user). Everything keyed by the user id follows without change.
func (tx *Tx) UpdateUser(oldName string, u *User) error {
	return userKind.update(tx, u.Account, oldName, u.Name, u.ID, u)
}

// DeleteUser removes the user and its id index. Dependents are the
// caller's to check first.
func (tx *Tx) DeleteUser(u *User) error {
	return userKind.delete(tx, u.Account, u.Name, u.ID)
}

// Users calls fn for each user of the account in name order (case-folded),
// starting after the user whose folded name is after, until fn returns
// false.
func (tx *Tx) Users(account, after string, fn func(*User) (bool, error)) error {
	b, err := tx.account(account, bucketUsers, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, u *User) (bool, error) {
		u.Account = account
		return fn(u)
	})
}

// FoldName is the key form of an IAM name, for paging markers.
func FoldName(name string) string { return string(fold(name)) }

var keyUserCount = []byte("count/users")

// CountUsers is how many users the account has.
func (tx *Tx) CountUsers(account string) int { return tx.counter(account, keyUserCount) }

// counter reads a count kept in the account's bucket.
func (tx *Tx) counter(account string, key []byte) int {
	a := tx.tx.Bucket(bucketAccounts).Bucket([]byte(account))
	if a == nil {
		return 0
	}
	v := a.Get(key)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// count adds delta to a count kept in the account's bucket.
func (tx *Tx) count(account string, key []byte, delta int) error {
	a, err := tx.createBucket(tx.tx.Bucket(bucketAccounts), []byte(account))
	if err != nil {
		return err
	}
	n := tx.counter(account, key) + delta
	return tx.putRaw(a, key, binary.BigEndian.AppendUint64(nil, uint64(max(n, 0))))
}
