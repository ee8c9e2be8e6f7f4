package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

const signInFailed = "Your authentication information is incorrect. Please try again."

func TestSignIn(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
	must(s.e.CreateUser(root(), &iam.CreateUserInput{UserName: aws.String("jiro")}))(t) // no login profile
	must(s.e.CreateAccountAlias(root(), &iam.CreateAccountAliasInput{AccountAlias: aws.String("jaws-ug")}))(t)

	t.Run("success", func(t *testing.T) {
		b := s.browser(t)
		b.signIn("taro", "Passw0rd!x")
		if got, want := b.status, http.StatusOK; got != want {
			t.Fatalf("status=%d, want %d:\n%s", got, want, b.text())
		}
		b.wantText("arn:aws:iam::123456789012:user/taro")
		b.wantText("Signed in without MFA")
	})
	t.Run("alias", func(t *testing.T) {
		b := s.browser(t)
		b.get("/console/jaws-ug")
		if !strings.Contains(b.body, `name="account" value="jaws-ug"`) {
			t.Fatalf("the sign-in URL form did not fill in the account:\n%s", b.body)
		}
		b.post("/console/signin", url.Values{"account": {"jaws-ug"}, "username": {"taro"}, "password": {"Passw0rd!x"}})
		b.wantText("arn:aws:iam::123456789012:user/taro")
	})
	for name, form := range map[string]url.Values{
		"wrong password":   {"account": {account}, "username": {"taro"}, "password": {"wrong"}},
		"unknown user":     {"account": {account}, "username": {"nobody"}, "password": {"Passw0rd!x"}},
		"no login profile": {"account": {account}, "username": {"jiro"}, "password": {"Passw0rd!x"}},
		"unknown account":  {"account": {"999999999999"}, "username": {"taro"}, "password": {"Passw0rd!x"}},
		"unknown alias":    {"account": {"nope"}, "username": {"taro"}, "password": {"Passw0rd!x"}},
	} {
		t.Run(name, func(t *testing.T) {
			b := s.browser(t)
			b.get("/console/signin")
			b.post("/console/signin", form)
			if got, want := b.status, http.StatusUnauthorized; got != want {
				t.Fatalf("status=%d, want %d", got, want)
			}
			b.wantText(signInFailed)
			b.get("/console/home")
			b.wantText("Sign in as IAM user") // still signed out
		})
	}
}

func TestSignInRecordsPasswordLastUsed(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
	before := must(s.e.GetUser(root(), &iam.GetUserInput{UserName: aws.String("taro")}))(t)
	if before.User.PasswordLastUsed != nil {
		t.Fatalf("PasswordLastUsed=%v before any sign-in, want none", before.User.PasswordLastUsed)
	}
	s.browser(t).signIn("taro", "wrong")
	if u := must(s.e.GetUser(root(), &iam.GetUserInput{UserName: aws.String("taro")}))(t); u.User.PasswordLastUsed != nil {
		t.Fatalf("PasswordLastUsed=%v after a wrong password, want none", u.User.PasswordLastUsed)
	}
	now := s.e.Clock().Now().Truncate(time.Second)
	s.browser(t).signIn("taro", "Passw0rd!x")
	u := must(s.e.GetUser(root(), &iam.GetUserInput{UserName: aws.String("taro")}))(t)
	if u.User.PasswordLastUsed == nil || u.User.PasswordLastUsed.Before(now) {
		t.Fatalf("PasswordLastUsed=%v, want at or after %v", u.User.PasswordLastUsed, now)
	}
}

func TestSignInExpiredPassword(t *testing.T) {
	for _, hard := range []bool{false, true} {
		t.Run(map[bool]string{false: "soft", true: "HardExpiry"}[hard], func(t *testing.T) {
			s := start(t)
			s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
			must(s.e.UpdateAccountPasswordPolicy(root(), &iam.UpdateAccountPasswordPolicyInput{
				MaxPasswordAge: aws.Int32(30), HardExpiry: aws.Bool(hard), AllowUsersToChangePassword: true}))(t)
			if err := s.e.AdvanceClock(31 * 24 * time.Hour); err != nil {
				t.Fatal(err)
			}
			b := s.browser(t)
			b.signIn("taro", "Passw0rd!x")
			if hard {
				if got, want := b.status, http.StatusUnauthorized; got != want {
					t.Fatalf("status=%d, want %d", got, want)
				}
				b.wantText("Your password has expired. An administrator must reset it")
				if u := must(s.e.GetUser(root(), &iam.GetUserInput{UserName: aws.String("taro")}))(t); u.User.PasswordLastUsed != nil {
					t.Fatalf("PasswordLastUsed=%v after a refused sign-in, want none", u.User.PasswordLastUsed)
				}
				return
			}
			b.wantText("Your password has expired. Set a new password to continue.")
			b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"N3wPassw0rd!"}, "confirm": {"N3wPassw0rd!"}})
			b.wantText("Your password has been changed.")
			b.wantText("arn:aws:iam::123456789012:user/taro")
		})
	}
}

