package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

const (
	invalidTokenSTS = "The security token included in the request is invalid"
	invalidTokenIAM = invalidTokenSTS + "."
	expiredToken    = "The security token included in the request is expired"
	sessionMFAFail  = "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."
)

// withSession returns IAM and STS clients signing with temporary
// credentials.
func (tg *target) withSession(cr *ststypes.Credentials) (*iam.Client, *sts.Client) {
	return tg.as(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
}

// userClients makes user name with a key and an inline policy allowing
// actions (none: no policy), and returns its clients.
func (tg *target) userClients(t testing.TB, name string, actions ...string) (*iam.Client, *sts.Client) {
	t.Helper()
	tg.createUser(t, name)
	if len(actions) > 0 {
		tg.allow(t, name, actions...)
	}
	return tg.asKey(tg.createKey(t, name))
}

// as is tg.as for a key without a token.
func (tg *target) asKey(id, secret string) (*iam.Client, *sts.Client) { return tg.as(id, secret, "") }

// mfaUser gives user name an enabled virtual MFA device and returns its
// serial and seed; the clock is then moved past the codes enabling used.
func (tg *target) mfaUser(t testing.TB, name string) (serial, seed string) {
	t.Helper()
	serial, seed = tg.createDevice(t, name)
	if err := tg.enable(name, serial, seed, t); err != nil {
		t.Fatalf("EnableMFADevice: %v", err)
	}
	tg.advanceClock(t, time.Minute)
	return serial, seed
}

func wantTemporaryCredentials(t testing.TB, cr *ststypes.Credentials, now time.Time, lifetime time.Duration) {
	t.Helper()
	if id := aws.ToString(cr.AccessKeyId); !strings.HasPrefix(id, "ASIA") || len(id) != 20 {
		t.Errorf("AccessKeyId=%q, want ASIA and 20 characters", id)
	}
	if got, want := len(aws.ToString(cr.SecretAccessKey)), 40; got != want {
		t.Errorf("len(SecretAccessKey)=%d, want %d", got, want)
	}
	if got := len(aws.ToString(cr.SessionToken)); got < 300 {
		t.Errorf("len(SessionToken)=%d, want several hundred", got)
	}
	if got, want := aws.ToTime(cr.Expiration), now.Add(lifetime); got.Before(want.Add(-time.Minute)) || got.After(want.Add(time.Minute)) {
		t.Errorf("Expiration=%v, want about %v", got, want)
	}
}

func TestGetSessionToken(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "taro", "iam:ListUsers")
	out := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
	wantTemporaryCredentials(t, out.Credentials, tg.serverNow(t), 12*time.Hour)
	sessIAM, sessSTS := tg.withSession(out.Credentials)

	who := must[*sts.GetCallerIdentityOutput](t)(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), userARN("/", "taro"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	t.Run("InvalidClientTokenId IAM without MFA", func(t *testing.T) {
		_, err := sessIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidTokenIAM)
	})
	t.Run("AccessDenied session credentials", func(t *testing.T) {
		_, err := sessSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		wantAPIError(t, err, "AccessDenied", 403, "Cannot call GetSessionToken with session credentials")
	})
	t.Run("ValidationError durationSeconds", func(t *testing.T) {
		_, err := tg.sts().GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(600)})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
	})
	t.Run("root at most one hour", func(t *testing.T) {
		out := must[*sts.GetSessionTokenOutput](t)(tg.sts().GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
		wantTemporaryCredentials(t, out.Credentials, tg.serverNow(t), time.Hour)
		_, err := tg.sts().GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value '7200' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600")
	})
}

// Credentials made with MFA call IAM and satisfy a deny-unless-MFA
// policy; each code works once; a wrong code or serial is refused with
// AWS's two-space text.
func TestGetSessionTokenWithMFA(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "alice")
	tg.attachUserPolicy(t, "alice", tg.createPolicy(t, "ForceMFA", denyUnlessMFA))
	tg.allow(t, "alice", "iam:ListUsers", "iam:ListAccessKeys")
	serial, seed := tg.mfaUser(t, "alice")
	now := tg.serverNow(t)

	for name, in := range map[string]*sts.GetSessionTokenInput{
		"wrong code":       {SerialNumber: aws.String(serial), TokenCode: aws.String(wrongCode(code(t, seed, now)))},
		"unknown serial":   {SerialNumber: aws.String(mfaSerial("nobody")), TokenCode: aws.String(code(t, seed, now))},
		"serial, no code":  {SerialNumber: aws.String(serial)},
		"code of the past": {SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, now.Add(-5*time.Minute)))},
	} {
		t.Run("AccessDenied "+name, func(t *testing.T) {
			_, err := userSTS.GetSessionToken(ctx, in)
			wantAPIError(t, err, "AccessDenied", 403, sessionMFAFail)
		})
	}

	in := &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, now)), DurationSeconds: aws.Int32(900)}
	out := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, in))
	wantTemporaryCredentials(t, out.Credentials, now, 15*time.Minute)
	sessIAM, _ := tg.withSession(out.Credentials)
	must[*iam.ListAccessKeysOutput](t)(sessIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	must[*iam.ListUsersOutput](t)(sessIAM.ListUsers(ctx, &iam.ListUsersInput{}))

	t.Run("AccessDenied code used twice", func(t *testing.T) {
		_, err := userSTS.GetSessionToken(ctx, in)
		wantAPIError(t, err, "AccessDenied", 403, sessionMFAFail)
	})
	t.Run("ExpiredToken", func(t *testing.T) {
		tg.advanceClock(t, 15*time.Minute)
		_, err := sessIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "ExpiredToken", 403, expiredToken)
	})
}

