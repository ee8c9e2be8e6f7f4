package store

import (
	"errors"
	"strings"
	"testing"
)

// TestReplaceData: the destination loses its own data and gets the
// source's, renamed in keys and values alike (the id index follows).
func TestReplaceData(t *testing.T) {
	dst, _ := openTest(t)
	src, _ := openTest(t)
	put := func(db *DB, name, id string) {
		t.Helper()
		if err := db.Update(func(tx *Tx) error { return tx.CreateUser(&User{Account: "123456789012", Name: name, ID: id}) }); err != nil {
			t.Fatal(err)
		}
	}
	put(dst, "old", "AIDAOLD")
	put(src, "new", "AIDARANDOM")
	if err := dst.ReplaceData(src, strings.NewReplacer("AIDARANDOM", "AIDAWANTED")); err != nil {
		t.Fatal(err)
	}
	dst.View(func(tx *Tx) error {
		if _, err := tx.User("123456789012", "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old user: err=%v, want ErrNotFound", err)
		}
		u, err := tx.UserByID("123456789012", "AIDAWANTED")
		if err != nil {
			t.Fatalf("UserByID(AIDAWANTED): %v", err)
		}
		if got, want := u.Name+" "+u.ID, "new AIDAWANTED"; got != want {
			t.Errorf("user=%s, want %s", got, want)
		}
		return nil
	})
}
