package conformance

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
	"github.com/iamlocal/iamlocal/emulator/initstate"
)

// TestInitExample: the README's init file, through the SDK: the admin
// signs with FOOBARKEY, assumes the role only with a code of the file's
// MFA seed, and a reset returns to the file's state.
func TestInitExample(t *testing.T) {
	if os.Getenv("IAMLOCAL_ENDPOINT") != "" {
		t.Skip("an init state is given at start; an external server has its own")
	}
	f, err := os.ReadFile("../docs/init.example.json")
	if err != nil {
		t.Fatal(err)
	}
	state, err := initstate.Decode(strings.NewReader(string(f)))
	if err != nil {
		t.Fatal(err)
	}
	srv := emulatortest.Start(t, emulatortest.WithInit(state))
	ctx := context.Background()
	admin := emulatortest.Config(srv.URL, "FOOBARKEY", "FOOBARSECRET", "")
	role := aws.String("arn:aws:iam::123456789012:role/deployer")
	serial := aws.String("arn:aws:iam::123456789012:mfa/admin-mfa")

	_, err = sts.NewFromConfig(admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("ci")})
	wantAPIError(t, err, "AccessDenied", 403, "User: arn:aws:iam::123456789012:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deployer")

	codes, err := srv.Codes(*serial)
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(admin).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: aws.String("ci"), SerialNumber: serial, TokenCode: aws.String(codes.Current)})
	if err != nil {
		t.Fatalf("AssumeRole with a code of the file's seed: %v", err)
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::123456789012:assumed-role/deployer/ci"; got != want {
		t.Fatalf("assumed=%s, want %s", got, want)
	}

	client := iam.NewFromConfig(admin)
	if _, err := client.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("deployer")}); err == nil {
		t.Fatal("DeleteRole of a role with an attached policy succeeded")
	}
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("later")}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	users, err := client.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("FOOBARKEY after reset: %v", err)
	}
	if got, want := len(users.Users), 1; got != want {
		t.Fatalf("users after reset=%d, want %d", got, want)
	}
}
