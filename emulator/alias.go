package emulator

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
)

// An account has at most one alias, unique across accounts: creating
// another replaces it, as AWS documents ("the new alias overwrites the
// previous alias"); an alias another account holds, or the one it holds
// already, is EntityAlreadyExists. The model's pattern has checked it.
func (e *Emulator) CreateAccountAlias(ctx context.Context, in *iam.CreateAccountAliasInput) (*iam.CreateAccountAliasOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:CreateAccountAlias", "*"); err != nil {
			return err
		}
		if owner, err := tx.AliasOwner(*in.AccountAlias); err != nil {
			return err
		} else if owner != "" {
			return accountAliasExists(*in.AccountAlias)
		}
		return tx.PutAccountAlias(c.Account, *in.AccountAlias)
	})
	if err != nil {
		return nil, err
	}
	return &iam.CreateAccountAliasOutput{}, nil
}

// DeleteAccountAlias removes the alias it names, which must be the
// account's own.
func (e *Emulator) DeleteAccountAlias(ctx context.Context, in *iam.DeleteAccountAliasInput) (*iam.DeleteAccountAliasOutput, error) {
	c := callerOf(ctx)
	err := e.db.Update(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:DeleteAccountAlias", "*"); err != nil {
			return err
		}
		if have, err := tx.AccountAlias(c.Account); err != nil {
			return err
		} else if have != *in.AccountAlias {
			return noSuchAccountAlias(*in.AccountAlias)
		}
		return tx.DeleteAccountAlias(c.Account)
	})
	if err != nil {
		return nil, err
	}
	return &iam.DeleteAccountAliasOutput{}, nil
}

func (e *Emulator) ListAccountAliases(ctx context.Context, in *iam.ListAccountAliasesInput) (*iam.ListAccountAliasesOutput, error) {
	c := callerOf(ctx)
	aliases := []string{}
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:ListAccountAliases", "*"); err != nil {
			return err
		}
		alias, err := tx.AccountAlias(c.Account)
		if alias != "" {
			aliases = append(aliases, alias)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	page, next, err := pageOf("ListAccountAliases", aliases, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &iam.ListAccountAliasesOutput{AccountAliases: page, IsTruncated: next != nil, Marker: next}, nil
}

// accountLabel is how authenticator apps name the account a device was
// made in: its alias when it has one, else its id.
func accountLabel(tx *store.Tx, account string) (string, error) {
	alias, err := tx.AccountAlias(account)
	if alias == "" {
		return account, err
	}
	return alias, err
}

// errLabelChanged makes CreateVirtualMFADevice draw its QR code again: the
// account's alias changed between the read the code was drawn from and the
// write that creates the device.
var errLabelChanged = errors.New("emulator: account alias changed while drawing a QR code")

// viewAccountLabel reads accountLabel in a transaction of its own.
func (e *Emulator) viewAccountLabel(account string) (string, error) {
	var label string
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		label, err = accountLabel(tx, account)
		return err
	})
	return label, err
}