// wrongCode is a six-digit code other than c.
func wrongCode(c string) string {
	if c == "000000" {
		return "111111"
	}
	return "000000"
}

// The token must come with a temporary key, exactly; once past its
// expiration on the emulator clock the key is refused as expired, also
// when it was used (and cached) before the clock moved.
func TestTemporaryCredentialsToken(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "taro")
	cr := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})).Credentials
	id, secret := aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey)

	_, noToken := tg.asKey(id, secret)
	_, err := noToken.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidTokenSTS)
	_, wrong := tg.as(id, secret, aws.ToString(cr.SessionToken)[1:])
	_, err = wrong.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "InvalidClientTokenId", 403, invalidTokenSTS)

	_, good := tg.withSession(cr)
	must[*sts.GetCallerIdentityOutput](t)(good.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	tg.advanceClock(t, 899*time.Second)
	must[*sts.GetCallerIdentityOutput](t)(good.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	tg.advanceClock(t, 2*time.Second)
	_, err = good.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantAPIError(t, err, "ExpiredToken", 403, expiredToken)
}

const listUsersPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`

// A federated user may do what both its user's policies and its session
// policy allow; without a session policy, nothing.
func TestGetFederationToken(t *testing.T) {
	tg := newTarget(t)
	_, userSTS := tg.userClients(t, "broker", "sts:GetFederationToken", "iam:ListUsers", "iam:GetUser")
	out := must[*sts.GetFederationTokenOutput](t)(userSTS.GetFederationToken(ctx, &sts.GetFederationTokenInput{
		Name: aws.String("bob"), Policy: aws.String(listUsersPolicy), DurationSeconds: aws.Int32(3600)}))
	wantTemporaryCredentials(t, out.Credentials, tg.serverNow(t), time.Hour)
	arn := "arn:aws:sts::" + account + ":federated-user/bob"
	if got, want := aws.ToString(out.FederatedUser.Arn), arn; got != want {
		t.Errorf("FederatedUser.Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(out.FederatedUser.FederatedUserId), account+":bob"; got != want {
		t.Errorf("FederatedUserId=%q, want %q", got, want)
	}
	if out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 || *out.PackedPolicySize > 100 {
		t.Errorf("PackedPolicySize=%v, want a percentage", out.PackedPolicySize)
	}
	fedIAM, fedSTS := tg.withSession(out.Credentials)
	who := must[*sts.GetCallerIdentityOutput](t)(fedSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn)+" "+aws.ToString(who.UserId), arn+" "+account+":bob"; got != want {
		t.Errorf("GetCallerIdentity=%q, want %q", got, want)
	}
	must[*iam.ListUsersOutput](t)(fedIAM.ListUsers(ctx, &iam.ListUsersInput{}))
	t.Run("AccessDenied no session policy allows", func(t *testing.T) {
		_, err := fedIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("broker")})
		wantAPIError(t, err, "AccessDenied", 403, "User: "+arn+" is not authorized to perform: iam:GetUser on resource: user broker because no session policy allows the iam:GetUser action")
	})
	t.Run("AccessDenied session credentials", func(t *testing.T) {
		_, err := fedSTS.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("again")})
		wantAPIError(t, err, "AccessDenied", 403, "Cannot call GetFederationToken with session credentials")
	})
	t.Run("no policy allows nothing", func(t *testing.T) {
		out := must[*sts.GetFederationTokenOutput](t)(userSTS.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("nopolicy")}))
		if got, want := aws.ToInt32(out.PackedPolicySize), int32(0); out.PackedPolicySize == nil || got != want {
			t.Errorf("PackedPolicySize=%v, want %d", out.PackedPolicySize, want)
		}
		fedIAM, _ := tg.withSession(out.Credentials)
		_, err := fedIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "AccessDenied", 403, "User: arn:aws:sts::"+account+":federated-user/nopolicy is not authorized to perform: iam:ListUsers on resource: user path / because no session policy allows the iam:ListUsers action")
	})
	t.Run("AccessDenied without sts:GetFederationToken", func(t *testing.T) {
		_, other := tg.userClients(t, "plain")
		_, err := other.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("x1")})
		wantAPIError(t, err, "AccessDenied", 403, "User: "+userARN("/", "plain")+" is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::"+account+":federated-user/x1 because no identity-based policy allows the sts:GetFederationToken action")
	})
	t.Run("InvalidParameterValue duplicate tags", func(t *testing.T) {
		_, err := userSTS.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("tagged"),
			Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("a")}, {Key: aws.String("Team"), Value: aws.String("b")}}})
		wantAPIError(t, err, "InvalidParameterValue", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	})
}
