package store

import "time"

// Membership is indexed both ways by unique ids, so that renaming a user or
// a group carries it without a rewrite.
var (
	bucketGroups       = []byte("groups")       // fold(name) → Group
	bucketGroupMembers = []byte("groupmembers") // groupID "/" userID → empty
	bucketUserGroups   = []byte("usergroups")   // userID "/" groupID → empty
	keyGroupCount      = []byte("count/groups")
)

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
	g := &Group{Account: account}
	if err := groupKind.load(tx, account, name, g); err != nil {
		return nil, err
	}
	return g, nil
}

// GroupByID loads the group whose unique id is id.
func (tx *Tx) GroupByID(account, id string) (*Group, error) {
	g := &Group{Account: account}
	if err := groupKind.loadByID(tx, account, id, g); err != nil {
		return nil, err
	}
	return g, nil
}

// CreateGroup stores a new group and its id index, or ErrExists when the
// name is taken in any case.
func (tx *Tx) CreateGroup(g *Group) error {
	return groupKind.create(tx, g.Account, g.Name, g.ID, g)
}

// UpdateGroup stores g, which was loaded under the name oldName: a changed
// name moves the record (ErrExists when the new name is taken by another
// group). Membership is keyed by the group id and follows without change.
func (tx *Tx) UpdateGroup(oldName string, g *Group) error {
	return groupKind.update(tx, g.Account, oldName, g.Name, g.ID, g)
}

// DeleteGroup removes the group and its id index. Dependents (members, and
// the group's policies) are the caller's to check first.
func (tx *Tx) DeleteGroup(g *Group) error {
	return groupKind.delete(tx, g.Account, g.Name, g.ID)
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
	return keysAfter(b, pairKey(id, "")), nil
}

func pairKey(first, second string) []byte { return []byte(first + "/" + second) }
