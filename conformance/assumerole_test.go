package conformance

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// trustAccount trusts the account's root, delegating to identity
// policies; extra is a Condition block or "".
func trustAccount(extra string) string {
	cond := ""
	if extra != "" {
		cond = `,"Condition":` + extra
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"` + cond + `}]}`
}

// trustPrincipal trusts one principal ARN itself.
func trustPrincipal(arn string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + arn + `"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`
}

// createTrustedRole makes role name with trust policy trust and returns
// its ARN.
func (tg *target) createTrustedRole(t testing.TB, name, trust string, maxSession int32) string {
	t.Helper()
	in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
	if maxSession > 0 {
		in.MaxSessionDuration = aws.Int32(maxSession)
	}
	out, err := tg.iam().CreateRole(ctx, in)
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return aws.ToString(out.Role.Arn)
}

func assumedARN(role, session string) string {
	return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session
}

func assumeDenied(caller, roleARN string) string {
	return "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN
}

func TestAssumeRole(t *testing.T) {
	tg := newTarget(t)
	roleARN := tg.createTrustedRole(t, "deployer", trustAccount(""), 0)
	_, userSTS := tg.userClients(t, "taro", "sts:AssumeRole")
	now := tg.serverNow(t)
	out := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("ci-run")}))
	wantTemporaryCredentials(t, out.Credentials, now, time.Hour)
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), assumedARN("deployer", "ci-run"); got != want {
		t.Errorf("AssumedRoleUser.Arn=%q, want %q", got, want)
	}
	role := must[*iam.GetRoleOutput](t)(tg.iam().GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")})).Role
	if got, want := aws.ToString(out.AssumedRoleUser.AssumedRoleId), aws.ToString(role.RoleId)+":ci-run"; got != want {
		t.Errorf("AssumedRoleId=%q, want %q", got, want)
	}
	if out.PackedPolicySize != nil {
		t.Errorf("PackedPolicySize=%d, want none without session policies or tags", *out.PackedPolicySize)
	}
	if lu := role.RoleLastUsed; lu == nil || lu.LastUsedDate == nil || aws.ToString(lu.Region) != "us-east-1" {
		t.Errorf("RoleLastUsed=%+v, want a date and us-east-1", lu)
	}

	roleIAM, roleSTS := tg.withSession(out.Credentials)
	who := must[*sts.GetCallerIdentityOutput](t)(roleSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn)+" "+aws.ToString(who.UserId), assumedARN("deployer", "ci-run")+" "+aws.ToString(out.AssumedRoleUser.AssumedRoleId); got != want {
		t.Errorf("GetCallerIdentity=%q, want %q", got, want)
	}
	t.Run("AccessDenied names the assumed role", func(t *testing.T) {
		_, err := roleIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "AccessDenied", 403, "User: "+assumedARN("deployer", "ci-run")+" is not authorized to perform: iam:ListUsers on resource: user path / because no identity-based policy allows the iam:ListUsers action")
	})
	t.Run("AccessDenied GetSessionToken with session credentials", func(t *testing.T) {
		_, err := roleSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		wantAPIError(t, err, "AccessDenied", 403, "Cannot call GetSessionToken with session credentials")
	})
}

