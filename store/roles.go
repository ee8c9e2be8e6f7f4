package store

import "time"

var (
	bucketRoles  = []byte("roles") // fold(name) → Role
	keyRoleCount = []byte("count/roles")
	roleKind     = entityKind{bucketRoles, "role/", keyRoleCount}
)

// Role is an IAM role. Its inline and attached policies are kept by its id,
// as a user's and a group's are.
type Role struct {
	Account     string    `json:"-"`
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	ID          string    `json:"id"`
	Created     time.Time `json:"created"`
	Description string    `json:"desc,omitempty"`
	// MaxSessionDuration is in seconds, 3600 to 43200.
	MaxSessionDuration int `json:"maxsession"`
	// TrustPolicy is the assume-role policy document as submitted.
	TrustPolicy string `json:"trust"`
	Tags        []Tag  `json:"tags,omitempty"`
	// Boundary is the ref of the permissions boundary policy, as User's.
	Boundary string `json:"boundary,omitempty"`
	// Service is the service principal of a service-linked role, which
	// only that service may change; "" for other roles.
	Service string `json:"service,omitempty"`
	// LastUsed is when and in which region the role was last assumed.
	LastUsed *RoleLastUsed `json:"lastused,omitempty"`
}

// RoleLastUsed is a role's RoleLastUsed.
type RoleLastUsed struct {
	Time   time.Time `json:"t"`
	Region string    `json:"r"`
}

// Role loads the role named name (any case).
func (tx *Tx) Role(account, name string) (*Role, error) {
	r := &Role{Account: account}
	if err := roleKind.load(tx, account, name, r); err != nil {
		return nil, err
	}
	return r, nil
}

// RoleByID loads the role whose unique id is id.
func (tx *Tx) RoleByID(account, id string) (*Role, error) {
	r := &Role{Account: account}
	if err := roleKind.loadByID(tx, account, id, r); err != nil {
		return nil, err
	}
	return r, nil
}

// CreateRole stores a new role and its id index, or ErrExists when the
// name is taken in any case.
func (tx *Tx) CreateRole(r *Role) error {
	return roleKind.create(tx, r.Account, r.Name, r.ID, r)
}

// PutRole stores a changed role; roles are never renamed.
func (tx *Tx) PutRole(r *Role) error {
	return roleKind.put(tx, r.Account, r.Name, r.ID, r)
}

// DeleteRole removes the role and its id index. Dependents (policies,
// instance profiles) are the caller's to check first.
func (tx *Tx) DeleteRole(r *Role) error {
	return roleKind.delete(tx, r.Account, r.Name, r.ID)
}

// Roles calls fn for each role of the account in name order (case-folded),
// starting after the role whose folded name is after, until fn returns
// false.
func (tx *Tx) Roles(account, after string, fn func(*Role) (bool, error)) error {
	b, err := tx.account(account, bucketRoles, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, r *Role) (bool, error) {
		r.Account = account
		return fn(r)
	})
}

// CountRoles is how many roles the account has.
func (tx *Tx) CountRoles(account string) int { return tx.counter(account, keyRoleCount) }
