package conformance

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	policyViolation = "Password does not conform to the account password policy.*"
	noSuchUserTaro  = "The user with name taro cannot be found."
)

func noLoginProfile(user string) string {
	return "Login Profile for User " + user + " cannot be found."
}

// TestJourneyConsolePassword is the login-profile hands-on: root sets taro's
// console password with a reset required, resets it as an administrator,
// taro changes it with his own key, and root removes it.
func TestJourneyConsolePassword(t *testing.T) {
	tg := newTarget(t)
	root := tg.iam()
	taro := aws.String("taro")
	tg.createUser(t, "taro")
	before := time.Now().Add(-time.Second)

	// aws iam create-login-profile --user-name taro --password 'P@ssw0rd-1' --password-reset-required
	created := must[*iam.CreateLoginProfileOutput](t)(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: taro, Password: aws.String("P@ssw0rd-1"), PasswordResetRequired: true})).LoginProfile
	if aws.ToString(created.UserName) != "taro" || !created.PasswordResetRequired || created.CreateDate == nil || created.CreateDate.Before(before) {
		t.Fatalf("created %+v, want taro, reset required, a CreateDate of now", created)
	}

	// aws iam get-login-profile --user-name taro
	got := must[*iam.GetLoginProfileOutput](t)(root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: taro})).LoginProfile
	if aws.ToString(got.UserName) != "taro" || !got.PasswordResetRequired || !got.CreateDate.Equal(*created.CreateDate) {
		t.Fatalf("GetLoginProfile %+v, want what CreateLoginProfile returned", got)
	}

	// aws iam update-login-profile --user-name taro --password 'N3w-P@ssw0rd' --no-password-reset-required
	must[*iam.UpdateLoginProfileOutput](t)(root.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{
		UserName: taro, Password: aws.String("N3w-P@ssw0rd"), PasswordResetRequired: aws.Bool(false)}))
	if tg.loginProfile(t, "taro").PasswordResetRequired {
		t.Fatal("PasswordResetRequired still set after --no-password-reset-required")
	}

	// AWS_PROFILE=taro aws iam change-password --old-password 'N3w-P@ssw0rd' --new-password 'Z3t-P@ssw0rd'
	tg.allow(t, "taro", "iam:ChangePassword")
	id, secret := tg.createKey(t, "taro")
	taroIAM, _ := tg.as(id, secret, "")
	_, err := taroIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("P@ssw0rd-1"), NewPassword: aws.String("Z3t-P@ssw0rd")})
	wantAPIError(t, err, "AccessDenied", 403, "*") // the first password was replaced by the admin reset
	must[*iam.ChangePasswordOutput](t)(taroIAM.ChangePassword(ctx, &iam.ChangePasswordInput{
		OldPassword: aws.String("N3w-P@ssw0rd"), NewPassword: aws.String("Z3t-P@ssw0rd")}))
	// The new password is now the one that counts.
	_, err = taroIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("N3w-P@ssw0rd"), NewPassword: aws.String("Fourth-P@ss1")})
	wantAPIError(t, err, "AccessDenied", 403, "*")
	must[*iam.ChangePasswordOutput](t)(taroIAM.ChangePassword(ctx, &iam.ChangePasswordInput{
		OldPassword: aws.String("Z3t-P@ssw0rd"), NewPassword: aws.String("Fourth-P@ss1")}))

	// DeleteUser refuses while the profile (and the key) exist.
	must[*iam.DeleteAccessKeyOutput](t)(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: taro, AccessKeyId: aws.String(id)}))
	_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: taro})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete login profile first.")

	// aws iam delete-login-profile --user-name taro
	must[*iam.DeleteLoginProfileOutput](t)(root.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: taro}))
	_, err = root.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: taro})
	wantAPIError(t, err, "NoSuchEntity", 404, noLoginProfile("taro"))
	tg.disallow(t, "taro")
	must[*iam.DeleteUserOutput](t)(root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: taro}))
}

func (tg *target) loginProfile(t testing.TB, user string) *types.LoginProfile {
	t.Helper()
	out, err := tg.iam().GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatalf("GetLoginProfile %s: %v", user, err)
	}
	return out.LoginProfile
}

func TestLoginProfileErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "hanako")
	hanako := aws.String("hanako")
	ok := aws.String("Good-Passw0rd")

	_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: ok})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUserTaro)
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUserTaro)
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("taro"), Password: ok})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUserTaro)
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUserTaro)

	// A user without a profile.
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: hanako})
	wantAPIError(t, err, "NoSuchEntity", 404, noLoginProfile("hanako"))
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: hanako, Password: ok})
	wantAPIError(t, err, "NoSuchEntity", 404, noLoginProfile("hanako"))
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: hanako})
	wantAPIError(t, err, "NoSuchEntity", 404, noLoginProfile("hanako"))

	// AWS's default policy: 8 characters, three of the four character types.
	for _, weak := range []string{"Sh0rt!", "alllowercase1", "NoDigitsOrSymbols"} {
		_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: hanako, Password: aws.String(weak)})
		wantAPIError(t, err, "PasswordPolicyViolation", 400, policyViolation)
	}
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: hanako})
	wantAPIError(t, err, "NoSuchEntity", 404, noLoginProfile("hanako")) // refused means not created

	must[*iam.CreateLoginProfileOutput](t)(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: hanako, Password: ok}))
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("HANAKO"), Password: ok})
	wantAPIError(t, err, "EntityAlreadyExists", 409, "Login Profile for user hanako already exists.")
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: hanako, Password: aws.String("weak")})
	wantAPIError(t, err, "PasswordPolicyViolation", 400, policyViolation)

	// Validation before anything else.
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: hanako, Password: aws.String("")})
	wantAPIError(t, err, "ValidationError", 400, "2 validation errors detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 1; *")
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: hanako})
	wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")

	// Root names no user: it has no IAM user to act on.
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
	wantAPIError(t, err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")
}

func TestChangePasswordErrors(t *testing.T) {
	tg := newTarget(t)
	root := tg.iam()
	tg.createUser(t, "jiro")
	tg.allow(t, "jiro", "iam:ChangePassword")
	id, secret := tg.createKey(t, "jiro")
	jiro, _ := tg.as(id, secret, "")
	change := func(c *iam.Client, old, new string) error {
		_, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}

	// Root has no IAM user password to change.
	wantAPIError(t, change(root, "x", "Good-Passw0rd"), "InvalidUserType", 400, "*")
	// No login profile yet.
	wantAPIError(t, change(jiro, "x", "Good-Passw0rd"), "NoSuchEntity", 404, noLoginProfile("jiro"))

	must[*iam.CreateLoginProfileOutput](t)(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String("jiro"), Password: aws.String("First-Passw0rd"), PasswordResetRequired: true}))
	wantAPIError(t, change(jiro, "wrong", "Good-Passw0rd"), "AccessDenied", 403, "*")
	wantAPIError(t, change(jiro, "First-Passw0rd", "weak"), "PasswordPolicyViolation", 400, policyViolation)
	if !tg.loginProfile(t, "jiro").PasswordResetRequired {
		t.Fatal("a refused change cleared PasswordResetRequired")
	}
	must[*iam.ChangePasswordOutput](t)(jiro.ChangePassword(ctx, &iam.ChangePasswordInput{
		OldPassword: aws.String("First-Passw0rd"), NewPassword: aws.String("Second-Passw0rd")}))
	if tg.loginProfile(t, "jiro").PasswordResetRequired {
		t.Fatal("ChangePassword left PasswordResetRequired set")
	}
}

func TestAccountPasswordPolicy(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	_, err := c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, err, "NoSuchEntity", 404, "The Password Policy with domain name "+account+" cannot be found.")
	_, err = c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	wantAPIError(t, err, "NoSuchEntity", 404, "The account policy with name PasswordPolicy cannot be found.")

	// No arguments: AWS's defaults.
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{}))
	p := must[*iam.GetAccountPasswordPolicyOutput](t)(c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})).PasswordPolicy
	want := types.PasswordPolicy{MinimumPasswordLength: aws.Int32(6)}
	if aws.ToInt32(p.MinimumPasswordLength) != 6 || p.RequireSymbols || p.RequireNumbers || p.RequireUppercaseCharacters ||
		p.RequireLowercaseCharacters || p.AllowUsersToChangePassword || p.ExpirePasswords ||
		p.MaxPasswordAge != nil || p.PasswordReusePrevention != nil || p.HardExpiry != nil {
		t.Fatalf("default policy %+v, want %+v", p, want)
	}

	must[*iam.UpdateAccountPasswordPolicyOutput](t)(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(12), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90),
		PasswordReusePrevention: aws.Int32(3), HardExpiry: aws.Bool(false)}))
	p = must[*iam.GetAccountPasswordPolicyOutput](t)(c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})).PasswordPolicy
	if aws.ToInt32(p.MinimumPasswordLength) != 12 || !p.RequireSymbols || !p.RequireNumbers || !p.RequireUppercaseCharacters ||
		!p.RequireLowercaseCharacters || !p.AllowUsersToChangePassword || !p.ExpirePasswords ||
		aws.ToInt32(p.MaxPasswordAge) != 90 || aws.ToInt32(p.PasswordReusePrevention) != 3 || p.HardExpiry == nil || *p.HardExpiry {
		t.Fatalf("policy %+v, want every field as set", p)
	}

	// Out-of-range values, verbatim from AWS (aws-facts §4).
	_, err = c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(129), PasswordReusePrevention: aws.Int32(25), MaxPasswordAge: aws.Int32(1096)})
	wantAPIError(t, err, "ValidationError", 400, "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095")

	must[*iam.DeleteAccountPasswordPolicyOutput](t)(c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))
	_, err = c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantAPIError(t, err, "NoSuchEntity", 404, "*")
}

