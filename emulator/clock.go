package emulator

import (
	"sync/atomic"
	"time"
)

// Clock is the one emulated time: real time plus an offset that tests and
// users move forward. Dates, TOTP windows and session expiry all read it;
// SigV4's date window does not (it is checked against real time). Safe for
// concurrent use.
type Clock struct {
	offset atomic.Int64 // nanoseconds
}

// Now is the emulated time, in UTC.
func (c *Clock) Now() time.Time {
	return time.Now().UTC().Add(time.Duration(c.offset.Load()))
}

// Advance moves the clock forward by d (d < 0 is ignored: time does not go
// back).
func (c *Clock) Advance(d time.Duration) {
	if d > 0 {
		c.offset.Add(int64(d))
	}
}

// Offset is how far the clock is ahead of real time.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }
