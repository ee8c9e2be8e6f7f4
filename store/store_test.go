package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTest opens a new state file that runs every Update function twice
// (Options.VerifyRerun).
func openTest(t testing.TB) (*DB, string) {
	t.Helper()
	return openWith(t, Options{LockTimeout: 50 * time.Millisecond, VerifyRerun: true})
}

func openWith(t testing.TB, o Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func testUser(name string) *User {
	return &User{Account: "123456789012", Name: name, Path: "/", ID: "AIDA" + strings.ToUpper(name), Created: time.Unix(1700000000, 0).UTC()}
}

func TestReopenKeepsData(t *testing.T) {
	db, path := openTest(t)
	if err := db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("Taro")) }); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	db.Close()
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db2.Close()
	err = db2.View(func(tx *Tx) error {
		u, err := tx.User("123456789012", "TARO")
		if err != nil {
			return err
		}
		if got, want := u.Name, "Taro"; got != want {
			t.Errorf("Name=%q, want %q (case kept)", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("User after reopen: %v", err)
	}
}

func TestFileMode0600(t *testing.T) {
	_, path := openTest(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Fatalf("mode=%v, want %v", got, want)
	}
}

func TestFailedUpdateLeavesNothing(t *testing.T) {
	db, _ := openTest(t)
	boom := errors.New("boom")
	err := db.Update(func(tx *Tx) error {
		if err := tx.CreateUser(testUser("taro")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update err=%v, want boom", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.User("123456789012", "taro"); !errors.Is(err, ErrNotFound) {
			t.Errorf("User after failed update: err=%v, want ErrNotFound", err)
		}
		if _, err := tx.UserByID("123456789012", "AIDATARO"); !errors.Is(err, ErrNotFound) {
			t.Errorf("UserByID after failed update: err=%v, want ErrNotFound", err)
		}
		if got := tx.CountUsers("123456789012"); got != 0 {
			t.Errorf("CountUsers=%d, want 0", got)
		}
		return nil
	})
}

func TestPanicInUpdateRollsBack(t *testing.T) {
	db, _ := openTest(t)
	err := db.Update(func(tx *Tx) error {
		tx.CreateUser(testUser("taro"))
		panic("bug")
	})
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("err=%v, want a panic error", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.User("123456789012", "taro"); !errors.Is(err, ErrNotFound) {
			t.Errorf("User after panic: err=%v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestCaseInsensitiveUniqueNames(t *testing.T) {
	db, _ := openTest(t)
	db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("taro")) })
	err := db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("TARO")) })
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second CreateUser err=%v, want ErrExists", err)
	}
}

func TestRenameMovesRecordAndIndex(t *testing.T) {
	db, _ := openTest(t)
	db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("taro")) })
	db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("jiro")) })
	err := db.Update(func(tx *Tx) error {
		u, _ := tx.User("123456789012", "taro")
		u.Name = "Jiro"
		return tx.UpdateUser("taro", u)
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("rename onto jiro: err=%v, want ErrExists", err)
	}
	err = db.Update(func(tx *Tx) error {
		u, _ := tx.User("123456789012", "taro")
		u.Name = "hanako"
		return tx.UpdateUser("taro", u)
	})
	if err != nil {
		t.Fatalf("rename: %v", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.User("123456789012", "taro"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old name: err=%v, want ErrNotFound", err)
		}
		u, err := tx.UserByID("123456789012", "AIDATARO")
		if err != nil || u.Name != "hanako" {
			t.Errorf("UserByID=%v,%v, want hanako", u, err)
		}
		if got := tx.CountUsers("123456789012"); got != 2 {
			t.Errorf("CountUsers=%d, want 2", got)
		}
		return nil
	})
}

func TestAccessKeyIndex(t *testing.T) {
	db, _ := openTest(t)
	k := &AccessKey{ID: "AKIAEXAMPLE000000001", Account: "123456789012", UserID: "AIDATARO", Secret: "s", Active: true}
	if err := db.Update(func(tx *Tx) error { return tx.PutAccessKey(k) }); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *Tx) error {
		keys, err := tx.AccessKeys("123456789012", "AIDATARO")
		if err != nil || len(keys) != 1 || keys[0].ID != k.ID {
			t.Errorf("AccessKeys=%v,%v, want [%s]", keys, err, k.ID)
		}
		return nil
	})
	db.Update(func(tx *Tx) error { return tx.DeleteAccessKey(k) })
	db.View(func(tx *Tx) error {
		keys, _ := tx.AccessKeys("123456789012", "AIDATARO")
		if _, err := tx.AccessKey(k.ID); !errors.Is(err, ErrNotFound) || len(keys) != 0 {
			t.Errorf("after delete: AccessKey err=%v, keys=%v; want gone", err, keys)
		}
		return nil
	})
}

