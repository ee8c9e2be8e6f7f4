package emulatortest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

// In a test, emulatortest.Start(t) is the same server, stopped when the
// test ends; Open serves TestMain and examples.
func ExampleOpen() {
	srv, err := emulatortest.Open("") // a temporary state file
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	client := iam.NewFromConfig(srv.Config) // root
	out, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")})
	if err != nil {
		panic(err)
	}
	fmt.Println(*out.User.Arn)
	// Output: arn:aws:iam::123456789012:user/taro
}

// A user with a policy, and a client that signs as that user.
func ExampleServer_NewUser() {
	srv, err := emulatortest.Open("")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	taro, err := srv.NewUser("taro", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	me, _ := sts.NewFromConfig(taro).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	fmt.Println(*me.Arn)
	users, err := iam.NewFromConfig(taro).ListUsers(ctx, &iam.ListUsersInput{})
	fmt.Println(len(users.Users), err)
	// Output:
	// arn:aws:iam::123456789012:user/taro
	// 1 <nil>
}

// AccessDenied for one user and success for another: policies are
// enforced, as on AWS.
func Example_accessDenied() {
	srv, err := emulatortest.Open("")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	reader, _ := srv.NewUser("reader", `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}`)
	nobody, _ := srv.NewUser("nobody")
	for _, cfg := range []aws.Config{reader, nobody} {
		_, err := iam.NewFromConfig(cfg).ListUsers(context.Background(), &iam.ListUsersInput{})
		var api smithy.APIError
		if errors.As(err, &api) {
			fmt.Printf("%s: %s\n", api.ErrorCode(), api.ErrorMessage())
		} else {
			fmt.Println("allowed")
		}
	}
	// Output:
	// allowed
	// AccessDenied: User: arn:aws:iam::123456789012:user/nobody is not authorized to perform: iam:ListUsers on resource: user path / because no identity-based policy allows the iam:ListUsers action
}

// A role whose trust policy requires MFA, assumed in one call: the
// helper reads the code from the user's virtual device.
func ExampleServer_AssumeRoleWithMFA() {
	srv, err := emulatortest.Open("")
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	admin, err := srv.NewRole("admin", `{"Version": "2012-10-17", "Statement": [{
		"Effect": "Allow", "Action": "sts:AssumeRole",
		"Principal": {"AWS": "arn:aws:iam::123456789012:root"},
		"Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}`,
		"arn:aws:iam::aws:policy/AdministratorAccess")
	if err != nil {
		panic(err)
	}
	taro, _ := srv.NewUser("taro", `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}`)
	serial, _ := srv.EnableMFA("taro")

	_, err = srv.AssumeRole(taro, admin)
	var api smithy.APIError
	if errors.As(err, &api) {
		fmt.Println("without MFA:", api.ErrorCode())
	}
	session, err := srv.AssumeRoleWithMFA(taro, admin, serial)
	if err != nil {
		panic(err)
	}
	me, _ := sts.NewFromConfig(session).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	fmt.Println("with MFA:", *me.Arn)
	// Output:
	// without MFA: AccessDenied
	// with MFA: arn:aws:sts::123456789012:assumed-role/admin/emulatortest
}

// Enabling a virtual MFA device by hand: Codes is the phone.
func ExampleServer_Codes() {
	srv, err := emulatortest.Open("")
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
	srv, err := emulatortest.Open("")
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

// Dates that are the same on every run.
func ExampleWithStartTime() {
	start := time.Date(2030, 4, 1, 9, 0, 0, 0, time.UTC)
	srv, err := emulatortest.Open("", emulatortest.WithStartTime(start))
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	out, _ := iam.NewFromConfig(srv.Config).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")})
	fmt.Println(out.User.CreateDate.Truncate(time.Minute))
	// Output: 2030-04-01 09:00:00 +0000 UTC
}
