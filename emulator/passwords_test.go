package emulator

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
)

func TestCheckPassword(t *testing.T) {
	strict := &store.PasswordPolicy{MinimumLength: 10, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true}
	for _, c := range []struct {
		policy   *store.PasswordPolicy
		password string
		ok       bool
	}{
		{nil, "Abcdefg1", true},       // default: 8 characters, three types
		{nil, "abcdefg!1", true},      // lower, symbol, number
		{nil, "Abcdef1", false},       // 7 characters
		{nil, "abcdefgh1", false},     // two types
		{nil, "ÄÖÜäöüß12", false},     // letters outside ISO basic Latin count as no type
		{nil, "Abc def 1", true},      // a space is allowed, though no symbol
		{strict, "Aa1!aaaaaa", true},  // exactly 10
		{strict, "Aa1!aaaaa", false},  // 9
		{strict, "aa1!aaaaaa", false}, // no uppercase
		{strict, "AA1!AAAAAA", false}, // no lowercase
		{strict, "Aa!!aaaaaa", false}, // no number
		{strict, "Aa1 aaaaaa", false}, // a space is no symbol
		{strict, "Aa1'aaaaaa", true},  // an apostrophe is
		{&store.PasswordPolicy{MinimumLength: 6}, "abcdef", true},
	} {
		err := checkPassword(c.policy, &store.User{}, c.password)
		if (err == nil) != c.ok {
			t.Errorf("policy %+v, %q: err=%v, want ok=%v", c.policy, c.password, err, c.ok)
		}
	}
}

// TestPasswordsAreHashed: neither a password nor anything derived from it
// but its bcrypt hash reaches the state file, and the hash checks.
func TestPasswordsAreHashed(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	const password = "Very-Secret-Passw0rd"
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	if _, err := e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String(password)}); err != nil {
		t.Fatal(err)
	}
	e.db.View(func(tx *store.Tx) error {
		u, _ := tx.User(DefaultAccount, "taro")
		if !bytes.HasPrefix(u.Login.Hash, []byte("$2a$")) || !passwordMatches(u.Login.Hash, password) || passwordMatches(u.Login.Hash, "other") {
			t.Errorf("stored hash %q does not check as bcrypt of the password", u.Login.Hash)
		}
		return nil
	})
	raw, err := os.ReadFile(e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(password)) || bytes.Contains(raw, prehash(password)) {
		t.Fatal("the state file holds the password or its unsalted digest")
	}
}

// TestHardExpiry: past MaxPasswordAge a user may still change an expired
// password, unless HardExpiry is set; then only an administrator can.
func TestHardExpiry(t *testing.T) {
	for _, hard := range []bool{false, true} {
		e := newTest(t)
		ctx := e.rootCtx()
		e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
		e.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(30), HardExpiry: aws.Bool(hard), AllowUsersToChangePassword: true})
		if _, err := e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Old-Passw0rd")}); err != nil {
			t.Fatal(err)
		}
		e.Clock().Advance(31 * 24 * time.Hour)
		_, err := e.ChangePassword(e.userCtx(t, "taro"), &iam.ChangePasswordInput{OldPassword: aws.String("Old-Passw0rd"), NewPassword: aws.String("New-Passw0rd")})
		if hard {
			wantErr(t, err, "AccessDenied", "The password has expired and can only be reset by an administrator.")
			if _, err := e.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("New-Passw0rd")}); err != nil {
				t.Fatalf("admin reset after hard expiry: %v", err)
			}
		} else if err != nil {
			t.Fatalf("soft expiry: ChangePassword: %v", err)
		}
	}
}

func TestLoginProfileFollowsRename(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Good-Passw0rd")})
	if _, err := e.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("jiro")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("jiro")})
	if err != nil || *out.LoginProfile.UserName != "jiro" {
		t.Fatalf("GetLoginProfile jiro: %+v, %v", out, err)
	}
}
