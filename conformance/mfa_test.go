package conformance

import (
	"bytes"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const (
	badCode      = "Authentication code for device is not valid."
	mfaExists    = "MFA device already exists."
	mfaInUse     = "MFA Device is already in use."
	mfaPathError = "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
)

func mfaSerial(name string) string { return "arn:aws:iam::" + account + ":mfa/" + name }

func noSuchDevice(serial string) string {
	return "MFA Device with serial number " + serial + " does not exist."
}

// code is what an authenticator app shows for seed at t.
func code(t testing.TB, seed string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(seed, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serverNow is the target's emulator clock, which TOTP windows follow.
func (tg *target) serverNow(t testing.TB) time.Time {
	t.Helper()
	resp, err := http.Get(tg.URL + "/_iamlocal/clock")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var clock struct{ Now time.Time }
	if err := json.NewDecoder(resp.Body).Decode(&clock); err != nil {
		t.Fatal(err)
	}
	return clock.Now
}

func (tg *target) advanceClock(t testing.TB, d time.Duration) {
	t.Helper()
	resp, err := http.PostForm(tg.URL+"/_iamlocal/clock", url.Values{"advance": {d.String()}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("advance clock: status %d", resp.StatusCode)
	}
}

// createDevice makes a virtual MFA device and returns its serial and seed.
func (tg *target) createDevice(t testing.TB, name string) (serial, seed string) {
	t.Helper()
	out, err := tg.iam().CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateVirtualMFADevice %s: %v", name, err)
	}
	return *out.VirtualMFADevice.SerialNumber, string(out.VirtualMFADevice.Base32StringSeed)
}

// enable enables a device for user with the codes of the server's current
// and next step, as a test can without waiting.
func (tg *target) enable(user, serial, seed string, t testing.TB) error {
	return tg.enableWith(tg.iam(), user, serial, seed, t)
}

// enableWith is enable through client c.
func (tg *target) enableWith(c *iam.Client, user, serial, seed string, t testing.TB) error {
	now := tg.serverNow(t)
	_, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code(t, seed, now)), AuthenticationCode2: aws.String(code(t, seed, now.Add(30*time.Second)))})
	return err
}