func TestAssumeRoleErrors(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "taro", "sts:AssumeRole")
	roleARN := tg.createTrustedRole(t, "limited", trustAccount(""), 0)
	tg.createTrustedRole(t, "other", trustPrincipal(userARN("/", "taro")), 0)
	_, plainSTS := tg.userClients(t, "plain")
	taro := userARN("/", "taro")
	assume := func(c *sts.Client, arn, session string, edit func(*sts.AssumeRoleInput)) error {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String(session)}
		if edit != nil {
			edit(in)
		}
		_, err := c.AssumeRole(ctx, in, func(o *sts.Options) { o.APIOptions = append(o.APIOptions, removeValidation) })
		return err
	}
	for _, c := range []struct {
		name, arn, session string
		client             *sts.Client
		edit               func(*sts.AssumeRoleInput)
		code               string
		status             int
		msg                string
	}{
		{"ValidationError session name pattern before RoleArn", "nothing-valid-in-here", "Session1:2", userSTS, nil, "ValidationError", 400,
			"1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"},
		{"ValidationError session name length", roleARN, strings.Repeat("s", 65), userSTS, nil, "ValidationError", 400,
			"1 validation error detected: Value '" + strings.Repeat("s", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"ValidationError RoleArn", "nothing-valid-in-here", "s1", userSTS, nil, "ValidationError", 400, "nothing-valid-in-here is invalid"},
		{"ValidationError RoleArn empty partition", "arn::b:::something/test-role", "s1", userSTS, nil, "ValidationError", 400, "arn::b:::something/test-role is invalid"},
		{"AccessDenied root", roleARN, "s1", tg.sts(), nil, "AccessDenied", 403, "Roles may not be assumed by root accounts."},
		{"AccessDenied no such role", "arn:aws:iam::" + account + ":role/nope", "s1", userSTS, nil, "AccessDenied", 403, assumeDenied(taro, "arn:aws:iam::"+account+":role/nope")},
		{"AccessDenied a user ARN", taro, "s1", userSTS, nil, "AccessDenied", 403, assumeDenied(taro, taro)},
		{"AccessDenied no identity policy", roleARN, "s1", plainSTS, nil, "AccessDenied", 403, assumeDenied(userARN("/", "plain"), roleARN)},
		{"AccessDenied trust names someone else", "arn:aws:iam::" + account + ":role/other", "s1", plainSTS, nil, "AccessDenied", 403, assumeDenied(userARN("/", "plain"), "arn:aws:iam::"+account+":role/other")},
		{"ValidationError DurationSeconds over MaxSessionDuration", roleARN, "s1", userSTS, func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(7200) }, "ValidationError", 400,
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"AccessDenied MFA code", roleARN, "s1", userSTS, func(in *sts.AssumeRoleInput) {
			in.SerialNumber, in.TokenCode = aws.String(mfaSerial("taro")), aws.String("123456")
		}, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{"InvalidParameterValue transitive key not requested", roleARN, "s1", userSTS, func(in *sts.AssumeRoleInput) {
			in.Tags = []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}}
			in.TransitiveTagKeys = []string{"project"}
		}, "InvalidParameterValue", 400, "The specified transitive tag key must be included in the requested tags."},
		{"InvalidParameterValue duplicate tag keys", roleARN, "s1", userSTS, func(in *sts.AssumeRoleInput) {
			in.Tags = []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("TEAM"), Value: aws.String("b")}}
		}, "InvalidParameterValue", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantAPIError(t, assume(c.client, c.arn, c.session, c.edit), c.code, c.status, c.msg)
		})
	}
}

