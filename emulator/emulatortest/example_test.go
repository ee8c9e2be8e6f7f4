package emulatortest_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "iamlocal-example-")
	defer os.RemoveAll(dir)
	srv, err := emulatortest.Open(dir)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client := iam.NewFromConfig(srv.Config)
	out, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.User.Arn)
	// Output: arn:aws:iam::123456789012:user/taro
}

// Enabling a virtual MFA device in a test: Codes is the phone.
func ExampleServer_Codes() {
	dir, _ := os.MkdirTemp("", "iamlocal-example-")
	defer os.RemoveAll(dir)
	srv, err := emulatortest.Open(dir)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	ctx, client := context.Background(), iam.NewFromConfig(srv.Config)
	client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	dev, err := client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("taro-mfa")})
	if err != nil {
		panic(err)
	}
	codes, _ := srv.Codes("taro-mfa")
	_, err = client.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName:            aws.String("taro"),
		SerialNumber:        dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(codes.Current),
		AuthenticationCode2: aws.String(codes.Next),
	})
	fmt.Println(err)
	codes, _ = srv.Codes("taro-mfa")
	fmt.Println("used:", codes.CurrentUsed)
	// Output:
	// <nil>
	// used: true
}

// Testing expiry without waiting: the clock moves two days on.
func ExampleServer_AdvanceClock() {
	dir, _ := os.MkdirTemp("", "iamlocal-example-")
	defer os.RemoveAll(dir)
	srv, err := emulatortest.Open(dir)
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	ctx, client := context.Background(), iam.NewFromConfig(srv.Config)
	taro, _ := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	if err := srv.AdvanceClock(48 * time.Hour); err != nil {
		panic(err)
	}
	hanako, _ := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("hanako")})
	fmt.Println(hanako.User.CreateDate.Sub(*taro.User.CreateDate).Truncate(time.Hour))
	// Output: 48h0m0s
}