// TestJourneyVirtualMFA is the MFA hands-on: create a device, enable it for
// taro with two consecutive codes, list it, resync it after the clock has
// moved, deactivate it and delete it.
func TestJourneyVirtualMFA(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")

	// aws iam create-virtual-mfa-device --virtual-mfa-device-name taro-mfa --bootstrap-method QRCodePNG --outfile mfa.png
	created := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("taro-mfa")})).VirtualMFADevice
	serial, seed := aws.ToString(created.SerialNumber), string(created.Base32StringSeed)
	if serial != mfaSerial("taro-mfa") {
		t.Fatalf("SerialNumber=%q, want %q", serial, mfaSerial("taro-mfa"))
	}
	if raw, err := base32.StdEncoding.DecodeString(seed); err != nil || len(seed) != 64 || len(raw) != 40 {
		t.Fatalf("seed %q is not 64 base32 characters (%v)", seed, err)
	}
	img, err := png.Decode(bytes.NewReader(created.QRCodePNG))
	if err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("QRCodePNG is not a usable PNG: %v", err)
	}

	// aws iam list-virtual-mfa-devices --assignment-status Unassigned
	unassigned := must[*iam.ListVirtualMFADevicesOutput](t)(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned}))
	if len(unassigned.VirtualMFADevices) != 1 || aws.ToString(unassigned.VirtualMFADevices[0].SerialNumber) != serial ||
		unassigned.VirtualMFADevices[0].Base32StringSeed != nil || unassigned.VirtualMFADevices[0].User != nil {
		t.Fatalf("unassigned devices %+v, want just %s without seed or user", unassigned.VirtualMFADevices, serial)
	}

	// aws iam enable-mfa-device --user-name taro --serial-number ... --authentication-code1 ... --authentication-code2 ...
	if err := tg.enable("taro", serial, seed, t); err != nil {
		t.Fatalf("EnableMFADevice: %v", err)
	}

	// aws iam list-mfa-devices --user-name taro
	listed := must[*iam.ListMFADevicesOutput](t)(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("taro")})).MFADevices
	if len(listed) != 1 || aws.ToString(listed[0].SerialNumber) != serial || aws.ToString(listed[0].UserName) != "taro" || listed[0].EnableDate == nil {
		t.Fatalf("ListMFADevices taro=%+v", listed)
	}
	assigned := must[*iam.ListVirtualMFADevicesOutput](t)(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned})).VirtualMFADevices
	if len(assigned) != 1 || assigned[0].User == nil || aws.ToString(assigned[0].User.UserName) != "taro" || assigned[0].EnableDate == nil {
		t.Fatalf("assigned devices %+v, want taro's with its EnableDate", assigned)
	}
	got := must[*iam.GetMFADeviceOutput](t)(c.GetMFADevice(ctx, &iam.GetMFADeviceInput{SerialNumber: aws.String(serial), UserName: aws.String("taro")}))
	if aws.ToString(got.UserName) != "taro" || !got.EnableDate.Equal(*listed[0].EnableDate) {
		t.Fatalf("GetMFADevice %+v", got)
	}

	// The emulator's clock moves five minutes on; the phone stays behind.
	// Resync with the phone's next two codes (its current one was used to
	// enable the device).
	phoneNow := tg.serverNow(t)
	tg.advanceClock(t, 5*time.Minute)
	resync := func(at time.Time) error {
		_, err := c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("taro"), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(code(t, seed, at)), AuthenticationCode2: aws.String(code(t, seed, at.Add(30*time.Second)))})
		return err
	}
	if err := resync(phoneNow.Add(60 * time.Second)); err != nil {
		t.Fatalf("ResyncMFADevice after the clock moved: %v", err)
	}
	// The same codes again are refused: no code is accepted twice.
	wantAPIError(t, resync(phoneNow.Add(60*time.Second)), "InvalidAuthenticationCode", 403, badCode)

	// DeleteUser and DeleteVirtualMFADevice refuse while the device is enabled.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete MFA device first.")
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, err, "DeleteConflict", 409, "*")

	// aws iam deactivate-mfa-device --user-name taro --serial-number ...
	must[*iam.DeactivateMFADeviceOutput](t)(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("taro"), SerialNumber: aws.String(serial)}))
	if l := must[*iam.ListMFADevicesOutput](t)(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("taro")})).MFADevices; len(l) != 0 {
		t.Fatalf("taro still lists %+v", l)
	}
	// aws iam delete-virtual-mfa-device --serial-number ...
	must[*iam.DeleteVirtualMFADeviceOutput](t)(c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))
	all := must[*iam.ListVirtualMFADevicesOutput](t)(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{}))
	if len(all.VirtualMFADevices) != 0 {
		t.Fatalf("devices left: %+v", all.VirtualMFADevices)
	}
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")}))
}

func TestEnableMFADeviceErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "hanako")
	tg.createUser(t, "jiro")
	serial, seed := tg.createDevice(t, "dev")
	enable := func(user, serial, code1, code2 string) error {
		_, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
			AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)})
		return err
	}
	now := tg.serverNow(t)
	prev, cur, next := code(t, seed, now.Add(-30*time.Second)), code(t, seed, now), code(t, seed, now.Add(30*time.Second))

	// An unknown user wins over bad codes; then an unknown device.
	wantAPIError(t, enable("taro", serial, "000000", "000000"), "NoSuchEntity", 404, noSuchUserTaro)
	wantAPIError(t, enable("hanako", mfaSerial("nope"), cur, next), "NoSuchEntity", 404, noSuchDevice(mfaSerial("nope")))
	// Wrong, swapped, non-consecutive and far-future codes.
	for _, codes := range [][2]string{{"123456", "654321"}, {next, cur}, {prev, next}, {code(t, seed, now.Add(5*time.Minute)), code(t, seed, now.Add(330*time.Second))}} {
		if codes[0] == "123456" && (cur == "123456" || next == "654321") {
			continue // the random codes happen to be right
		}
		wantAPIError(t, enable("hanako", serial, codes[0], codes[1]), "InvalidAuthenticationCode", 403, badCode)
	}
	wantAPIError(t, enable("hanako", serial, "12345", "123456"), "ValidationError", 400,
		"1 validation error detected: Value at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6")

	// The previous and the current step, as AWS accepts them.
	if err := enable("hanako", serial, prev, cur); err != nil {
		t.Fatalf("codes of the previous and current step: %v", err)
	}
	wantAPIError(t, enable("jiro", serial, cur, next), "EntityAlreadyExists", 409, mfaInUse)
	wantAPIError(t, enable("hanako", serial, cur, next), "EntityAlreadyExists", 409, mfaInUse)

	// After deactivation, codes already used stay used.
	must[*iam.DeactivateMFADeviceOutput](t)(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("hanako"), SerialNumber: aws.String(serial)}))
	wantAPIError(t, enable("jiro", serial, prev, cur), "InvalidAuthenticationCode", 403, badCode)
	tg.advanceClock(t, time.Minute)
	if err := tg.enable("jiro", serial, seed, t); err != nil {
		t.Fatalf("fresh codes a minute later: %v", err)
	}
}