// A trust policy that names the user itself needs no identity policy; one
// that names a role lets that role's sessions chain, capped at one hour;
// GetSessionToken credentials are capped alike.
func TestAssumeRoleChaining(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "taro")
	firstARN := tg.createTrustedRole(t, "first", trustPrincipal(userARN("/", "taro")), 43200)
	secondARN := tg.createTrustedRole(t, "second", trustPrincipal(firstARN), 43200)
	first := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(firstARN),
		RoleSessionName: aws.String("one"), DurationSeconds: aws.Int32(7200),
		Tags:              []ststypes.Tag{{Key: aws.String("project"), Value: aws.String("apollo")}},
		TransitiveTagKeys: []string{"project"}}))
	if first.PackedPolicySize == nil {
		t.Errorf("PackedPolicySize absent, want it with session tags")
	}
	_, firstSTS := tg.withSession(first.Credentials)

	t.Run("ValidationError chained over one hour", func(t *testing.T) {
		_, err := firstSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(secondARN), RoleSessionName: aws.String("two"), DurationSeconds: aws.Int32(3601)})
		wantAPIError(t, err, "ValidationError", 400, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	})
	t.Run("InvalidParameterValue transitive key conflict", func(t *testing.T) {
		_, err := firstSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(secondARN), RoleSessionName: aws.String("two"),
			Tags: []ststypes.Tag{{Key: aws.String("Project"), Value: aws.String("gemini")}}})
		wantAPIError(t, err, "InvalidParameterValue", 400, "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
	})
	second := must[*sts.AssumeRoleOutput](t)(firstSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(secondARN), RoleSessionName: aws.String("two")}))
	wantTemporaryCredentials(t, second.Credentials, tg.serverNow(t), time.Hour)
	_, secondSTS := tg.withSession(second.Credentials)
	who := must[*sts.GetCallerIdentityOutput](t)(secondSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), assumedARN("second", "two"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}

	t.Run("ValidationError GetSessionToken credentials over one hour", func(t *testing.T) {
		tok := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
		_, tokSTS := tg.withSession(tok.Credentials)
		_, err := tokSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(firstARN), RoleSessionName: aws.String("tok"), DurationSeconds: aws.Int32(7200)})
		wantAPIError(t, err, "ValidationError", 400, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		must[*sts.AssumeRoleOutput](t)(tokSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(firstARN), RoleSessionName: aws.String("tok")}))
	})
}

// Conditions of the trust policy see the request's keys: sts:ExternalId,
// aws:PrincipalTag of the caller, aws:SourceIdentity's request key.
func TestAssumeRoleTrustConditions(t *testing.T) {
	tg := newTarget(t)
	roleARN := tg.createTrustedRole(t, "vendor", trustAccount(`{"StringEquals":{"sts:ExternalId":"s3cr3t","aws:PrincipalTag/team":"ops"}}`), 0)
	_, userSTS := tg.userClients(t, "taro", "sts:AssumeRole", "sts:SetSourceIdentity")
	assume := func(external string) error {
		_, err := userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("vendor-run"),
			ExternalId: aws.String(external), SourceIdentity: aws.String("taro-laptop")})
		return err
	}
	wantAPIError(t, assume("s3cr3t"), "AccessDenied", 403, assumeDenied(userARN("/", "taro"), roleARN))
	must[*iam.TagUserOutput](t)(tg.iam().TagUser(ctx, &iam.TagUserInput{UserName: aws.String("taro"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}}))
	wantAPIError(t, assume("wrong"), "AccessDenied", 403, assumeDenied(userARN("/", "taro"), roleARN))
	out := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("vendor-run"),
		ExternalId: aws.String("s3cr3t"), SourceIdentity: aws.String("taro-laptop")}))
	if got, want := aws.ToString(out.SourceIdentity), "taro-laptop"; got != want {
		t.Errorf("SourceIdentity=%q, want %q", got, want)
	}
}

