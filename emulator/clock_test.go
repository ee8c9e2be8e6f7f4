package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
)

// adminCall calls an admin endpoint as a local client does (loopback host, no
// browser headers) and decodes its JSON answer.
func (e *Emulator) adminCall(t testing.TB, method, path string) (int, map[string]any) {
	t.Helper()
	w := httptest.NewRecorder()
	e.Handler().ServeHTTP(w, httptest.NewRequest(method, "http://127.0.0.1:4599"+path, nil))
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s %s: status %d, body %q is not JSON", method, path, w.Code, w.Body)
	}
	return w.Code, body
}

func TestClockAdvanceCap(t *testing.T) {
	var c Clock
	if err := c.Advance(-time.Second); !errors.Is(err, ErrClockAdvance) {
		t.Fatalf("Advance(-1s)=%v, want ErrClockAdvance", err)
	}
	if err := c.Advance(MaxClockOffset - time.Hour); err != nil {
		t.Fatalf("Advance to an hour below the cap: %v", err)
	}
	if err := c.Advance(time.Hour + time.Nanosecond); !errors.Is(err, ErrClockAdvance) {
		t.Fatalf("Advance past the cap=%v, want ErrClockAdvance", err)
	}
	if got, want := c.Offset(), MaxClockOffset-time.Hour; got != want {
		t.Fatalf("Offset after a refused advance=%v, want %v", got, want)
	}
	if err := c.Advance(time.Hour); err != nil {
		t.Fatalf("Advance to the cap: %v", err)
	}
}

// TestClockAdvanceOverflowRefused: the advance that wrapped the offset
// around (and put the clock in 1734) is refused and changes nothing.
func TestClockAdvanceOverflowRefused(t *testing.T) {
	e := newTest(t)
	if code, body := e.adminCall(t, "POST", "/_iamlocal/clock?advance=1h"); code != http.StatusOK {
		t.Fatalf("advance=1h: status %d %v", code, body)
	}
	code, body := e.adminCall(t, "POST", "/_iamlocal/clock?advance=2562047h")
	if code != http.StatusBadRequest {
		t.Fatalf("advance=2562047h: status %d, want 400", code)
	}
	if msg, _ := body["error"].(string); !strings.Contains(msg, "more than a century (876000h0m0s) ahead") {
		t.Fatalf("advance=2562047h: error %q, want it to name the cap", msg)
	}
	if got, want := e.clock.Offset(), time.Hour; got != want {
		t.Fatalf("offset after the refused advance=%v, want %v", got, want)
	}
	if got, want := storedOffset(t, e.db), time.Hour; got != want {
		t.Fatalf("stored offset after the refused advance=%v, want %v", got, want)
	}
	if now := e.clock.Now(); now.Before(time.Now()) {
		t.Fatalf("clock at %v, behind real time", now)
	}
}

func storedOffset(t testing.TB, db *store.DB) time.Duration {
	t.Helper()
	var d time.Duration
	if err := db.View(func(tx *store.Tx) (err error) { d, err = tx.ClockOffset(); return err }); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestResetRestoresRealTime(t *testing.T) {
	e := newTest(t)
	e.adminCall(t, "POST", "/_iamlocal/clock?advance=48h")
	if code, body := e.adminCall(t, "POST", "/_iamlocal/reset"); code != http.StatusOK {
		t.Fatalf("reset: status %d %v", code, body)
	}
	if got, want := e.clock.Offset(), time.Duration(0); got != want {
		t.Fatalf("offset after reset=%v, want %v", got, want)
	}
	if got, want := storedOffset(t, e.db), time.Duration(0); got != want {
		t.Fatalf("stored offset after reset=%v, want %v", got, want)
	}
}

// TestClockOffsetSurvivesRestart: an acknowledged advance is in the state
// file, and the emulator built over it again starts at the same offset.
func TestClockOffsetSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := New(db, Options{})
	e.adminCall(t, "POST", "/_iamlocal/clock?advance=90m")
	if err := e.AdvanceClock(time.Second); err != nil {
		t.Fatal(err)
	}
	e.Close()
	db.Close()

	db, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e = New(db, Options{})
	defer e.Close()
	if got, want := e.Clock().Offset(), 90*time.Minute+time.Second; got != want {
		t.Fatalf("offset after restart=%v, want %v", got, want)
	}
	code, body := e.adminCall(t, "GET", "/_iamlocal/clock")
	if got, want := body["offset"], "1h30m1s"; code != http.StatusOK || got != want {
		t.Fatalf("GET clock: status %d offset %v, want 200 and %v", code, got, want)
	}
}

