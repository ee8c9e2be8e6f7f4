package store

import (
	"errors"
	"testing"
	"time"
)

// TestPolicyRecord: a policy is unique by name in any case, keeps its
// versions and document text, is counted, and goes with its id index.
func TestPolicyRecord(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	at := time.Unix(1700000000, 0).UTC()
	doc := "{ \"Version\": \"2012-10-17\" }\n"
	p := &Policy{Account: acct, Name: "Readers", Path: "/team/", ID: "ANPAREADERS", Created: at, Updated: at,
		Default: "v1", Versions: []PolicyVersion{{ID: "v1", Document: doc, Created: at}}, Made: 1}
	err := db.Update(func(tx *Tx) error {
		if err := tx.CreatePolicy(p); err != nil {
			return err
		}
		if err := tx.CreatePolicy(&Policy{Account: acct, Name: "READERS", ID: "ANPAOTHER"}); !errors.Is(err, ErrExists) {
			t.Errorf("CreatePolicy of the same name in other case: err=%v, want ErrExists", err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	db.View(func(tx *Tx) error {
		got, err := tx.Policy(acct, "readers")
		if err != nil {
			t.Fatalf("Policy: %v", err)
		}
		v, ok := got.Version("v1")
		if !ok || v.Document != doc {
			t.Errorf("Version v1=%+v,%v, want the document as stored", v, ok)
		}
		if got, want := tx.CountPolicies(acct), 1; got != want {
			t.Errorf("CountPolicies=%d, want %d", got, want)
		}
		return nil
	})
	err = db.Update(func(tx *Tx) error { return tx.DeletePolicy(p) })
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.Policy(acct, "Readers"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Policy after delete: err=%v, want ErrNotFound", err)
		}
		if got := tx.CountPolicies(acct); got != 0 {
			t.Errorf("CountPolicies after delete=%d, want 0", got)
		}
		return nil
	})
}
