package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

// TestDamagedStateFileExitsCleanly builds the binary and starts it on a
// state file truncated to 8 KiB: it must exit with status 1 and one line
// on stderr naming the file, not a SIGBUS and a stack trace, and leave the
// file as it was.
func TestDamagedStateFileExitsCleanly(t *testing.T) {
	bin, dir := buildBinary(t)
	data := filepath.Join(dir, "state.db")
	writeUsers(t, data, 300)
	if err := os.Truncate(data, 8<<10); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(data, old, old); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--data", data)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "IAMLOCAL_") })
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("run: %v, want exit status 1; stderr:\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "iamlocal: ") || !strings.Contains(lines[0], data) || !strings.Contains(lines[0], "damaged") {
		t.Errorf("stderr=%q, want one line naming %s as damaged", stderr.String(), data)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout=%q, want nothing", stdout.String())
	}
	after, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after, before) {
		t.Errorf("the file changed: %d bytes, was %d", len(after), len(before))
	}
	if fi, err := os.Stat(data); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("the file's modification time moved: %v, %v", fi.ModTime(), err)
	}
}

// writeUsers makes a state file with n users, enough pages for a
// truncation to cut some off.
func writeUsers(t testing.TB, path string, n int) {
	t.Helper()
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		for i := range n {
			u := &store.User{Account: "123456789012", Name: fmt.Sprintf("user%04d", i), Path: "/", ID: fmt.Sprintf("AIDA%016d", i)}
			if err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// buildBinary builds iamlocal into a temporary directory and returns the
// binary and the directory; it skips the test under -short.
func buildBinary(t *testing.T) (bin, dir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "iamlocal")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, dir
}
