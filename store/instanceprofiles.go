package store

import (
	"slices"
	"time"
)

var (
	bucketInstanceProfiles  = []byte("instanceprofiles") // fold(name) → InstanceProfile
	keyInstanceProfileCount = []byte("count/instanceprofiles")
	instanceProfileKind     = entityKind{bucketInstanceProfiles, "instance-profile/", keyInstanceProfileCount}
)

// InstanceProfile is an IAM instance profile. Its role is kept by the
// role's unique id; AWS allows one.
type InstanceProfile struct {
	Account string    `json:"-"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	RoleIDs []string  `json:"roles,omitempty"`
	Tags    []Tag     `json:"tags,omitempty"`
}

// InstanceProfile loads the instance profile named name (any case).
func (tx *Tx) InstanceProfile(account, name string) (*InstanceProfile, error) {
	p := &InstanceProfile{Account: account}
	if err := instanceProfileKind.load(tx, account, name, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CreateInstanceProfile stores a new instance profile and its id index, or
// ErrExists when the name is taken in any case.
func (tx *Tx) CreateInstanceProfile(p *InstanceProfile) error {
	return instanceProfileKind.create(tx, p.Account, p.Name, p.ID, p)
}

// PutInstanceProfile stores a changed instance profile; they are never
// renamed.
func (tx *Tx) PutInstanceProfile(p *InstanceProfile) error {
	return instanceProfileKind.put(tx, p.Account, p.Name, p.ID, p)
}

// DeleteInstanceProfile removes the instance profile and its id index.
func (tx *Tx) DeleteInstanceProfile(p *InstanceProfile) error {
	return instanceProfileKind.delete(tx, p.Account, p.Name, p.ID)
}

// InstanceProfiles calls fn for each instance profile of the account in
// name order (case-folded), starting after the folded name after, until fn
// returns false.
func (tx *Tx) InstanceProfiles(account, after string, fn func(*InstanceProfile) (bool, error)) error {
	b, err := tx.account(account, bucketInstanceProfiles, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, p *InstanceProfile) (bool, error) {
		p.Account = account
		return fn(p)
	})
}

// InstanceProfilesOfRole is the instance profiles that hold the role
// roleID, in name order. An account has at most 1,000 instance profiles,
// so they are scanned rather than indexed.
func (tx *Tx) InstanceProfilesOfRole(account, roleID string) ([]*InstanceProfile, error) {
	var out []*InstanceProfile
	err := tx.InstanceProfiles(account, "", func(p *InstanceProfile) (bool, error) {
		if slices.Contains(p.RoleIDs, roleID) {
			out = append(out, p)
		}
		return true, nil
	})
	return out, err
}

// CountInstanceProfiles is how many instance profiles the account has.
func (tx *Tx) CountInstanceProfiles(account string) int {
	return tx.counter(account, keyInstanceProfileCount)
}
