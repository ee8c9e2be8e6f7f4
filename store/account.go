package store

var (
	bucketSettings    = []byte("settings") // account-wide settings
	keyPasswordPolicy = []byte("passwordpolicy")
)

// PasswordPolicy is the account's password policy. Zero MaxAge and
// ReusePrevention mean none.
type PasswordPolicy struct {
	MinimumLength      int   `json:"min"`
	RequireSymbols     bool  `json:"symbols,omitempty"`
	RequireNumbers     bool  `json:"numbers,omitempty"`
	RequireUppercase   bool  `json:"upper,omitempty"`
	RequireLowercase   bool  `json:"lower,omitempty"`
	AllowUsersToChange bool  `json:"userschange,omitempty"`
	MaxAge             int   `json:"maxage,omitempty"`
	ReusePrevention    int   `json:"reuse,omitempty"`
	HardExpiry         *bool `json:"hardexpiry,omitempty"`
}

// PasswordPolicy loads the account's password policy, or ErrNotFound.
func (tx *Tx) PasswordPolicy(account string) (*PasswordPolicy, error) {
	b, err := tx.account(account, bucketSettings, false)
	if err != nil {
		return nil, err
	}
	p := &PasswordPolicy{}
	if err := get(b, keyPasswordPolicy, p); err != nil {
		return nil, err
	}
	return p, nil
}

// PutPasswordPolicy sets the account's password policy.
func (tx *Tx) PutPasswordPolicy(account string, p *PasswordPolicy) error {
	b, err := tx.account(account, bucketSettings, true)
	if err != nil {
		return err
	}
	return tx.put(b, keyPasswordPolicy, p)
}

// DeletePasswordPolicy removes the account's password policy, or answers
// ErrNotFound when there is none.
func (tx *Tx) DeletePasswordPolicy(account string) error {
	b, err := tx.account(account, bucketSettings, false)
	if err != nil {
		return err
	}
	if b == nil || b.Get(keyPasswordPolicy) == nil {
		return ErrNotFound
	}
	return tx.del(b, keyPasswordPolicy)
}
