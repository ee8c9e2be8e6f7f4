package store

import "time"

var (
	bucketPolicies = []byte("policies") // fold(name) → Policy
	keyPolicyCount = []byte("count/policies")
)

var policyKind = entityKind{bucketPolicies, "policy/", keyPolicyCount}

// Policy is a customer managed policy with its versions. Policy names are
// unique in the account whatever their path; the versions live in the
// record (at most five, each at most 6,144 characters).
type Policy struct {
	Account     string    `json:"-"`
	Name        string    `json:"name"`
	Path        string    `json:"path"`
	ID          string    `json:"id"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"` // when the newest version was made
	Tags        []Tag     `json:"tags,omitempty"`
	// Default is the id of the default version.
	Default string `json:"default"`
	// Versions are newest first.
	Versions []PolicyVersion `json:"versions"`
	// Made counts the versions ever made: the next is v<Made+1>, so ids
	// are never reused.
	Made int `json:"made"`
}

// PolicyVersion is one version of a policy. Document is kept exactly as it
// was submitted.
type PolicyVersion struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

// Version is the version of p whose id is id.
func (p *Policy) Version(id string) (*PolicyVersion, bool) {
	for i := range p.Versions {
		if p.Versions[i].ID == id {
			return &p.Versions[i], true
		}
	}
	return nil, false
}

// Policy loads the policy named name (any case).
func (tx *Tx) Policy(account, name string) (*Policy, error) {
	p := &Policy{Account: account}
	if err := policyKind.load(tx, account, name, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CreatePolicy stores a new policy and its id index, or ErrExists when the
// name is taken in any case.
func (tx *Tx) CreatePolicy(p *Policy) error {
	return policyKind.create(tx, p.Account, p.Name, p.ID, p)
}

// UpdatePolicy stores p (policies are never renamed).
func (tx *Tx) UpdatePolicy(p *Policy) error {
	return policyKind.update(tx, p.Account, p.Name, p.Name, p.ID, p)
}

// DeletePolicy removes the policy and its id index. Attachments are the
// caller's to check first.
func (tx *Tx) DeletePolicy(p *Policy) error {
	return policyKind.delete(tx, p.Account, p.Name, p.ID)
}

// Policies calls fn for each policy of the account in name order
// (case-folded), until fn returns false.
func (tx *Tx) Policies(account string, fn func(*Policy) (bool, error)) error {
	b, err := tx.account(account, bucketPolicies, false)
	if err != nil {
		return err
	}
	return each(b, nil, func(_ []byte, p *Policy) (bool, error) {
		p.Account = account
		return fn(p)
	})
}

// CountPolicies is how many customer managed policies the account has.
func (tx *Tx) CountPolicies(account string) int { return tx.counter(account, keyPolicyCount) }
