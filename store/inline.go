package store

import "bytes"

// Inline policies are keyed by the unique id of the principal that embeds
// them (AIDA… user, AGPA… group, AROA… role), so that renaming the
// principal carries them without a rewrite, and one bucket serves every
// kind of principal.
var bucketInline = []byte("inline") // principalID "/" fold(policy name) → InlinePolicy

// InlinePolicy is a policy document embedded in a user, group or role.
// Document is kept exactly as it was submitted.
type InlinePolicy struct {
	Name     string `json:"name"`
	Document string `json:"doc"`
}

// InlinePolicy loads the policy named name (any case) of the principal
// principalID, or ErrNotFound.
func (tx *Tx) InlinePolicy(account, principalID, name string) (*InlinePolicy, error) {
	b, err := tx.account(account, bucketInline, false)
	if err != nil {
		return nil, err
	}
	p := &InlinePolicy{}
	if err := get(b, inlineKey(principalID, name), p); err != nil {
		return nil, err
	}
	return p, nil
}

// PutInlinePolicy stores p as a policy of the principal principalID,
// replacing the one with the same name in any case.
func (tx *Tx) PutInlinePolicy(account, principalID string, p *InlinePolicy) error {
	b, err := tx.account(account, bucketInline, true)
	if err != nil {
		return err
	}
	return tx.put(b, inlineKey(principalID, p.Name), p)
}

// DeleteInlinePolicy removes the policy named name (any case) of the
// principal principalID, or answers ErrNotFound.
func (tx *Tx) DeleteInlinePolicy(account, principalID, name string) error {
	b, err := tx.account(account, bucketInline, false)
	if err != nil || b == nil || b.Get(inlineKey(principalID, name)) == nil {
		return ErrNotFound
	}
	return tx.del(b, inlineKey(principalID, name))
}

// InlinePolicies is the policies of the principal principalID, in name
// order (case-folded).
func (tx *Tx) InlinePolicies(account, principalID string) ([]*InlinePolicy, error) {
	b, err := tx.account(account, bucketInline, false)
	if err != nil || b == nil {
		return nil, err
	}
	prefix := pairKey(principalID, "")
	var out []*InlinePolicy
	// No key equals the bare prefix (names are not empty), so starting
	// "after" it starts at the principal's first policy.
	err = each(b, prefix, func(k []byte, p *InlinePolicy) (bool, error) {
		if !bytes.HasPrefix(k, prefix) {
			return false, nil
		}
		out = append(out, p)
		return true, nil
	})
	return out, err
}

func inlineKey(principalID, name string) []byte { return pairKey(principalID, string(fold(name))) }
