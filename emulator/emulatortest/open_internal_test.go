package emulatortest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenTempDir(t *testing.T) {
	s, err := Open("")
	if err != nil {
		t.Fatalf("Open(\"\"): %v", err)
	}
	state := filepath.Join(s.tempDir, "state.db")
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("state file of Open(\"\"): %v", err)
	}
	s.Close()
	if _, err := os.Stat(s.tempDir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("temporary directory after Close: %v, want it removed", err)
	}
}
