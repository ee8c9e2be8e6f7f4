package emulator

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/iamlocal/iamlocal/store"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP as AWS's virtual MFA devices use it: RFC 6238, 6 digits, 30-second
// steps, HMAC-SHA-1.
const totpPeriod = 30

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Code windows, in steps around the emulator clock (plus the device's
// measured drift). Enabling takes a code pair whose second code is at most
// one step old or one step ahead: a client may send the codes for now and
// the next step, and AWS accepted the previous and the current one
// (aws-facts §4). A resync searches ten minutes either way.
const (
	enableWindowBack = 2
	resyncWindow     = 20
)

// newSeed is a device secret as AWS makes them: 40 random bytes, which is
// 64 base32 characters.
func newSeed() string {
	b := make([]byte, 40)
	rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)
}

func stepOf(t time.Time) int64 { return t.Unix() / totpPeriod }

// codeAt is the device's code for time step s.
func codeAt(seed string, s int64) string {
	code, err := totp.GenerateCodeCustom(seed, time.Unix(s*totpPeriod, 0), totpOpts)
	if err != nil { // only for a seed that is not base32, which we never store
		return ""
	}
	return code
}

func sameCode(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// matchPair finds the step s in [from, to] whose code is code1 and whose
// next step's code is code2, skipping steps already used.
func matchPair(d *store.MFADevice, code1, code2 string, from, to int64) (int64, bool) {
	for s := max(from, d.LastStep+1); s <= to; s++ {
		if sameCode(codeAt(d.Seed, s), code1) && sameCode(codeAt(d.Seed, s+1), code2) {
			return s, true
		}
	}
	return 0, false
}

// enableCodes checks EnableMFADevice's two consecutive codes and marks
// them used.
func enableCodes(d *store.MFADevice, code1, code2 string, now time.Time) bool {
	base := stepOf(now)
	s, ok := matchPair(d, code1, code2, base-enableWindowBack, base)
	if ok {
		d.LastStep, d.Drift = s+1, 0
	}
	return ok
}

// resyncCodes checks ResyncMFADevice's two consecutive codes within the
// wide window and records how far the device has drifted from the clock.
func resyncCodes(d *store.MFADevice, code1, code2 string, now time.Time) bool {
	base := stepOf(now)
	s, ok := matchPair(d, code1, code2, base-resyncWindow, base+resyncWindow)
	if ok {
		d.LastStep, d.Drift = s+1, s+1-base
	}
	return ok
}

// Codes are what a device shows now and at the next step, and how long
// the current one stays current. For a device of the emulator they also
// say which of the two it has already accepted (each code works once) and,
// when the current one has been, how long until it shows a fresh one.
type Codes struct {
	Current     string `json:"current"`
	Next        string `json:"next"`
	ValidSecs   int    `json:"validSeconds"`
	CurrentUsed bool   `json:"currentUsed"`
	NextUsed    bool   `json:"nextUsed"`
	FreshSecs   int    `json:"freshInSeconds"` // 0 while Current is fresh
}

func codesAt(seed string, drift int64, now time.Time) Codes {
	s := stepOf(now) + drift
	left := time.Duration((s-drift+1)*totpPeriod)*time.Second - time.Duration(now.UnixNano())
	return Codes{Current: codeAt(seed, s), Next: codeAt(seed, s+1), ValidSecs: int(left.Round(time.Second) / time.Second)}
}

// deviceCodesAt is codesAt for device d, with its used codes marked: the
// steps up to d.LastStep. The first fresh step, LastStep+1, begins
// LastStep-s steps after the next one.
func deviceCodesAt(d *store.MFADevice, now time.Time) Codes {
	c := codesAt(d.Seed, d.Drift, now)
	s := stepOf(now) + d.Drift
	c.CurrentUsed, c.NextUsed = s <= d.LastStep, s+1 <= d.LastStep
	if c.CurrentUsed {
		c.FreshSecs = c.ValidSecs + int(d.LastStep-s)*totpPeriod
	}
	return c
}

// CodesFor computes what a TOTP seed (base32) shows at time now; it is
// what `iamlocal totp --seed` prints.
func CodesFor(seed string, now time.Time) (Codes, error) {
	if _, err := totp.GenerateCodeCustom(seed, now, totpOpts); err != nil {
		return Codes{}, err
	}
	return codesAt(seed, 0, now), nil
}

// DeviceCodes computes what the virtual MFA device of account shows at
// time now, from the state in db. device is its serial number (its ARN) or
// its name, as a person types it.
func DeviceCodes(db *store.DB, account, device string, now time.Time) (Codes, error) {
	var codes Codes
	err := db.View(func(tx *store.Tx) error {
		d, err := deviceBySerialOrName(tx, account, device)
		if err == nil {
			codes = deviceCodesAt(d, now)
		}
		return err
	})
	return codes, err
}

// deviceBySerialOrName loads a device by its ARN, as the API names it (in
// the account the ARN names), or by its name in account, as `iamlocal
// totp` also accepts; a name that is not found
// is reported with the serial number a device of that name would have.
func deviceBySerialOrName(tx *store.Tx, account, device string) (*store.MFADevice, error) {
	if strings.HasPrefix(device, "arn:") {
		return deviceBySerial(tx, arnPartition(device), arnAccount(device), device)
	}
	d, err := tx.MFADevice(account, device)
	if errors.Is(err, store.ErrNotFound) {
		return nil, noSuchMFADevice(mfaARN("aws", account, "/", device))
	}
	return d, err
}
