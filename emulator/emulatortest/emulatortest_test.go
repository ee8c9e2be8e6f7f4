package emulatortest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

func createUser(t testing.TB, c *iam.Client, name string) time.Time {
	t.Helper()
	out, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	return *out.User.CreateDate
}

func TestAdvanceClock(t *testing.T) {
	srv := emulatortest.Start(t)
	c := iam.NewFromConfig(srv.Config)
	before := createUser(t, c, "taro")
	if err := srv.AdvanceClock(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, want := createUser(t, c, "hanako").Sub(before), 48*time.Hour; got < want || got > want+time.Minute {
		t.Fatalf("CreateDate moved by %v, want %v", got, want)
	}
	if err := srv.AdvanceClock(2562047 * time.Hour); !errors.Is(err, emulator.ErrClockAdvance) {
		t.Fatalf("an advance that overflows: err=%v, want ErrClockAdvance", err)
	}
	if got, want := srv.Emulator.Clock().Offset(), 48*time.Hour; got != want {
		t.Fatalf("offset after a refused advance=%v, want %v", got, want)
	}
}

func TestReset(t *testing.T) {
	srv := emulatortest.Start(t)
	c := iam.NewFromConfig(srv.Config)
	createUser(t, c, "taro")
	if err := srv.AdvanceClock(time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reset(); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	out, err := c.ListUsers(context.Background(), &iam.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(out.Users), 0; got != want {
		t.Fatalf("%d users after Reset, want %d", got, want)
	}
	if got, want := srv.Emulator.Clock().Offset(), time.Duration(0); got != want {
		t.Fatalf("clock offset after Reset=%v, want %v", got, want)
	}
}

func TestCodes(t *testing.T) {
	srv := emulatortest.Start(t)
	c := iam.NewFromConfig(srv.Config)
	createUser(t, c, "taro")
	dev, err := c.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("taro-mfa")})
	if err != nil {
		t.Fatal(err)
	}
	serial := dev.VirtualMFADevice.SerialNumber
	codes, err := srv.Codes(*serial)
	if err != nil {
		t.Fatalf("Codes: %v", err)
	}
	_, err = c.EnableMFADevice(context.Background(), &iam.EnableMFADeviceInput{UserName: aws.String("taro"), SerialNumber: serial,
		AuthenticationCode1: aws.String(codes.Current), AuthenticationCode2: aws.String(codes.Next)})
	if err != nil {
		t.Fatalf("EnableMFADevice with the codes Codes gave: %v", err)
	}
	if codes, err = srv.Codes("taro-mfa"); err != nil || !codes.CurrentUsed {
		t.Fatalf("Codes by name after enabling: %+v, %v; want the current code used", codes, err)
	}
	if _, err := srv.Codes("nobody"); err == nil {
		t.Fatal("Codes of a device that does not exist: no error")
	}
}

// BenchmarkStart is what a test pays for a server of its own, against
// reusing one through Reset.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		s, err := emulatortest.Open("")
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkReset(b *testing.B) {
	srv := emulatortest.Start(b)
	for b.Loop() {
		if err := srv.Reset(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewUser(b *testing.B) {
	srv := emulatortest.Start(b)
	for i := 0; b.Loop(); i++ {
		if _, err := srv.NewUser(fmt.Sprintf("user%d", i), "arn:aws:iam::aws:policy/IAMReadOnlyAccess"); err != nil {
			b.Fatal(err)
		}
	}
}
