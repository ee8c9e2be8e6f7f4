package emulatortest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

const (
	listUsersPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
	assumePolicy    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`
	trustAccount    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	trustWithMFA    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
)

// callerARN is the ARN GetCallerIdentity answers for cfg.
func callerARN(t testing.TB, cfg aws.Config) string {
	t.Helper()
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	return *out.Arn
}

// listUsersCode is the error code of ListUsers through cfg, "" on success.
func listUsersCode(t testing.TB, cfg aws.Config) string {
	t.Helper()
	_, err := iam.NewFromConfig(cfg).ListUsers(context.Background(), &iam.ListUsersInput{})
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	return ""
}

// mustConfig is a function that passes on the config a helper returns,
// and fails t on its error: mustConfig(t)(srv.NewUser("taro")).
func mustConfig(t testing.TB) func(aws.Config, error) aws.Config {
	return func(cfg aws.Config, err error) aws.Config {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
}

func TestNewUser(t *testing.T) {
	srv := emulatortest.Start(t)
	for _, tc := range []struct {
		name     string
		policies []string
		wantCode string
	}{
		{"inline", []string{listUsersPolicy}, ""},
		{"managed", []string{"arn:aws:iam::aws:policy/IAMReadOnlyAccess"}, ""},
		{"both", []string{assumePolicy, "arn:aws:iam::aws:policy/IAMReadOnlyAccess"}, ""},
		{"none", nil, "AccessDenied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := mustConfig(t)(srv.NewUser(tc.name, tc.policies...))
			if got, want := callerARN(t, cfg), "arn:aws:iam::123456789012:user/"+tc.name; got != want {
				t.Fatalf("caller=%s, want %s", got, want)
			}
			if got, want := listUsersCode(t, cfg), tc.wantCode; got != want {
				t.Fatalf("ListUsers error=%q, want %q", got, want)
			}
		})
	}
	if _, err := srv.NewUser("bad", "{not json"); err == nil || !strings.Contains(err.Error(), "MalformedPolicyDocument") {
		t.Fatalf("NewUser with a bad document: err=%v, want MalformedPolicyDocument", err)
	}
	if _, err := srv.NewUser("inline"); err == nil || !strings.Contains(err.Error(), "EntityAlreadyExists") {
		t.Fatalf("NewUser of a user that exists: err=%v, want EntityAlreadyExists", err)
	}
}

func TestUserConfig(t *testing.T) {
	srv := emulatortest.Start(t)
	createUser(t, iam.NewFromConfig(srv.Config), "taro")
	cfg := mustConfig(t)(srv.UserConfig("taro"))
	if got, want := callerARN(t, cfg), "arn:aws:iam::123456789012:user/taro"; got != want {
		t.Fatalf("caller=%s, want %s", got, want)
	}
	if _, err := srv.UserConfig("nobody"); err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
		t.Fatalf("UserConfig of a user that does not exist: err=%v, want NoSuchEntity", err)
	}
}

func TestAssumeRole(t *testing.T) {
	srv := emulatortest.Start(t)
	role, err := srv.NewRole("reader", trustAccount, listUsersPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := role, "arn:aws:iam::123456789012:role/reader"; got != want {
		t.Fatalf("NewRole=%s, want %s", got, want)
	}
	taro := mustConfig(t)(srv.NewUser("taro", assumePolicy))
	cfg := mustConfig(t)(srv.AssumeRole(taro, role))
	if got, want := callerARN(t, cfg), "arn:aws:sts::123456789012:assumed-role/reader/emulatortest"; got != want {
		t.Fatalf("caller=%s, want %s", got, want)
	}
	if got, want := listUsersCode(t, cfg), ""; got != want {
		t.Fatalf("ListUsers as the role: error=%q, want success", got)
	}
	hanako := mustConfig(t)(srv.NewUser("hanako"))
	if _, err := srv.AssumeRole(hanako, role); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("AssumeRole by a user without sts:AssumeRole: err=%v, want AccessDenied", err)
	}
}

func TestAssumeRoleWithMFA(t *testing.T) {
	srv := emulatortest.Start(t)
	role, err := srv.NewRole("admin", trustWithMFA, "arn:aws:iam::aws:policy/AdministratorAccess")
	if err != nil {
		t.Fatal(err)
	}
	taro := mustConfig(t)(srv.NewUser("taro", assumePolicy))
	serial, err := srv.EnableMFA("taro")
	if err != nil {
		t.Fatalf("EnableMFA: %v", err)
	}
	if got, want := serial, "arn:aws:iam::123456789012:mfa/taro"; got != want {
		t.Fatalf("serial=%s, want %s", got, want)
	}
	if _, err := srv.AssumeRole(taro, role); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("AssumeRole without MFA of a role that needs it: err=%v, want AccessDenied", err)
	}
	// Enabling took the current and the next code, and each call takes
	// one: every call needs the clock moved on.
	for i := range 3 {
		cfg, err := srv.AssumeRoleWithMFA(taro, role, serial)
		if err != nil {
			t.Fatalf("AssumeRoleWithMFA #%d: %v", i+1, err)
		}
		if got, want := callerARN(t, cfg), "arn:aws:sts::123456789012:assumed-role/admin/emulatortest"; got != want {
			t.Fatalf("caller=%s, want %s", got, want)
		}
	}
	if _, err := srv.AssumeRoleWithMFA(taro, role, "arn:aws:iam::123456789012:mfa/nobody"); err == nil || !strings.Contains(err.Error(), "NoSuchEntity") {
		t.Fatalf("AssumeRoleWithMFA with a device that does not exist: err=%v, want NoSuchEntity", err)
	}
}
