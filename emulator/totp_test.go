package emulator

import (
	"testing"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

func TestEnableCodeWindow(t *testing.T) {
	seed := newSeed()
	now := time.Unix(1_800_000_015, 0) // 15 s into a step
	base := stepOf(now)
	for _, c := range []struct {
		first int64 // step of code1, relative to now; code2 is the next step
		ok    bool
	}{{-3, false}, {-2, true}, {-1, true}, {0, true}, {1, false}} {
		d := &store.MFADevice{Seed: seed}
		s := base + c.first
		if got := enableCodes(d, codeAt(seed, s), codeAt(seed, s+1), now); got != c.ok {
			t.Errorf("codes of steps now%+d and next: ok=%v, want %v", c.first, got, c.ok)
		}
		if c.ok && d.LastStep != s+1 {
			t.Errorf("LastStep=%d, want %d", d.LastStep, s+1)
		}
	}
	d := &store.MFADevice{Seed: seed}
	if enableCodes(d, codeAt(seed, base), codeAt(seed, base+2), now) {
		t.Error("codes two steps apart accepted")
	}
	if enableCodes(d, codeAt(seed, base+1), codeAt(seed, base), now) {
		t.Error("codes in reverse order accepted")
	}
}

// TestCodesWorkOnce: a step once used, and every earlier one, is refused.
func TestCodesWorkOnce(t *testing.T) {
	seed := newSeed()
	now := time.Unix(1_800_000_000, 0)
	base := stepOf(now)
	d := &store.MFADevice{Seed: seed}
	if !enableCodes(d, codeAt(seed, base-1), codeAt(seed, base), now) {
		t.Fatal("first enable refused")
	}
	if enableCodes(d, codeAt(seed, base-1), codeAt(seed, base), now) {
		t.Fatal("the same codes worked twice")
	}
	if resyncCodes(d, codeAt(seed, base-5), codeAt(seed, base-4), now) {
		t.Fatal("older codes worked after newer ones")
	}
}

// TestResyncMeasuresDrift: a device whose codes lag the clock resyncs
// within ten minutes, and the lag is remembered for the codes it shows.
func TestResyncMeasuresDrift(t *testing.T) {
	seed := newSeed()
	now := time.Unix(1_800_000_000, 0)
	base := stepOf(now)
	d := &store.MFADevice{Seed: seed}
	if resyncCodes(d, codeAt(seed, base-25), codeAt(seed, base-24), now) {
		t.Fatal("codes 12 minutes behind accepted")
	}
	if !resyncCodes(d, codeAt(seed, base-10), codeAt(seed, base-9), now) {
		t.Fatal("codes 5 minutes behind refused")
	}
	if d.Drift != -9 || d.LastStep != base-9 {
		t.Fatalf("Drift=%d LastStep=%d, want -9 and %d", d.Drift, d.LastStep, base-9)
	}
	codes := codesAt(d.Seed, d.Drift, now)
	if codes.Current != codeAt(seed, base-9) || codes.Next != codeAt(seed, base-8) {
		t.Fatalf("codes %+v do not follow the drift", codes)
	}
	if codes.ValidSecs != 30 {
		t.Fatalf("ValidSecs=%d at the start of a step, want 30", codes.ValidSecs)
	}
}

func TestSeedShape(t *testing.T) {
	a, b := newSeed(), newSeed()
	if len(a) != 64 || a == b {
		t.Fatalf("seeds %q %q: want 64 characters, distinct", a, b)
	}
	if _, err := CodesFor(a, time.Now()); err != nil {
		t.Fatal(err)
	}
}
