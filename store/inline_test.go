package store

import (
	"errors"
	"slices"
	"testing"
)

func inlineNames(t testing.TB, db *DB, principalID string) []string {
	t.Helper()
	var names []string
	err := db.View(func(tx *Tx) error {
		policies, err := tx.InlinePolicies("123456789012", principalID)
		for _, p := range policies {
			names = append(names, p.Name)
		}
		return err
	})
	if err != nil {
		t.Fatalf("InlinePolicies %s: %v", principalID, err)
	}
	return names
}

// TestInlinePolicies: a principal's policies are kept apart from other
// principals', by name in any case (a put in another case replaces the
// policy and takes its case), listed in folded name order.
func TestInlinePolicies(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	err := db.Update(func(tx *Tx) error {
		for _, put := range []struct{ id, name, doc string }{
			{"AIDATARO", "zeta", "z"},
			{"AIDATARO", "Alpha", "a1"},
			{"AGPADEVS", "alpha", "g"},
			{"AIDATARO", "beta", "b"},
			{"AIDATARO", "ALPHA", "a2"},
			{"AIDAHANAKO", "alpha", "h"},
		} {
			if err := tx.PutInlinePolicy(acct, put.id, &InlinePolicy{Name: put.name, Document: put.doc}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if got, want := inlineNames(t, db, "AIDATARO"), []string{"ALPHA", "beta", "zeta"}; !slices.Equal(got, want) {
		t.Errorf("policies of AIDATARO=%v, want %v", got, want)
	}
	if got, want := inlineNames(t, db, "AGPADEVS"), []string{"alpha"}; !slices.Equal(got, want) {
		t.Errorf("policies of AGPADEVS=%v, want %v", got, want)
	}
	if got := inlineNames(t, db, "AROANONE"); len(got) != 0 {
		t.Errorf("policies of a principal without any=%v, want none", got)
	}
	db.View(func(tx *Tx) error {
		p, err := tx.InlinePolicy(acct, "AIDATARO", "alpha")
		if err != nil || p.Name != "ALPHA" || p.Document != "a2" {
			t.Errorf("InlinePolicy alpha=%+v,%v, want ALPHA with a2", p, err)
		}
		if _, err := tx.InlinePolicy(acct, "AIDATARO", "gamma"); !errors.Is(err, ErrNotFound) {
			t.Errorf("InlinePolicy gamma: err=%v, want ErrNotFound", err)
		}
		return nil
	})

	if err := db.Update(func(tx *Tx) error { return tx.DeleteInlinePolicy(acct, "AIDATARO", "Beta") }); err != nil {
		t.Fatalf("DeleteInlinePolicy Beta: %v", err)
	}
	err = db.Update(func(tx *Tx) error { return tx.DeleteInlinePolicy(acct, "AIDATARO", "beta") })
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteInlinePolicy: err=%v, want ErrNotFound", err)
	}
	if got, want := inlineNames(t, db, "AIDATARO"), []string{"ALPHA", "zeta"}; !slices.Equal(got, want) {
		t.Errorf("policies after delete=%v, want %v", got, want)
	}
}

// TestInlinePolicyFailedUpdate: a put in a function that fails is not kept.
func TestInlinePolicyFailedUpdate(t *testing.T) {
	db, _ := openTest(t)
	refused := errors.New("refused")
	err := db.Update(func(tx *Tx) error {
		if err := tx.PutInlinePolicy("123456789012", "AIDATARO", &InlinePolicy{Name: "p", Document: "d"}); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update err=%v, want refused", err)
	}
	if got := inlineNames(t, db, "AIDATARO"); len(got) != 0 {
		t.Errorf("policies after a failed put=%v, want none", got)
	}
}