func TestDeviceCodesMarkUsedSteps(t *testing.T) {
	seed := newSeed()
	now := time.Unix(1_800_000_012, 0) // 12 s into step base
	base := stepOf(now)
	for _, c := range []struct {
		lastStep          int64
		curUsed, nextUsed bool
		fresh             int
	}{
		{0, false, false, 0},
		{base - 1, false, false, 0},
		{base, true, false, 18},
		{base + 1, true, true, 48}, // just after EnableMFADevice took now and next
	} {
		got := deviceCodesAt(&store.MFADevice{Seed: seed, LastStep: c.lastStep}, now)
		if got.CurrentUsed != c.curUsed || got.NextUsed != c.nextUsed || got.FreshSecs != c.fresh {
			t.Errorf("LastStep=base%+d: used %v/%v, fresh in %d s; want %v/%v, %d s",
				c.lastStep-base, got.CurrentUsed, got.NextUsed, got.FreshSecs, c.curUsed, c.nextUsed, c.fresh)
		}
	}
}

// TestTOTPEndpointAfterEnable: the endpoint finds a device by name and
// marks the codes EnableMFADevice just took as used.
func TestTOTPEndpointAfterEnable(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	if _, err := e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("taro-mfa")})
	if err != nil {
		t.Fatal(err)
	}
	serial := *out.VirtualMFADevice.SerialNumber
	codes, err := DeviceCodes(e.db, DefaultAccount, "taro-mfa", e.clock.Now())
	if err != nil {
		t.Fatalf("DeviceCodes by name: %v", err)
	}
	if codes.CurrentUsed || codes.NextUsed {
		t.Fatalf("codes of a new device marked used: %+v", codes)
	}
	_, err = e.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("taro"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(codes.Current), AuthenticationCode2: aws.String(codes.Next)})
	if err != nil {
		t.Fatal(err)
	}

	code, body := e.adminCall(t, "GET", "/_iamlocal/totp?serial=taro-mfa")
	if code != http.StatusOK || body["currentUsed"] != true {
		t.Fatalf("GET totp after enable: status %d %v, want 200 and currentUsed", code, body)
	}
	if fresh, _ := body["freshInSeconds"].(float64); fresh < 0 || fresh > 60 {
		t.Fatalf("freshInSeconds=%v, want 0..60", body["freshInSeconds"])
	}
	if _, ok := body["seed"]; ok {
		t.Fatal("the endpoint gave the seed")
	}

	code, body = e.adminCall(t, "GET", "/_iamlocal/totp?serial=nope")
	if got, want := body["error"], "MFA Device with serial number arn:aws:iam::123456789012:mfa/nope does not exist."; code != http.StatusNotFound || got != want {
		t.Fatalf("unknown name: status %d error %v, want 404 %q", code, got, want)
	}
	if got, want := body["account"], DefaultAccount; got != want {
		t.Fatalf("unknown name: account %v, want %v", got, want)
	}
}

func TestNewClockAt(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewClockAt(start)
	if now := c.Now(); now.Before(start) || now.Sub(start) > time.Minute {
		t.Fatalf("Now=%v, want %v (give or take how long the test took)", now, start)
	}
	if err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if now := c.Now(); now.Sub(start) < time.Hour || now.Sub(start) > time.Hour+time.Minute {
		t.Fatalf("Now after an hour's advance=%v, want %v", now, start.Add(time.Hour))
	}
}
