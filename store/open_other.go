//go:build windows || plan9 || solaris || aix || android

package store

import (
	"os"
	"time"
)

// lockFile leaves locking to bbolt where it locks otherwise than with
// flock: the file is then checked before bbolt takes its lock.
func lockFile(*os.File, time.Duration) error { return nil }

// mapFile reads the first n bytes of f.
func mapFile(f *os.File, n int) (data []byte, unmap func(), err error) {
	data = make([]byte, n)
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() {}, nil
}
