package store

import (
	"errors"
	"testing"
)

func TestAccountAliasReplaceDeleteAndOwner(t *testing.T) {
	db, _ := openTest(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutAccountAlias(testAccount, "first"); err != nil {
			return err
		}
		return tx.PutAccountAlias(testAccount, "second")
	})
	if err != nil {
		t.Fatalf("PutAccountAlias: %v", err)
	}
	err = db.View(func(tx *Tx) error {
		alias, err := tx.AccountAlias(testAccount)
		if got, want := alias, "second"; got != want {
			t.Errorf("alias=%q, want %q", got, want)
		}
		for alias, want := range map[string]string{"second": testAccount, "first": ""} {
			owner, err := tx.AliasOwner(alias)
			if err != nil {
				return err
			}
			if owner != want {
				t.Errorf("AliasOwner(%s)=%q, want %q", alias, owner, want)
			}
		}
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
	if err := db.Update(func(tx *Tx) error { return tx.DeleteAccountAlias(testAccount) }); err != nil {
		t.Fatalf("DeleteAccountAlias: %v", err)
	}
	if err := db.Update(func(tx *Tx) error { return tx.DeleteAccountAlias(testAccount) }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second DeleteAccountAlias: err=%v, want ErrNotFound", err)
	}
}
