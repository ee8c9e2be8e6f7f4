package store

import (
	"errors"
	"testing"
	"time"
)

func credentialReport(t testing.TB, db *DB, account string) (*CredentialReport, error) {
	t.Helper()
	var r *CredentialReport
	err := db.View(func(tx *Tx) (err error) { r, err = tx.CredentialReport(account); return err })
	return r, err
}

func putCredentialReport(t testing.TB, db *DB, account string, r *CredentialReport) {
	t.Helper()
	if err := db.Update(func(tx *Tx) error { return tx.PutCredentialReport(account, r) }); err != nil {
		t.Fatalf("PutCredentialReport: %v", err)
	}
}

// TestCredentialReportPerAccountReplacedAndKept: an account has no report
// until one is put, a new one replaces it, another account's stays its
// own, and the file keeps it across a reopen until a reset.
func TestCredentialReportPerAccountReplacedAndKept(t *testing.T) {
	db, path := openTest(t)
	if _, err := credentialReport(t, db, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("report of a new file: err=%v, want ErrNotFound", err)
	}
	first := time.Unix(1700000000, 0).UTC()
	putCredentialReport(t, db, testAccount, &CredentialReport{Generated: first, Content: "user\nfirst\n"})
	putCredentialReport(t, db, testAccount, &CredentialReport{Generated: first.Add(5 * time.Hour), Content: "user\nsecond\n"})
	putCredentialReport(t, db, "210987654321", &CredentialReport{Generated: first, Content: "user\nother\n"})
	db.Close()

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	r, err := credentialReport(t, db, testAccount)
	if err != nil {
		t.Fatalf("CredentialReport after reopen: %v", err)
	}
	if got, want := r.Content, "user\nsecond\n"; got != want {
		t.Errorf("Content=%q, want %q", got, want)
	}
	if got, want := r.Generated, first.Add(5*time.Hour); !got.Equal(want) {
		t.Errorf("Generated=%v, want %v", got, want)
	}
	if other, err := credentialReport(t, db, "210987654321"); err != nil || other.Content != "user\nother\n" {
		t.Errorf("other account's report=%+v, %v, want its own", other, err)
	}
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := credentialReport(t, db, testAccount); !errors.Is(err, ErrNotFound) {
		t.Fatalf("report after Reset: err=%v, want ErrNotFound", err)
	}
}
