package store

import (
	"bytes"
	"time"
)

// Membership is indexed both ways by unique ids, so that renaming a user or
// a group carries it without a rewrite.
var (
	bucketGroups       = []byte("groups")       // fold(name) → Group
	bucketGroupMembers = []byte("groupmembers") // groupID "/" userID → empty
	bucketUserGroups   = []byte("usergroups")   // userID "/" groupID → empty
	keyGroupCount      = []byte("count/groups")
)

const kindGroup = "group/"

// Group is an IAM group.
type Group struct {
	Account string    `json:"-"`
	Name    string    `json:"name"`
	Path    string    `json:"path"`
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
}

// Group loads the group named name (any case).
func (tx *Tx) Group(account, name string) (*Group, error) {
	b, err := tx.account(account, bucketGroups, false)
	if err != nil {
		return nil, err
	}
	g := &Group{Account: account}
	if err := get(b, fold(name), g); err != nil {
		return nil, err
	}
	return g, nil
}

// GroupByID loads the group whose unique id is id.
func (tx *Tx) GroupByID(account, id string) (*Group, error) {
	key, err := tx.keyOfID(account, id, kindGroup)
	if err != nil {
		return nil, err
	}
	return tx.Group(account, string(key))
}

// keyOfID is the folded name that the unique id id of an entity of kind
// (e.g. "group/") is stored under, or ErrNotFound.
func (tx *Tx) keyOfID(account, id, kind string) ([]byte, error) {
	ids, err := tx.account(account, bucketIDs, false)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		return nil, ErrNotFound
	}
	ref := ids.Get([]byte(id))
	if len(ref) <= len(kind) || string(ref[:len(kind)]) != kind {
		return nil, ErrNotFound
	}
	return ref[len(kind):], nil
}

// CreateGroup stores a new group and its id index, or ErrExists when the
// name is taken in any case.
func (tx *Tx) CreateGroup(g *Group) error {
	groups, err := tx.account(g.Account, bucketGroups, true)
	if err != nil {
		return err
	}
	if groups.Get(fold(g.Name)) != nil {
		return ErrExists
	}
	if err := tx.count(g.Account, keyGroupCount, 1); err != nil {
		return err
	}
	return tx.putGroup(g)
}

// putGroup writes g under its folded name, with its id index entry.
func (tx *Tx) putGroup(g *Group) error {
	ids, err := tx.account(g.Account, bucketIDs, true)
	if err != nil {
		return err
	}
	if err := tx.putRaw(ids, []byte(g.ID), append([]byte(kindGroup), fold(g.Name)...)); err != nil {
		return err
	}
	b, err := tx.account(g.Account, bucketGroups, true)
	if err != nil {
		return err
	}
	return tx.put(b, fold(g.Name), g)
}

// UpdateGroup stores g, which was loaded under the name oldName: a changed
// name moves the record (ErrExists when the new name is taken by another
// group). Membership is keyed by the group id and follows without change.
func (tx *Tx) UpdateGroup(oldName string, g *Group) error {
	groups, err := tx.account(g.Account, bucketGroups, true)
	if err != nil {
		return err
	}
	oldKey, newKey := fold(oldName), fold(g.Name)
	if string(oldKey) != string(newKey) {
		if groups.Get(newKey) != nil {
			return ErrExists
		}
		if err := tx.del(groups, oldKey); err != nil {
			return err
		}
	}
	return tx.putGroup(g)
}

// DeleteGroup removes the group and its id index. Dependents (members, and
// the group's policies) are the caller's to check first.
func (tx *Tx) DeleteGroup(g *Group) error {
	groups, err := tx.account(g.Account, bucketGroups, false)
	if err != nil || groups == nil || groups.Get(fold(g.Name)) == nil {
		return ErrNotFound
	}
	if err := tx.del(groups, fold(g.Name)); err != nil {
		return err
	}
	if err := tx.count(g.Account, keyGroupCount, -1); err != nil {
		return err
	}
	ids, err := tx.account(g.Account, bucketIDs, true)
	if err != nil {
		return err
	}
	return tx.del(ids, []byte(g.ID))
}

// Groups calls fn for each group of the account in name order
// (case-folded), starting after the group whose folded name is after,
// until fn returns false.
func (tx *Tx) Groups(account, after string, fn func(*Group) (bool, error)) error {
	b, err := tx.account(account, bucketGroups, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, g *Group) (bool, error) {
		g.Account = account
		return fn(g)
	})
}

// CountGroups is how many groups the account has.
func (tx *Tx) CountGroups(account string) int { return tx.counter(account, keyGroupCount) }

// AddGroupMember makes the user userID a member of the group groupID; a
// member already is one.
func (tx *Tx) AddGroupMember(account, groupID, userID string) error {
	members, err := tx.account(account, bucketGroupMembers, true)
	if err != nil {
		return err
	}
	of, err := tx.account(account, bucketUserGroups, true)
	if err != nil {
		return err
	}
	if members.Get(pairKey(groupID, userID)) != nil {
		return nil
	}
	if err := tx.putRaw(members, pairKey(groupID, userID), []byte{}); err != nil {
		return err
	}
	return tx.putRaw(of, pairKey(userID, groupID), []byte{})
}

// RemoveGroupMember ends the membership of the user userID in the group
// groupID; a non-member stays one.
func (tx *Tx) RemoveGroupMember(account, groupID, userID string) error {
	members, err := tx.account(account, bucketGroupMembers, false)
	if err != nil || members == nil || members.Get(pairKey(groupID, userID)) == nil {
		return err
	}
	of, err := tx.account(account, bucketUserGroups, true)
	if err != nil {
		return err
	}
	if err := tx.del(members, pairKey(groupID, userID)); err != nil {
		return err
	}
	return tx.del(of, pairKey(userID, groupID))
}

// GroupMemberIDs is the ids of the users in the group groupID, in id order.
func (tx *Tx) GroupMemberIDs(account, groupID string) ([]string, error) {
	return tx.pairedIDs(account, bucketGroupMembers, groupID)
}

// UserGroupIDs is the ids of the groups the user userID is in, in id order.
func (tx *Tx) UserGroupIDs(account, userID string) ([]string, error) {
	return tx.pairedIDs(account, bucketUserGroups, userID)
}

// pairedIDs is the second ids of the pair keys of bucket name that start
// with id.
func (tx *Tx) pairedIDs(account string, name []byte, id string) ([]string, error) {
	b, err := tx.account(account, name, false)
	if err != nil || b == nil {
		return nil, err
	}
	var out []string
	prefix := pairKey(id, "")
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, string(k[len(prefix):]))
	}
	return out, nil
}

func pairKey(first, second string) []byte { return []byte(first + "/" + second) }