func TestMFADeviceQuotaPerUser(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "collector")
	for i := range 8 {
		serial, seed := tg.createDevice(t, fmt.Sprintf("dev%d", i))
		if err := tg.enable("collector", serial, seed, t); err != nil {
			t.Fatalf("device %d: %v", i, err)
		}
	}
	serial, seed := tg.createDevice(t, "dev8")
	wantAPIError(t, tg.enable("collector", serial, seed, t), "LimitExceeded", 409, "Cannot exceed quota for MFADevicesPerUser: 8")
}

func TestVirtualMFADeviceErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "hanako")
	serial, _ := tg.createDevice(t, "dev")

	_, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("DEV")})
	wantAPIError(t, err, "EntityAlreadyExists", 409, mfaExists)
	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("p"), Path: aws.String("no-slashes")})
	wantAPIError(t, err, "ValidationError", 400, mfaPathError)
	out := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("pathed"), Path: aws.String("/test//double/")}))
	if got, want := aws.ToString(out.VirtualMFADevice.SerialNumber), "arn:aws:iam::"+account+":mfa/test//double/pathed"; got != want {
		t.Errorf("SerialNumber=%q, want %q", got, want)
	}

	unknown := mfaSerial("nope")
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(unknown)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(unknown))
	_, err = c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("hanako"), SerialNumber: aws.String(unknown)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(unknown))
	// A device that exists but is not enabled for the user.
	_, err = c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("hanako"), SerialNumber: aws.String(serial)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(serial))
	_, err = c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("hanako"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(serial))
	_, err = c.GetMFADevice(ctx, &iam.GetMFADeviceInput{SerialNumber: aws.String(serial)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(serial)) // root's own devices, which it has none of
	_, err = c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUserTaro)

	// Invalid markers, and paging.
	_, err = c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{Marker: aws.String("not a marker")})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	page := must[*iam.ListVirtualMFADevicesOutput](t)(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{MaxItems: aws.Int32(1)}))
	if !page.IsTruncated || page.Marker == nil || len(page.VirtualMFADevices) != 1 {
		t.Fatalf("first page %+v, want one device and a marker", page)
	}
	rest := must[*iam.ListVirtualMFADevicesOutput](t)(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{Marker: page.Marker}))
	if rest.IsTruncated || rest.Marker != nil || len(rest.VirtualMFADevices) != 1 {
		t.Fatalf("second page %+v, want the other device and no marker", rest)
	}
}

func TestMFADeviceTags(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	serial, _ := tg.createDevice(t, "tagged")
	must[*iam.TagMFADeviceOutput](t)(c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String(serial),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	must[*iam.TagMFADeviceOutput](t)(c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String(serial),
		Tags: []types.Tag{{Key: aws.String("TEAM"), Value: aws.String("b")}}}))
	must[*iam.UntagMFADeviceOutput](t)(c.UntagMFADevice(ctx, &iam.UntagMFADeviceInput{SerialNumber: aws.String(serial), TagKeys: []string{"ENV", "missing"}}))
	tags := must[*iam.ListMFADeviceTagsOutput](t)(c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "TEAM" || aws.ToString(tags[0].Value) != "b" {
		t.Fatalf("tags %+v, want TEAM=b", tags)
	}
	unknown := mfaSerial("nope")
	_, err := c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(unknown)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchDevice(unknown))
	_, err = c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: aws.String(serial),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("K"), Value: aws.String("2")}}})
	wantAPIError(t, err, "InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

func TestAccountSummaryCountsMFADevices(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "taro")
	serial, seed := tg.createDevice(t, "a")
	tg.createDevice(t, "b")
	if err := tg.enable("taro", serial, seed, t); err != nil {
		t.Fatal(err)
	}
	m := must[*iam.GetAccountSummaryOutput](t)(tg.iam().GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if m["MFADevices"] != 2 || m["MFADevicesInUse"] != 1 {
		t.Errorf("MFADevices=%d MFADevicesInUse=%d, want 2 and 1", m["MFADevices"], m["MFADevicesInUse"])
	}
}
