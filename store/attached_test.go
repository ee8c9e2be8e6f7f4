package store

import (
	"errors"
	"slices"
	"testing"
)

// TestAttachmentsIndexedBothWays: attaching writes the principal's list and
// the policy's uses in one transaction, a failed transaction leaves
// neither, and detaching removes both.
func TestAttachmentsIndexedBothWays(t *testing.T) {
	db, _ := openTest(t)
	const acct, ref = "123456789012", "iam::aws:policy/ReadOnlyAccess"
	refused := errors.New("refused")
	err := db.Update(func(tx *Tx) error {
		if err := tx.AttachPolicy(acct, KindUser, "AIDAGHOST", ref); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update err=%v, want refused", err)
	}
	err = db.Update(func(tx *Tx) error {
		for range 2 {
			if err := tx.AttachPolicy(acct, KindUser, "AIDATARO", ref); err != nil {
				return err
			}
		}
		if err := tx.AttachPolicy(acct, KindGroup, "AGPADEVS", ref); err != nil {
			return err
		}
		return tx.SetBoundaryUse(acct, KindUser, "AIDAHANA", "", ref)
	})
	if err != nil {
		t.Fatalf("attach: %v", err)
	}
	db.View(func(tx *Tx) error {
		if refs, _ := tx.AttachedPolicies(acct, "AIDAGHOST"); len(refs) != 0 {
			t.Errorf("AttachedPolicies of the failed attach=%v, want none", refs)
		}
		if refs, _ := tx.AttachedPolicies(acct, "AIDATARO"); !slices.Equal(refs, []string{ref}) {
			t.Errorf("AttachedPolicies=%v, want [%s] (attaching twice attaches once)", refs, ref)
		}
		uses, _ := tx.PolicyUses(acct, ref)
		want := []PolicyUse{{UsageBoundary, KindUser, "AIDAHANA"}, {UsagePermissions, KindGroup, "AGPADEVS"}, {UsagePermissions, KindUser, "AIDATARO"}}
		if !slices.Equal(uses, want) {
			t.Errorf("PolicyUses=%v, want %v", uses, want)
		}
		counts, _ := tx.PolicyUseCounts(acct)
		if got, want := counts[ref], (UseCounts{Attachments: 2, Boundaries: 1}); got != want {
			t.Errorf("PolicyUseCounts=%+v, want %+v", got, want)
		}
		if n, _ := tx.CountAttachments(acct); n != 2 {
			t.Errorf("CountAttachments=%d, want 2", n)
		}
		return nil
	})
	err = db.Update(func(tx *Tx) error {
		if err := tx.DetachPolicy(acct, KindUser, "AIDATARO", ref); err != nil {
			return err
		}
		if err := tx.DetachPolicy(acct, KindUser, "AIDATARO", ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("second DetachPolicy err=%v, want ErrNotFound", err)
		}
		return tx.SetBoundaryUse(acct, KindUser, "AIDAHANA", ref, "")
	})
	if err != nil {
		t.Fatalf("detach: %v", err)
	}
	db.View(func(tx *Tx) error {
		uses, _ := tx.PolicyUses(acct, ref)
		if want := []PolicyUse{{UsagePermissions, KindGroup, "AGPADEVS"}}; !slices.Equal(uses, want) {
			t.Errorf("PolicyUses after detach=%v, want %v", uses, want)
		}
		return nil
	})
}
