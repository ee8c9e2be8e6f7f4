package emulator

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

// MaxClockOffset caps how far the clock may run ahead of real time. A
// century is far beyond any lifetime a test moves past (a password's
// longest maximum age is 1095 days, a session's 36 hours), and far from
// time.Duration's limit of 292 years, so the offset can never wrap around
// and put the clock in the past.
const MaxClockOffset = 100 * 365 * 24 * time.Hour

// ErrClockAdvance is the error of an advance the clock refuses: one that
// goes back, or beyond MaxClockOffset.
var ErrClockAdvance = errors.New("clock advance refused")

// Clock is the one emulated time: real time plus an offset that tests and
// users move forward. Dates, TOTP windows and session expiry all read it;
// SigV4's date window does not (it is checked against real time). Safe for
// concurrent use.
type Clock struct {
	// start, set by NewClockAt, replaces real time; nil: real time.
	start atomic.Pointer[clockStart]

	offset atomic.Int64 // nanoseconds, in [0, MaxClockOffset]
	// pinned stops the clock at a time: only on the scratch clock an init
	// file is applied with, so that entities get the dates it records.
	pinned atomic.Pointer[time.Time]
}

// Now is the emulated time, in UTC.
func (c *Clock) Now() time.Time {
	if t := c.pinned.Load(); t != nil {
		return *t
	}
	return c.base().UTC().Add(time.Duration(c.offset.Load()))
}

// clockStart pins a clock's time without offset to start at the real
// instant began.
type clockStart struct{ start, began time.Time }

// NewClockAt is a clock that reads start now and runs on from there at
// real time's pace, so that tests see the same dates on every run. A
// reset brings it back to start.
func NewClockAt(start time.Time) *Clock {
	c := new(Clock)
	c.start.Store(&clockStart{start: start, began: time.Now()})
	return c
}

// base is the clock's time without its offset.
func (c *Clock) base() time.Time {
	if s := c.start.Load(); s != nil {
		return s.start.Add(time.Since(s.began))
	}
	return time.Now()
}

// Advance moves the clock forward by d. It refuses, changing nothing, a
// negative d (time does not go back) and one that would take the offset
// beyond MaxClockOffset. It changes only this process's clock:
// Emulator.AdvanceClock also records the offset in the state file.
func (c *Clock) Advance(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%w: %v goes back; the clock only moves forward", ErrClockAdvance, d)
	}
	for {
		old := c.offset.Load()
		if d > MaxClockOffset-time.Duration(old) {
			return fmt.Errorf("%w: %v would put the clock more than a century (%v) ahead of real time; it is %v ahead",
				ErrClockAdvance, d, MaxClockOffset, time.Duration(old))
		}
		if c.offset.CompareAndSwap(old, old+int64(d)) {
			return nil
		}
	}
}

// Offset is how far the clock is ahead of real time.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// catchUp moves the clock to offset d unless it is already further ahead.
func (c *Clock) catchUp(d time.Duration) {
	for {
		old := c.offset.Load()
		if int64(d) <= old || c.offset.CompareAndSwap(old, int64(d)) {
			return
		}
	}
}

// AdvanceClock moves the emulator clock forward by d (see Clock.Advance)
// and records its offset in the state file before it returns, so that a
// restart brings the clock back where it was.
func (e *Emulator) AdvanceClock(d time.Duration) error {
	if err := e.clock.Advance(d); err != nil {
		return err
	}
	// The offset is read inside the write, which the store runs in commit
	// order: the last write records the furthest advance.
	return e.db.Update(func(tx *store.Tx) error { return tx.SetClockOffset(e.clock.Offset()) })
}

// loadClock moves the clock to the offset the state file records.
func (e *Emulator) loadClock() {
	var d time.Duration
	err := e.db.View(func(tx *store.Tx) (err error) { d, err = tx.ClockOffset(); return err })
	switch {
	case err != nil:
		e.log.Error("reading the clock offset; the clock starts at real time", "error", err)
	case d < 0 || d > MaxClockOffset:
		e.log.Error("the state file's clock offset is out of range; the clock starts at real time", "offset", d)
	default:
		e.clock.catchUp(d)
	}
}

// resetClock brings the clock back to real time, or to its start time, as
// reset does to the state (the state file's offset goes with DB.Reset).
func (e *Emulator) resetClock() {
	e.clock.offset.Store(0)
	if s := e.clock.start.Load(); s != nil {
		e.clock.start.Store(&clockStart{start: s.start, began: time.Now()})
	}
}
