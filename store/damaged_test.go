package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const testAccount = "123456789012"

// writeStateFile makes a state file of path holding n users with an
// access key each, some users larger than a page, written in several
// commits, and returns its bytes.
func writeStateFile(t testing.TB, path string, n int) []byte {
	t.Helper()
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for batch := 0; batch < n; batch += 100 {
		err := db.Update(func(tx *Tx) error {
			for i := batch; i < min(batch+100, n); i++ {
				u := testUser(fmt.Sprintf("user%05d", i))
				if i%50 == 0 { // a record larger than a page: overflow pages
					u.PasswordHistory = slices.Repeat([][]byte{bytes.Repeat([]byte{byte(i)}, 1000)}, 10)
				}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				k := &AccessKey{ID: fmt.Sprintf("AKIA%016d", i), Account: testAccount, UserID: u.ID, Secret: strings.Repeat("s", 40), Active: true}
				if err := tx.PutAccessKey(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// metaOf reads the meta bbolt would use from a state file's bytes.
func metaOf(t testing.TB, path string) meta {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	m, err := readMeta(f, uint64(fi.Size()))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// garble overwrites page id of the file with random bytes.
func garble(t testing.TB, path string, pageSize, id uint64, r *rand.Rand) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, pageSize)
	for i := range junk {
		junk[i] = byte(r.Uint32())
	}
	if _, err := f.WriteAt(junk, int64(id*pageSize)); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedFileRefused damages a state file in the ways a disk, a copy
// or a user can, and expects Open to refuse it with ErrDamaged and one
// line naming the file, leaving the file as it was. Before the check,
// each of these crashed the process (SIGBUS or a panic in bbolt's own
// goroutine) or opened garbage.
func TestDamagedFileRefused(t *testing.T) {
	healthy := writeStateFile(t, filepath.Join(t.TempDir(), "state.db"), 300)
	for _, tc := range []struct {
		name   string
		damage func(t testing.TB, path string, m meta)
	}{
		{"truncated to 8 KiB", func(t testing.TB, path string, _ meta) {
			if err := os.Truncate(path, 8<<10); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated to half", func(t testing.TB, path string, _ meta) {
			if err := os.Truncate(path, int64(len(healthy)/2)); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated inside the meta pages", func(t testing.TB, path string, _ meta) {
			if err := os.Truncate(path, 1000); err != nil {
				t.Fatal(err)
			}
		}},
		{"data pages garbled", func(t testing.TB, path string, m meta) {
			r := rand.New(rand.NewPCG(7, 7))
			for id := uint64(2); id < m.pgid; id += 3 {
				garble(t, path, m.pageSize, id, r)
			}
		}},
		{"root page garbled", func(t testing.TB, path string, m meta) {
			garble(t, path, m.pageSize, m.root, rand.New(rand.NewPCG(1, 2)))
		}},
		{"both meta pages garbled", func(t testing.TB, path string, m meta) {
			r := rand.New(rand.NewPCG(3, 4))
			garble(t, path, m.pageSize, 0, r)
			garble(t, path, m.pageSize, 1, r)
		}},
		{"not a state file", func(t testing.TB, path string, _ meta) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("not bbolt\n"), 2000), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			if err := os.WriteFile(path, healthy, 0o600); err != nil {
				t.Fatal(err)
			}
			tc.damage(t, path, metaOf(t, path))
			before := snapshot(t, path)
			db, err := Open(path, Options{LockTimeout: 50 * time.Millisecond})
			if err == nil {
				db.Close()
			}
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("Open err=%v, want ErrDamaged", err)
			}
			msg := err.Error()
			for _, want := range []string{path, "damaged", "move it aside or restore a copy"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message %q is more than one line", msg)
			}
			if after := stateOf(t, path); after != before {
				t.Errorf("Open changed the file: %+v, was %+v", after, before)
			}
		})
	}
}

type fileState struct {
	sum   [sha256.Size]byte
	size  int64
	mtime time.Time
	mode  os.FileMode
}

// snapshot sets a file's modification time to a fixed past one, so that a
// later write shows, and records its contents, size, mode and time.
func snapshot(t testing.TB, path string) fileState {
	t.Helper()
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	return stateOf(t, path)
}

func stateOf(t testing.TB, path string) fileState {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{sha256.Sum256(raw), fi.Size(), fi.ModTime(), fi.Mode()}
}

// TestOneGarbledMetaFallsBack garbles the newer meta page, as a write torn
// by a power cut would: bbolt's design falls back to the other meta, whose
// tree the last commit left intact, so the file opens with the commits
// before the last one.
func TestOneGarbledMetaFallsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	writeStateFile(t, path, 300)
	m := metaOf(t, path)
	garble(t, path, m.pageSize, m.txid%2, rand.New(rand.NewPCG(5, 6)))
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	db.View(func(tx *Tx) error {
		if got, want := tx.CountUsers(testAccount), 200; got != want {
			t.Errorf("CountUsers=%d, want %d (all but the last commit)", got, want)
		}
		return nil
	})
}

// TestRandomDamageNeverCrashes flips a few bytes of random pages of a state
// file, many times over: each Open must either refuse the file with
// ErrDamaged or give a file that reads and writes without crashing.
func TestRandomDamageNeverCrashes(t *testing.T) {
	dir := t.TempDir()
	healthy := writeStateFile(t, filepath.Join(dir, "healthy.db"), 300)
	m := metaOf(t, filepath.Join(dir, "healthy.db"))
	r := rand.New(rand.NewPCG(11, 12))
	refused := 0
	for round := range 200 {
		raw := bytes.Clone(healthy)
		for range 1 + r.IntN(4) {
			page := 2 + r.Uint64N(m.pgid-2)
			at := page*m.pageSize + r.Uint64N(64)
			if r.IntN(2) == 0 {
				at = page*m.pageSize + r.Uint64N(m.pageSize)
			}
			raw[at] ^= byte(1 + r.IntN(255))
		}
		path := filepath.Join(dir, fmt.Sprintf("round%d.db", round))
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(path, Options{NoSync: true})
		if errors.Is(err, ErrDamaged) {
			refused++
			continue
		}
		if err != nil {
			t.Fatalf("round %d: Open err=%v, want nil or ErrDamaged", round, err)
		}
		readAll(db)
		db.Update(func(tx *Tx) error { return tx.CreateUser(testUser("afterdamage")) })
		db.Close()
	}
	t.Logf("%d of 200 damaged files refused", refused)
}

// readAll reads every user and access key of the test account, ignoring
// decode errors: damage inside a record is an error, not a crash.
func readAll(db *DB) {
	db.View(func(tx *Tx) error {
		tx.Users(testAccount, "", func(u *User) (bool, error) {
			tx.AccessKeys(testAccount, u.ID)
			tx.UserByID(testAccount, u.ID)
			return true, nil
		})
		return nil
	})
}

// BenchmarkOpen opens and closes a state file of 10,000 users with a key
// each: the start-up cost of the page check plus bbolt's own walk.
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "state.db")
	writeStateFile(b, path, 10000)
	for b.Loop() {
		db, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// TestHealthyFileOpensUntouched: the check passes a healthy file of many
// pages, some of them overflow pages, and opening it writes nothing.
func TestHealthyFileOpensUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	writeStateFile(t, path, 300)
	before := snapshot(t, path)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	db.View(func(tx *Tx) error {
		if got, want := tx.CountUsers(testAccount), 300; got != want {
			t.Errorf("CountUsers=%d, want %d", got, want)
		}
		if _, err := tx.AccessKey(fmt.Sprintf("AKIA%016d", 299)); err != nil {
			t.Errorf("AccessKey: %v", err)
		}
		return nil
	})
	db.Close()
	if after := stateOf(t, path); after != before {
		t.Errorf("opening a healthy file changed it: %+v, was %+v", after, before)
	}
}
