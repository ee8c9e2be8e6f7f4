//go:build !windows && !plan9 && !solaris && !aix && !android

package store

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFileShrinkingUnderTheCheck truncates a file after the check has
// mapped it: reading past the new end is a SIGBUS, which the check must
// turn into an error.
func TestFileShrinkingUnderTheCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	writeStateFile(t, path, 300)
	m := metaOf(t, path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, unmap, err := mapFile(f, int(m.pgid*m.pageSize))
	if err != nil {
		t.Fatal(err)
	}
	defer unmap()
	if err := os.Truncate(path, 8<<10); err != nil {
		t.Fatal(err)
	}
	if err := walk(data, m); err == nil {
		t.Fatal("walk of a file cut short under it: no error")
	}
}
