package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

func expectedCodes(t *testing.T, seed string, at time.Time) (string, string) {
	opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	cur, err := totp.GenerateCodeCustom(seed, at, opts)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := totp.GenerateCodeCustom(seed, at.Add(30*time.Second), opts)
	return cur, next
}

// totpOut runs `iamlocal totp args` with the environment env and returns
// what it printed.
func totpOut(env map[string]string, args ...string) (string, error) {
	var out bytes.Buffer
	err := runTOTP(args, envOf(env), &out, &bytes.Buffer{})
	return out.String(), err
}

// printedCodes runs `iamlocal totp args` and checks the two codes it
// printed are the seed's, offset ahead of real time, retrying once if a
// 30-second step turned meanwhile.
func printedCodes(t *testing.T, seed string, offset time.Duration, env map[string]string, args ...string) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		before := time.Now().Add(offset)
		out, err := totpOut(env, args...)
		if err != nil {
			t.Fatalf("totp %v: %v", args, err)
		}
		cur, next := expectedCodes(t, seed, before)
		if strings.HasPrefix(out, "current "+cur+" (for ") && strings.Contains(out, "\nnext    "+next+"\n") {
			return
		}
		if attempt == 1 || before.Unix()/30 == time.Now().Add(offset).Unix()/30 {
			t.Fatalf("totp %v printed %q, want current %s and next %s", args, out, cur, next)
		}
	}
}

func TestTOTPCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "state.db")
	endpoint, _, stop := serve(t, "--addr", "127.0.0.1:0", "--data", data)
	c, _ := clients(endpoint, "test", "test")
	out, err := c.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("cli")})
	if err != nil {
		t.Fatal(err)
	}
	serial, seed := *out.VirtualMFADevice.SerialNumber, string(out.VirtualMFADevice.Base32StringSeed)

	printedCodes(t, seed, 0, nil, "--seed", seed, "--endpoint", endpoint)
	printedCodes(t, seed, 0, nil, "--serial", serial, "--endpoint", endpoint)

	// The server's clock moved: its codes follow it.
	if _, err := postForm(endpoint+"/_iamlocal/clock", "advance=2m"); err != nil {
		t.Fatal(err)
	}
	printedCodes(t, seed, 2*time.Minute, nil, "--serial", serial, "--endpoint", endpoint)

	// No server: the state file answers, on the clock it recorded.
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	printedCodes(t, seed, 2*time.Minute, nil, "--serial", serial, "--endpoint", "http://"+closedAddr(t), "--data", data)
	printedCodes(t, seed, 2*time.Minute, nil, "--serial", "cli", "--endpoint", "http://"+closedAddr(t), "--data", data)

	if _, err := totpOut(nil); err == nil {
		t.Error("no --serial or --seed accepted")
	}
	if _, err := totpOut(nil, "--seed", "not base32!", "--endpoint", "http://"+closedAddr(t)); err == nil {
		t.Error("a seed that is not base32 accepted")
	}
}

func TestTOTPHelp(t *testing.T) {
	out, err := totpOut(nil, "--help")
	if err != nil {
		t.Fatalf("totp --help: %v", err)
	}
	for _, want := range []string{"-serial", "-seed", "-endpoint", "-data", "-account", "AWS_ENDPOINT_URL", "IAMLOCAL_DATA"} {
		if !strings.Contains(out, want) {
			t.Errorf("totp --help does not mention %s:\n%s", want, out)
		}
	}
}

// TestTOTPSeedFollowsServerClock: codes for a seed are those the server
// will check, on its advanced clock.
func TestTOTPSeedFollowsServerClock(t *testing.T) {
	srv := emulatortest.Start(t)
	if _, err := postForm(srv.URL+"/_iamlocal/clock", "advance=2h"); err != nil {
		t.Fatal(err)
	}
	seed := "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	printedCodes(t, seed, 2*time.Hour, nil, "--seed", seed, "--endpoint", srv.URL)
	printedCodes(t, seed, 0, nil, "--seed", seed, "--endpoint", "http://"+closedAddr(t))
}