func TestForcedPasswordChange(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", true, nil)
	must(s.e.UpdateAccountPasswordPolicy(root(), &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(12), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		PasswordReusePrevention: aws.Int32(3), AllowUsersToChangePassword: true}))(t)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.wantText("Your administrator requires you to set a new password")

	b.get("/console/home") // not signed in until the password is changed
	b.wantText("Change your password")

	b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"short"}, "confirm": {"short"}})
	if got, want := b.status, http.StatusBadRequest; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	for _, want := range []string{"At least 12 characters", "At least one uppercase letter", "At least one number", "At least one symbol"} {
		b.wantText(want)
	}
	if strings.Contains(b.text(), "%!") { // a rule without a number formatted with one
		t.Fatalf("the rules are misformatted:\n%s", b.text())
	}
	if strings.Contains(b.text(), "At least one lowercase") {
		t.Fatalf("the page lists a rule the password meets:\n%s", b.text())
	}

	b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"Passw0rd!x"}, "confirm": {"Passw0rd!x"}})
	b.wantText("Not one of your last 3 passwords")

	b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"L0nger-Passw0rd"}, "confirm": {"L0nger-Passw0rd!"}})
	b.wantText("The new password and its confirmation do not match.")

	b.post("/console/password", url.Values{"old": {"wrong"}, "new": {"L0nger-Passw0rd"}, "confirm": {"L0nger-Passw0rd"}})
	b.wantText("The old password is incorrect.")

	b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"L0nger-Passw0rd"}, "confirm": {"L0nger-Passw0rd"}})
	b.wantText("Your password has been changed.")
	lp := must(s.e.GetLoginProfile(root(), &iam.GetLoginProfileInput{UserName: aws.String("taro")}))(t)
	if lp.LoginProfile.PasswordResetRequired {
		t.Fatal("PasswordResetRequired still set after the change")
	}
	s.browser(t).signIn("taro", "L0nger-Passw0rd") // the new password works
}

func TestForcedChangeWithoutPermission(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", true, nil) // no policy, and the account lets no user change
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.post("/console/password", url.Values{"old": {"Passw0rd!x"}, "new": {"N3wPassw0rd!"}, "confirm": {"N3wPassw0rd!"}})
	b.wantText("AccessDenied User: arn:aws:iam::123456789012:user/taro is not authorized to perform: iam:ChangePassword")
}

func TestMFASignIn(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"requireMFA": denyUnlessMFA})
	_, seed := s.mfaDevice(t, "taro")

	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.wantText("Enter a code from the MFA device")
	b.get("/console/security-credentials") // not yet signed in
	b.wantText("Multi-factor authentication")

	b.post("/console/mfa", url.Values{"code": {"000000"}})
	if got, want := b.status, http.StatusUnauthorized; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	b.wantText("The MFA code is not valid.")

	c := code(t, seed, s.e.Clock().Now())
	b.post("/console/mfa", url.Values{"code": {c}})
	b.wantText("Signed in with MFA")

	// The deny-unless-MFA policy lets the MFA session list its keys.
	b.get("/console/security-credentials")
	if got, want := b.status, http.StatusOK; got != want {
		t.Fatalf("status=%d, want %d:\n%s", got, want, b.text())
	}
	b.wantText("No access keys.")

	t.Run("code reused", func(t *testing.T) {
		b := s.browser(t)
		b.signIn("taro", "Passw0rd!x")
		b.post("/console/mfa", url.Values{"code": {c}})
		b.wantText("The MFA code is not valid.")
	})
}

// denyUnlessMFA is AWS's sample policy: allow everything, deny all but
// managing one's own MFA device unless signed in with MFA.
const denyUnlessMFA = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"*","Resource":"*"},
 {"Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ChangePassword","iam:GetUser"],
  "Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

func TestWithoutMFAThePolicyDenies(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"requireMFA": denyUnlessMFA})
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.get("/console/security-credentials")
	b.wantText("AccessDenied User: arn:aws:iam::123456789012:user/taro is not authorized to perform: iam:ListAccessKeys on resource: user taro with an explicit deny in an identity-based policy")
	b.post("/console/security-credentials/keys/create", url.Values{})
	if got, want := b.status, http.StatusForbidden; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	b.wantText("not authorized to perform: iam:CreateAccessKey")
}

func TestSignOut(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.post("/console/signout", url.Values{})
	if !strings.Contains(b.body, `name="account" value="123456789012"`) {
		t.Fatalf("sign-out did not lead to the account's sign-in page:\n%s", b.text())
	}
	b.get("/console/home")
	b.wantText("Sign in as IAM user")
}

func TestSessionExpiresOnEmulatorClock(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	if err := s.e.AdvanceClock(11 * time.Hour); err != nil {
		t.Fatal(err)
	}
	b.get("/console/home")
	b.wantText("arn:aws:iam::123456789012:user/taro")
	if err := s.e.AdvanceClock(time.Hour); err != nil {
		t.Fatal(err)
	}
	b.get("/console/home")
	b.wantText("Sign in as IAM user")
}

func TestLanguages(t *testing.T) {
	s := start(t)
	b := s.browser(t)
	b.lang = "ja-JP,ja;q=0.9,en;q=0.8"
	b.get("/console/signin")
	b.wantText("IAM ユーザーとしてサインイン")
	if !strings.Contains(b.body, `<html lang="ja">`) {
		t.Fatal("the page does not say it is in Japanese")
	}
	b.get("/console/signin?lang=en")
	b.wantText("Sign in as IAM user")
	b.get("/console/123456789012") // the switch is remembered
	b.wantText("Sign in as IAM user")
	b.get("/console/signin?lang=ja")
	b.wantText("IAM ユーザーとしてサインイン")
	b.post("/console/signin", url.Values{"account": {account}, "username": {"nobody"}, "password": {"x"}})
	b.wantText("認証情報が正しくありません。もう一度お試しください。")
}

func TestMFAAgeInConsoleSession(t *testing.T) {
	s := start(t)
	const recentMFA = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*",
 "Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"recentMFA": recentMFA})
	_, seed := s.mfaDevice(t, "taro")
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.post("/console/mfa", url.Values{"code": {code(t, seed, s.e.Clock().Now())}})
	b.get("/console/security-credentials")
	b.wantText("No access keys.")
	if err := s.e.AdvanceClock(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	b.get("/console/security-credentials")
	b.wantText("AccessDenied User: arn:aws:iam::123456789012:user/taro is not authorized to perform: iam:ListAccessKeys")
}
