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

// printedCodes runs `iamlocal totp args` and returns the two codes it
// printed, retrying once if a 30-second step turned meanwhile.
func printedCodes(t *testing.T, seed string, offset time.Duration, args ...string) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		before := time.Now().Add(offset)
		var out bytes.Buffer
		if err := runTOTP(args, func(string) string { return "" }, &out, &bytes.Buffer{}); err != nil {
			t.Fatalf("totp %v: %v", args, err)
		}
		cur, next := expectedCodes(t, seed, before)
		want := "current " + cur + " (for "
		if strings.HasPrefix(out.String(), want) && strings.Contains(out.String(), "\nnext    "+next+"\n") {
			return
		}
		if attempt == 1 || before.Unix()/30 == time.Now().Add(offset).Unix()/30 {
			t.Fatalf("totp %v printed %q, want current %s and next %s", args, out.String(), cur, next)
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

	printedCodes(t, seed, 0, "--seed", seed)
	printedCodes(t, seed, 0, "--serial", serial, "--endpoint", endpoint)

	// The server's clock moved: its codes follow it.
	if _, err := postForm(endpoint+"/_iamlocal/clock", "advance=2m"); err != nil {
		t.Fatal(err)
	}
	printedCodes(t, seed, 2*time.Minute, "--serial", serial, "--endpoint", endpoint)

	// No server: the state file answers, on real time.
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	printedCodes(t, seed, 0, "--serial", serial, "--endpoint", "http://"+closedAddr(t), "--data", data)

	var stderr bytes.Buffer
	if err := runTOTP([]string{"--serial", "arn:aws:iam::123456789012:mfa/none", "--endpoint", "http://" + closedAddr(t), "--data", data},
		func(string) string { return "" }, &bytes.Buffer{}, &stderr); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("unknown serial: err=%v", err)
	}
	if err := runTOTP(nil, func(string) string { return "" }, &bytes.Buffer{}, &stderr); err == nil {
		t.Error("no --serial or --seed accepted")
	}
	if err := runTOTP([]string{"--seed", "not base32!"}, func(string) string { return "" }, &bytes.Buffer{}, &stderr); err == nil {
		t.Error("a seed that is not base32 accepted")
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