// TestHandsOnAssumeRoleWithMFA is the fifth hands-on: a user with a
// virtual MFA device and the deny-unless-MFA policy, a role that trusts
// the account only with MFA, and AssumeRole with the device's code, as
// `aws sts assume-role --serial-number … --token-code …` sends it.
// Without the code, or with a wrong one, each step fails as on AWS.
func TestHandsOnAssumeRoleWithMFA(t *testing.T) {
	tg := newTarget(t)
	userIAM, userSTS := tg.userClients(t, "alice")
	tg.attachUserPolicy(t, "alice", tg.createPolicy(t, "ForceMFA", denyUnlessMFA))
	tg.allow(t, "alice", "sts:AssumeRole")
	serial, seed := tg.mfaUser(t, "alice")
	roleARN := tg.createTrustedRole(t, "admin", trustAccount(`{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), 0)
	tg.putRolePolicy(t, "admin", listUsersPolicy)
	in := func(code string) *sts.AssumeRoleInput {
		in := &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("alice-admin"), DurationSeconds: aws.Int32(900)}
		if code != "" {
			in.SerialNumber, in.TokenCode = aws.String(serial), aws.String(code)
		}
		return in
	}
	alice := userARN("/", "alice")

	_, err := userIAM.ListUsers(ctx, &iam.ListUsersInput{})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListUsers", "user path /", explicitDeny))
	_, err = userSTS.AssumeRole(ctx, in(""))
	wantAPIError(t, err, "AccessDenied", 403, assumeDenied(alice, roleARN))
	now := tg.serverNow(t)
	_, err = userSTS.AssumeRole(ctx, in(wrongCode(code(t, seed, now))))
	wantAPIError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")

	good := code(t, seed, now)
	out := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, in(good)))
	wantTemporaryCredentials(t, out.Credentials, now, 15*time.Minute)
	_, err = userSTS.AssumeRole(ctx, in(good))
	wantAPIError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")

	roleIAM, roleSTS := tg.withSession(out.Credentials)
	who := must[*sts.GetCallerIdentityOutput](t)(roleSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), assumedARN("admin", "alice-admin"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	must[*iam.ListUsersOutput](t)(roleIAM.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err = roleIAM.ListRoles(ctx, &iam.ListRolesInput{})
	wantAPIError(t, err, "AccessDenied", 403, "User: "+assumedARN("admin", "alice-admin")+" is not authorized to perform: iam:ListRoles on resource: role path / because no identity-based policy allows the iam:ListRoles action")

	tg.advanceClock(t, 15*time.Minute)
	_, err = roleSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "ExpiredToken", 403, expiredToken)
}

// putRolePolicy gives role an inline policy allowing actions.
func (tg *target) putRolePolicy(t testing.TB, role, doc string) {
	t.Helper()
	if _, err := tg.iam().PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatalf("PutRolePolicy %s: %v", role, err)
	}
}

// A role session may do what both its role's policies and its session
// policies allow; its principal tags are the role's, overridden by the
// session's; aws:PrincipalArn is the role's ARN.
func TestAssumeRoleSessionPolicies(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "taro", "sts:AssumeRole", "sts:TagSession")
	roleARN := tg.createTrustedRole(t, "reader", trustAccount(""), 0)
	must[*iam.TagRoleOutput](t)(tg.iam().TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("reader"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}}))
	tg.putRolePolicy(t, "reader", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"},
{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"dev","aws:PrincipalArn":"`+roleARN+`"}}}]}`)

	out := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("limited"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:ListRoles"],"Resource":"*"}]}`)}))
	if out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 {
		t.Errorf("PackedPolicySize=%v, want a percentage with a session policy", out.PackedPolicySize)
	}
	limited, _ := tg.withSession(out.Credentials)
	must[*iam.ListUsersOutput](t)(limited.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err := limited.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "AccessDenied", 403, "User: "+assumedARN("reader", "limited")+" is not authorized to perform: iam:GetUser on resource: user taro because no session policy allows the iam:GetUser action")
	_, err = limited.ListRoles(ctx, &iam.ListRolesInput{})
	wantAPIError(t, err, "AccessDenied", 403, "User: "+assumedARN("reader", "limited")+" is not authorized to perform: iam:ListRoles on resource: role path / because no identity-based policy allows the iam:ListRoles action")

	full := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("full"),
		Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("dev")}}}))
	fullIAM, _ := tg.withSession(full.Credentials)
	must[*iam.GetUserOutput](t)(fullIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")}))
	must[*iam.ListRolesOutput](t)(fullIAM.ListRoles(ctx, &iam.ListRolesInput{}))

	t.Run("PackedPolicyTooLarge", func(t *testing.T) {
		var actions []string
		for i := range 70 { // names that do not compress
			actions = append(actions, `"s`+strconv.FormatInt(int64(i*i*7919+13), 36)+`:`+strconv.FormatInt(int64(i*104729+7), 36)+`"`)
		}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[` + strings.Join(actions, ",") + `],"Resource":"*"}]}`
		_, err := userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("big"), Policy: aws.String(doc)})
		wantAPIError(t, err, "PackedPolicyTooLarge", 400, "Packed policy consumes *")
	})
}