// newDevice makes the virtual MFA device name on srv and returns its
// serial number and seed.
func newDevice(t *testing.T, srv *emulatortest.Server, name string) (string, string) {
	t.Helper()
	out, err := iam.NewFromConfig(srv.Config).CreateVirtualMFADevice(context.Background(),
		&iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.VirtualMFADevice.SerialNumber, string(out.VirtualMFADevice.Base32StringSeed)
}

// TestTOTPFollowsAWSEndpointURL: with no --endpoint, AWS_ENDPOINT_URL
// (which the AWS CLI follows too) beats IAMLOCAL_ADDR; --endpoint beats
// both. The device is named as a person types it.
func TestTOTPFollowsAWSEndpointURL(t *testing.T) {
	srv := emulatortest.Start(t)
	_, seed := newDevice(t, srv, "taro-mfa")
	closed := closedAddr(t)
	printedCodes(t, seed, 0, map[string]string{"AWS_ENDPOINT_URL": srv.URL + "/", "IAMLOCAL_ADDR": closed}, "--serial", "taro-mfa")
	_, err := totpOut(map[string]string{"AWS_ENDPOINT_URL": srv.URL}, "--serial", "taro-mfa", "--endpoint", "http://"+closed, "--data", filepath.Join(t.TempDir(), "none.db"))
	if err == nil || !strings.Contains(err.Error(), closed) {
		t.Fatalf("--endpoint with AWS_ENDPOINT_URL set: err=%v, want the --endpoint %s named", err, closed)
	}
}

// TestTOTPNotFoundSaysWhere: a device that is not there is reported with
// the endpoint or the state file asked, and the account.
func TestTOTPNotFoundSaysWhere(t *testing.T) {
	dir := t.TempDir()
	srv, err := emulatortest.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = totpOut(nil, "--serial", "hanako-mfa", "--endpoint", srv.URL)
	for _, want := range []string{srv.URL, "account 123456789012", "arn:aws:iam::123456789012:mfa/hanako-mfa does not exist"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("unknown device at a server: err=%v, want it to say %q", err, want)
		}
	}
	srv.Close()

	closed, data := "http://"+closedAddr(t), filepath.Join(dir, "state.db")
	_, err = totpOut(nil, "--serial", "hanako-mfa", "--endpoint", closed, "--data", data, "--account", "123456789012")
	for _, want := range []string{"no server answers at " + closed, data, "account 123456789012", "does not exist"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("unknown device in a state file: err=%v, want it to say %q", err, want)
		}
	}
	missing := filepath.Join(dir, "none.db")
	_, err = totpOut(nil, "--serial", "hanako-mfa", "--endpoint", closed, "--data", missing)
	if want := "no server answers at " + closed + ", and there is no state file at " + missing; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("no server and no file: err=%v, want %q", err, want)
	}
}

// TestTOTPMarksUsedCodes: after EnableMFADevice took the current and the
// next code, totp says they are used and when a fresh one comes.
func TestTOTPMarksUsedCodes(t *testing.T) {
	srv := emulatortest.Start(t)
	serial, seed := newDevice(t, srv, "taro-mfa")
	c := iam.NewFromConfig(srv.Config)
	if _, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		t.Fatal(err)
	}
	cur, next := expectedCodes(t, seed, time.Now())
	_, err := c.EnableMFADevice(context.Background(), &iam.EnableMFADeviceInput{UserName: aws.String("taro"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(cur), AuthenticationCode2: aws.String(next)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := totpOut(nil, "--serial", "taro-mfa", "--endpoint", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, " (used; the next fresh code comes in ") {
		t.Fatalf("totp after enable printed %q, want the current code marked used", out)
	}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestTOTPSaysWhyRefused: when the server's guard refuses the request (here
// for a missing admin token), totp prints the guard's message, which says
// what to do, and with the token it is served.
func TestTOTPSaysWhyRefused(t *testing.T) {
	endpoint, _, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--admin-token", "tok-123")
	_, err := totpOut(nil, "--serial", "taro-mfa", "--endpoint", endpoint)
	if err == nil || !strings.Contains(err.Error(), "the server at "+endpoint+" refused: ") || !strings.Contains(err.Error(), "admin token") {
		t.Fatalf("totp without the admin token: err=%v, want the guard's message about the token", err)
	}
	_, err = totpOut(map[string]string{"IAMLOCAL_ADMIN_TOKEN": "tok-123"}, "--serial", "taro-mfa", "--endpoint", endpoint)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("totp with the admin token: err=%v, want the device's NoSuchEntity", err)
	}
}
