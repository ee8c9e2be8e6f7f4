package store

var keyAccountAlias = []byte("alias") // in bucketSettings

// AccountAlias is the account's alias, "" when it has none.
func (tx *Tx) AccountAlias(account string) (string, error) {
	b, err := tx.account(account, bucketSettings, false)
	if err != nil || b == nil {
		return "", err
	}
	return string(b.Get(keyAccountAlias)), nil
}

// AliasOwner is the account whose alias is alias, "" when none has it:
// aliases are unique across accounts.
func (tx *Tx) AliasOwner(alias string) (string, error) {
	var owner string
	err := tx.tx.Bucket(bucketAccounts).ForEach(func(acct, v []byte) error {
		if v != nil || owner != "" {
			return nil
		}
		have, err := tx.AccountAlias(string(acct))
		if have == alias {
			owner = string(acct)
		}
		return err
	})
	return owner, err
}

// PutAccountAlias sets the account's alias, replacing the one it had.
func (tx *Tx) PutAccountAlias(account, alias string) error {
	b, err := tx.account(account, bucketSettings, true)
	if err != nil {
		return err
	}
	return tx.putRaw(b, keyAccountAlias, []byte(alias))
}

// DeleteAccountAlias removes the account's alias, or answers ErrNotFound
// when it has none.
func (tx *Tx) DeleteAccountAlias(account string) error {
	b, err := tx.account(account, bucketSettings, false)
	if err != nil {
		return err
	}
	if b == nil || b.Get(keyAccountAlias) == nil {
		return ErrNotFound
	}
	return tx.del(b, keyAccountAlias)
}
