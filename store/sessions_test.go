package store

import (
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func testSession(id string, expires time.Time) *Session {
	return &Session{KeyID: id, Account: "123456789012", Secret: "s", Token: "t", Kind: SessionRole,
		PrincipalID: "AROAEXAMPLE", Name: "s1", Issued: expires.Add(-time.Hour), Expires: expires}
}

func putSessions(t testing.TB, db *DB, sessions ...*Session) {
	t.Helper()
	err := db.Update(func(tx *Tx) error {
		for _, s := range sessions {
			if err := tx.PutSession(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("PutSession: %v", err)
	}
}

func sessionErr(db *DB, id string) error {
	return db.View(func(tx *Tx) error { _, err := tx.Session(id); return err })
}

// A state file from before sessions has no sessions bucket: lookups find
// nothing, the first session creates the buckets, and it survives a reopen.
func TestSessionsInStateFileWithoutBucket(t *testing.T) {
	db, path := openTest(t)
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error {
		tx.DeleteBucket(bucketSessions)
		tx.DeleteBucket(bucketSessionExpiry)
		return nil
	})
	b.Close()
	db, err = Open(path, Options{VerifyRerun: true})
	if err != nil {
		t.Fatalf("reopen without sessions bucket: %v", err)
	}
	if err := sessionErr(db, "ASIAEXAMPLE"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Session without bucket: err=%v, want ErrNotFound", err)
	}
	n := -1
	db.Update(func(tx *Tx) (err error) { n, err = tx.SweepSessions(time.Now(), 10); return err })
	if n != 0 {
		t.Fatalf("SweepSessions without bucket=%d, want 0", n)
	}
	putSessions(t, db, testSession("ASIAEXAMPLE", time.Now().Add(time.Hour)))
	db.Close()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s *Session
	if err := db.View(func(tx *Tx) (err error) { s, err = tx.Session("ASIAEXAMPLE"); return err }); err != nil {
		t.Fatalf("Session after reopen: %v", err)
	}
	if got, want := s.PrincipalID, "AROAEXAMPLE"; got != want {
		t.Fatalf("PrincipalID=%q, want %q", got, want)
	}
}

func TestSweepSessionsDeletesOnlyExpiredBeforeCutoff(t *testing.T) {
	db, _ := openTest(t)
	base := time.Unix(1700000000, 0).UTC()
	putSessions(t, db,
		testSession("ASIAOLD1", base.Add(-2*time.Hour)),
		testSession("ASIAOLD2", base.Add(-time.Hour)),
		testSession("ASIALIVE", base.Add(time.Hour)))
	var has bool
	db.View(func(tx *Tx) error { has = tx.HasExpiredSessions(base); return nil })
	if !has {
		t.Fatalf("HasExpiredSessions=false, want true")
	}
	var n int
	if err := db.Update(func(tx *Tx) (err error) { n, err = tx.SweepSessions(base, 1); return err }); err != nil {
		t.Fatal(err)
	}
	if got, want := n, 1; got != want {
		t.Fatalf("swept=%d, want %d (the limit)", got, want)
	}
	if err := sessionErr(db, "ASIAOLD1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("oldest session after sweep: err=%v, want ErrNotFound", err)
	}
	if err := db.Update(func(tx *Tx) (err error) { n, err = tx.SweepSessions(base, 10); return err }); err != nil {
		t.Fatal(err)
	}
	if got, want := n, 1; got != want {
		t.Fatalf("swept=%d, want %d", got, want)
	}
	if err := sessionErr(db, "ASIALIVE"); err != nil {
		t.Fatalf("live session after sweep: %v", err)
	}
	db.View(func(tx *Tx) error { has = tx.HasExpiredSessions(base); return nil })
	if has {
		t.Fatalf("HasExpiredSessions after sweep=true, want false")
	}
}

func TestResetRemovesSessions(t *testing.T) {
	db, _ := openTest(t)
	putSessions(t, db, testSession("ASIAEXAMPLE", time.Now().Add(time.Hour)))
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if err := sessionErr(db, "ASIAEXAMPLE"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Session after Reset: err=%v, want ErrNotFound", err)
	}
}