// TestGroupCommitIsolatesFailures runs many concurrent writers, some of
// which write then fail: every success is on disk, no failure left a trace.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	db, path := openWith(t, Options{LockTimeout: 50 * time.Millisecond}) // VerifyRerun would commit one by one
	var wg sync.WaitGroup
	errs := make([]error, 64)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(func(tx *Tx) error {
				u := testUser("u" + string(rune('a'+i%26)) + string(rune('a'+i/26)))
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				if i%3 == 0 {
					return errors.New("fail after write")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	db.Close()
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	db2.View(func(tx *Tx) error {
		for i, err := range errs {
			name := "u" + string(rune('a'+i%26)) + string(rune('a'+i/26))
			_, gerr := tx.User("123456789012", name)
			if (err == nil) != (gerr == nil) {
				t.Errorf("writer %d: Update err=%v but User err=%v", i, err, gerr)
			}
			if (i%3 == 0) != (err != nil) {
				t.Errorf("writer %d: err=%v", i, err)
			}
		}
		if got, want := tx.CountUsers("123456789012"), 64-22; got != want {
			t.Errorf("CountUsers=%d, want %d", got, want)
		}
		return nil
	})
}

func TestLockedFileFailsClearly(t *testing.T) {
	_, path := openTest(t)
	_, err := Open(path, Options{LockTimeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Open err=%v, want ErrLocked naming the file", err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	db, path := openTest(t)
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) })
	b.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open err=%v, want a newer-schema error", err)
	}
}

func TestReset(t *testing.T) {
	db, _ := openTest(t)
	db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("taro")) })
	if err := db.Reset(); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.User("123456789012", "taro"); !errors.Is(err, ErrNotFound) {
			t.Errorf("after reset: err=%v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestUpdateAfterClose(t *testing.T) {
	db, _ := openTest(t)
	db.Close()
	if err := db.Update(func(*Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("err=%v, want ErrClosed", err)
	}
}

// TestGeneration: a commit moves the generation before its writer returns;
// reads and failed writes leave it alone.
func TestGeneration(t *testing.T) {
	db, _ := openTest(t)
	g0 := db.Generation()
	db.View(func(tx *Tx) error { _, err := tx.AccessKey("AKIAEXAMPLE"); return err })
	if err := db.Update(func(tx *Tx) error { return errors.New("refused before writing") }); err == nil {
		t.Fatal("failed update reported success")
	}
	if g := db.Generation(); g != g0 {
		t.Fatalf("generation moved from %d to %d without a commit", g0, g)
	}
	if err := db.Update(func(tx *Tx) error { return tx.CreateUser(&User{Account: "123456789012", Name: "gen", ID: "AIDAGEN"}) }); err != nil {
		t.Fatal(err)
	}
	if g := db.Generation(); g <= g0 {
		t.Fatalf("generation %d after a commit, want more than %d", g, g0)
	}
}

// TestDataGeneration: a usage-only commit moves Generation but not
// DataGeneration; any other commit moves both.
func TestDataGeneration(t *testing.T) {
	db, _ := openTest(t)
	if err := db.Update(func(tx *Tx) error {
		return tx.PutAccessKey(&AccessKey{ID: "AKIAGEN", Account: "123456789012", UserID: "AIDAGEN", Secret: "s", Active: true})
	}); err != nil {
		t.Fatal(err)
	}
	g0, d0 := db.Generation(), db.DataGeneration()
	use := KeyUse{Date: time.Now().UTC(), Region: "us-east-1", Service: "iam"}
	if err := db.UpdateUsage(func(tx *Tx) error { return tx.RecordKeyUse("AKIAGEN", use) }); err != nil {
		t.Fatal(err)
	}
	if g, d := db.Generation(), db.DataGeneration(); g <= g0 || d != d0 {
		t.Fatalf("after a usage commit Generation %d→%d, DataGeneration %d→%d; want the first to move and the second not", g0, g, d0, d)
	}
	if err := db.Update(func(tx *Tx) error { return tx.CreateUser(&User{Account: "123456789012", Name: "gen", ID: "AIDAGEN"}) }); err != nil {
		t.Fatal(err)
	}
	if d := db.DataGeneration(); d <= d0 {
		t.Fatalf("DataGeneration %d after a data commit, want more than %d", d, d0)
	}
}
