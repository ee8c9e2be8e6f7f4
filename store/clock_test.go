package store

import (
	"testing"
	"time"
)

func clockOffset(t testing.TB, db *DB) time.Duration {
	t.Helper()
	var d time.Duration
	if err := db.View(func(tx *Tx) (err error) { d, err = tx.ClockOffset(); return err }); err != nil {
		t.Fatalf("ClockOffset: %v", err)
	}
	return d
}

func setClockOffset(t testing.TB, db *DB, d time.Duration) {
	t.Helper()
	if err := db.Update(func(tx *Tx) error { return tx.SetClockOffset(d) }); err != nil {
		t.Fatalf("SetClockOffset(%v): %v", d, err)
	}
}

// TestClockOffsetSurvivesReopen: the offset is in the file, and a fresh
// file has none.
func TestClockOffsetSurvivesReopen(t *testing.T) {
	db, path := openTest(t)
	if got, want := clockOffset(t, db), time.Duration(0); got != want {
		t.Fatalf("offset of a new file=%v, want %v", got, want)
	}
	setClockOffset(t, db, 49*time.Hour+time.Nanosecond)
	db.Close()
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	if got, want := clockOffset(t, db2), 49*time.Hour+time.Nanosecond; got != want {
		t.Fatalf("offset after reopen=%v, want %v", got, want)
	}
	setClockOffset(t, db2, 0)
	if got, want := clockOffset(t, db2), time.Duration(0); got != want {
		t.Fatalf("offset after setting zero=%v, want %v", got, want)
	}
}

func TestResetClearsClockOffset(t *testing.T) {
	db, _ := openTest(t)
	setClockOffset(t, db, time.Hour)
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	if got, want := clockOffset(t, db), time.Duration(0); got != want {
		t.Fatalf("offset after Reset=%v, want %v", got, want)
	}
}
