package store

import "strings"

// Managed policies are attached to principals (users, groups, roles: a
// principal is its kind and unique id) and set as their permissions
// boundaries. A policy is named by its ref: its ARN without the leading
// "arn:<partition>:" (iam::123456789012:policy/p, iam::aws:policy/…), so
// that one account reached through several partitions keeps one index.
//
// Both directions are kept in the same transaction: attached (principal →
// its policies) and uses (policy → who uses it and how), which answers
// ListEntitiesForPolicy, the counts and DeletePolicy's check. A boundary's
// forward direction is the principal record's own field.
var (
	bucketAttached   = []byte("attached")   // principalID 0 ref → empty
	bucketPolicyUses = []byte("policyuses") // ref 0 usage 0 kind 0 principalID → empty
)

// Usage is how a principal uses a managed policy.
type Usage string

const (
	UsagePermissions Usage = "policy"   // attached as a permissions policy
	UsageBoundary    Usage = "boundary" // set as its permissions boundary
)

// Principal kinds, as the uses index records them.
const (
	KindUser  = "user"
	KindGroup = "group"
	KindRole  = "role"
)

// PolicyUse is one principal's use of a policy.
type PolicyUse struct {
	Usage       Usage
	Kind        string
	PrincipalID string
}

// UseCounts is how many principals use a policy, per usage.
type UseCounts struct{ Attachments, Boundaries int }

func joinKey(parts ...string) []byte { return []byte(strings.Join(parts, "\x00")) }

// AttachPolicy attaches the policy ref to the principal; an attached
// policy stays attached once.
func (tx *Tx) AttachPolicy(account, kind, principalID, ref string) error {
	fwd, err := tx.account(account, bucketAttached, true)
	if err != nil {
		return err
	}
	if fwd.Get(joinKey(principalID, ref)) != nil {
		return nil
	}
	if err := tx.putRaw(fwd, joinKey(principalID, ref), []byte{}); err != nil {
		return err
	}
	return tx.addUse(account, ref, UsagePermissions, kind, principalID)
}

// DetachPolicy detaches the policy ref from the principal, or answers
// ErrNotFound when it is not attached.
func (tx *Tx) DetachPolicy(account, kind, principalID, ref string) error {
	fwd, err := tx.account(account, bucketAttached, false)
	if err != nil {
		return err
	}
	if fwd == nil || fwd.Get(joinKey(principalID, ref)) == nil {
		return ErrNotFound
	}
	if err := tx.del(fwd, joinKey(principalID, ref)); err != nil {
		return err
	}
	uses, err := tx.account(account, bucketPolicyUses, true)
	if err != nil {
		return err
	}
	return tx.del(uses, joinKey(ref, string(UsagePermissions), kind, principalID))
}

// AttachedPolicies is the refs of the policies attached to the principal,
// in ref order.
func (tx *Tx) AttachedPolicies(account, principalID string) ([]string, error) {
	b, err := tx.account(account, bucketAttached, false)
	if err != nil || b == nil {
		return nil, err
	}
	return keysAfter(b, joinKey(principalID, "")), nil
}

// CountAttachments is how many attachments the account holds, every
// principal's policies counted.
func (tx *Tx) CountAttachments(account string) (int, error) {
	b, err := tx.account(account, bucketAttached, false)
	if err != nil || b == nil {
		return 0, err
	}
	return countKeys(b), nil
}

// SetBoundaryUse moves the principal's boundary use from the policy oldRef
// to newRef; either may be "" for none. The principal's record holds the
// boundary itself.
func (tx *Tx) SetBoundaryUse(account, kind, principalID, oldRef, newRef string) error {
	if oldRef == newRef {
		return nil
	}
	if oldRef != "" {
		uses, err := tx.account(account, bucketPolicyUses, true)
		if err != nil {
			return err
		}
		if err := tx.del(uses, joinKey(oldRef, string(UsageBoundary), kind, principalID)); err != nil {
			return err
		}
	}
	if newRef == "" {
		return nil
	}
	return tx.addUse(account, newRef, UsageBoundary, kind, principalID)
}

func (tx *Tx) addUse(account, ref string, usage Usage, kind, principalID string) error {
	uses, err := tx.account(account, bucketPolicyUses, true)
	if err != nil {
		return err
	}
	return tx.putRaw(uses, joinKey(ref, string(usage), kind, principalID), []byte{})
}

// PolicyUses is every use of the policy ref, in usage, kind and id order.
func (tx *Tx) PolicyUses(account, ref string) ([]PolicyUse, error) {
	b, err := tx.account(account, bucketPolicyUses, false)
	if err != nil || b == nil {
		return nil, err
	}
	var out []PolicyUse
	for _, rest := range keysAfter(b, joinKey(ref, "")) {
		if parts := strings.Split(rest, "\x00"); len(parts) == 3 {
			out = append(out, PolicyUse{Usage: Usage(parts[0]), Kind: parts[1], PrincipalID: parts[2]})
		}
	}
	return out, nil
}

// PolicyUseCounts counts the uses of every used policy of the account, by
// ref, in one pass.
func (tx *Tx) PolicyUseCounts(account string) (map[string]UseCounts, error) {
	counts := map[string]UseCounts{}
	b, err := tx.account(account, bucketPolicyUses, false)
	if err != nil || b == nil {
		return counts, err
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		ref, rest, _ := strings.Cut(string(k), "\x00")
		n := counts[ref]
		if strings.HasPrefix(rest, string(UsageBoundary)+"\x00") {
			n.Boundaries++
		} else {
			n.Attachments++
		}
		counts[ref] = n
	}
	return counts, nil
}
