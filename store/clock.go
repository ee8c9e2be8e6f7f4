package store

import (
	"errors"
	"time"
)

// keyClockOffset, in the meta bucket, is how far the emulator clock runs
// ahead of real time, in nanoseconds; absent means zero. It lives beside
// the schema rather than in an account: the clock is the server's.
var keyClockOffset = []byte("clockoffset")

// ClockOffset is the recorded offset of the emulator clock: data stamped
// with an advanced clock stays consistent across a restart only if the
// clock comes back where it was.
func (tx *Tx) ClockOffset() (time.Duration, error) {
	var ns int64
	err := get(tx.tx.Bucket(bucketMeta), keyClockOffset, &ns)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	return time.Duration(ns), err
}

// SetClockOffset records the offset of the emulator clock; zero removes
// the record.
func (tx *Tx) SetClockOffset(d time.Duration) error {
	meta := tx.tx.Bucket(bucketMeta)
	if d == 0 {
		return tx.del(meta, keyClockOffset)
	}
	return tx.put(meta, keyClockOffset, int64(d))
}