// TestPasswordPolicyEnforced: every password set or changed meets the
// policy, including reuse prevention, for root's resets and users' changes.
func TestPasswordPolicyEnforced(t *testing.T) {
	tg := newTarget(t)
	root := tg.iam()
	tg.createUser(t, "saburo")
	saburo := aws.String("saburo")
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(10), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, PasswordReusePrevention: aws.Int32(2)}))
	for _, bad := range []string{"no-upper-case-1", "NO-LOWER-CASE-1", "No-Digits-Here", "NoSymbols1234", "Short1!a"} {
		_, err := root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: saburo, Password: aws.String(bad)})
		wantAPIError(t, err, "PasswordPolicyViolation", 400, policyViolation)
	}
	// Ten characters of all four types: just enough.
	must[*iam.CreateLoginProfileOutput](t)(root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: saburo, Password: aws.String("Sh0rt!pass")}))

	id, secret := tg.createKey(t, "saburo")
	user, _ := tg.as(id, secret, "")
	steps := []struct{ old, new, code string }{
		{"Sh0rt!pass", "Sh0rt!pass", "PasswordPolicyViolation"}, // the current one
		{"Sh0rt!pass", "Second!Pass2", ""},
		{"Second!Pass2", "Sh0rt!pass", "PasswordPolicyViolation"}, // one of the last two
		{"Second!Pass2", "Third!Pass33", ""},
		{"Third!Pass33", "Sh0rt!pass", ""}, // three back: allowed again
	}
	for i, s := range steps {
		_, err := user.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(s.old), NewPassword: aws.String(s.new)})
		if s.code == "" {
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			continue
		}
		wantAPIError(t, err, s.code, 400, policyViolation)
	}
}

func TestAccountSummary(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "u1")
	tg.createUser(t, "u2")
	m := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	// A fresh AWS account answers AccountAccessKeysPresent 0: the configured
	// root credential is the emulator's, not a key root made.
	for k, want := range map[string]int32{"Users": 2, "UsersQuota": 5000, "AccessKeysPerUserQuota": 2, "Groups": 0,
		"Roles": 0, "AccountAccessKeysPresent": 0, "AccountMFAEnabled": 0, "PolicySizeQuota": 6144, "RolesQuota": 1000,
		"GroupsPerUserQuota": 10, "VersionsPerPolicyQuota": 5, "AttachedPoliciesPerRoleQuota": 10, "GlobalEndpointTokenVersion": 1} {
		if got, ok := m[k]; !ok || got != want {
			t.Errorf("%s=%d (present %v), want %d", k, got, ok, want)
		}
	}
	for _, k := range types.SummaryKeyType("").Values() {
		if _, ok := m[string(k)]; !ok {
			t.Errorf("summary lacks %s", k)
		}
	}
	if len(m) != len(types.SummaryKeyType("").Values()) {
		t.Errorf("summary has %d entries, want the %d SummaryKeyType values", len(m), len(types.SummaryKeyType("").Values()))
	}
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("u1")}))
	m = must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if m["Users"] != 1 {
		t.Errorf("Users=%d after a delete, want 1", m["Users"])
	}

	rootKey := must[*iam.CreateAccessKeyOutput](t)(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
	if got := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap["AccountAccessKeysPresent"]; got != 1 {
		t.Errorf("AccountAccessKeysPresent=%d after root made a key for itself, want 1", got)
	}
	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: rootKey.AccessKey.AccessKeyId}))
	if got := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap["AccountAccessKeysPresent"]; got != 0 {
		t.Errorf("AccountAccessKeysPresent=%d after root deleted its key, want 0", got)
	}
}
