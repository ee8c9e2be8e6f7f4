package conformance

import (
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

const (
	invalidToken = "The security token included in the request is invalid*" // with or without a period (aws-facts §8)
	badSignature = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	keyQuota     = "Cannot exceed quota for AccessKeysPerUser: 2"
	exampleKeyID = "AKIAIOSFODNN7EXAMPLE"
)

var (
	accessKeyIDShape = regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)
	secretShape      = regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)
)

func noSuchKey(id string) string { return "The Access Key with id " + id + " cannot be found." }

// asIn is tg.as for clients configured for region, which is then the
// region their requests are signed for.
func (tg *target) asIn(region, id, secret string) (*iam.Client, *sts.Client) {
	cfg := emulatortest.Config(tg.URL, id, secret, "")
	cfg.Region = region
	return iam.NewFromConfig(cfg, noRetry, noClientValidation),
		sts.NewFromConfig(cfg, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
}

func (tg *target) setKeyStatus(t testing.TB, user, id string, status types.StatusType) {
	t.Helper()
	_, err := tg.iam().UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(user), AccessKeyId: aws.String(id), Status: status})
	if err != nil {
		t.Fatalf("UpdateAccessKey %s %s: %v", id, status, err)
	}
}

// keyStatuses lists user's keys as id → status.
func (tg *target) keyStatuses(t testing.TB, user string) map[string]types.StatusType {
	t.Helper()
	out, err := tg.iam().ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatalf("ListAccessKeys %s: %v", user, err)
	}
	m := map[string]types.StatusType{}
	for _, k := range out.AccessKeyMetadata {
		m[aws.ToString(k.AccessKeyId)] = k.Status
		if got := aws.ToString(k.UserName); got != user {
			t.Errorf("key %s UserName=%q, want %q", aws.ToString(k.AccessKeyId), got, user)
		}
	}
	return m
}

func TestCreateAccessKey(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "keyed")

	out := must[*iam.CreateAccessKeyOutput](t)(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("keyed")}))
	k := out.AccessKey
	if id := aws.ToString(k.AccessKeyId); !accessKeyIDShape.MatchString(id) {
		t.Errorf("AccessKeyId=%q, want AKIA + 16 base32 characters", id)
	}
	if s := aws.ToString(k.SecretAccessKey); !secretShape.MatchString(s) {
		t.Errorf("SecretAccessKey has %d characters of the wrong shape, want 40 base64 characters", len(s))
	}
	if got, want := k.Status, types.StatusTypeActive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	if got, want := aws.ToString(k.UserName), "keyed"; got != want {
		t.Errorf("UserName=%q, want %q", got, want)
	}
	if k.CreateDate == nil {
		t.Errorf("CreateDate missing")
	}

	id2, _ := tg.createKey(t, "keyed")
	if id2 == aws.ToString(k.AccessKeyId) {
		t.Errorf("second key repeats the id %s", id2)
	}
	_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("keyed")})
	wantAPIError(t, err, "LimitExceeded", 409, keyQuota)

	// Inactive keys count toward the quota.
	tg.setKeyStatus(t, "keyed", id2, types.StatusTypeInactive)
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("keyed")})
	wantAPIError(t, err, "LimitExceeded", 409, keyQuota)
	if got, want := len(tg.keyStatuses(t, "keyed")), 2; got != want {
		t.Errorf("keyed has %d keys after refused creates, want %d", got, want)
	}

	// Deleting one frees a slot.
	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(id2)}))
	tg.createKey(t, "keyed")
}

func TestCreateAccessKeyAsUser(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "self")
	tg.allow(t, "self", "iam:CreateAccessKey", "iam:ListAccessKeys")
	id, secret := tg.createKey(t, "self")
	self, _ := tg.as(id, secret, "")

	out := must[*iam.CreateAccessKeyOutput](t)(self.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
	if got, want := aws.ToString(out.AccessKey.UserName), "self"; got != want {
		t.Errorf("UserName=%q, want %q (no UserName means the caller)", got, want)
	}
	list := must[*iam.ListAccessKeysOutput](t)(self.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	if got, want := len(list.AccessKeyMetadata), 2; got != want {
		t.Errorf("ListAccessKeys without UserName as self: %d keys, want %d", got, want)
	}
	_, err := self.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	wantAPIError(t, err, "LimitExceeded", 409, keyQuota)
}

func TestListAccessKeys(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "keyed")

	empty := must[*iam.ListAccessKeysOutput](t)(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("keyed")}))
	if len(empty.AccessKeyMetadata) != 0 || empty.IsTruncated || empty.Marker != nil {
		t.Errorf("ListAccessKeys of a user without keys=%v truncated=%v marker=%v, want an empty list",
			empty.AccessKeyMetadata, empty.IsTruncated, aws.ToString(empty.Marker))
	}

	id1, _ := tg.createKey(t, "keyed")
	id2, _ := tg.createKey(t, "keyed")
	tg.setKeyStatus(t, "keyed", id2, types.StatusTypeInactive)
	got := tg.keyStatuses(t, "keyed")
	want := map[string]types.StatusType{id1: types.StatusTypeActive, id2: types.StatusTypeInactive}
	if len(got) != len(want) || got[id1] != want[id1] || got[id2] != want[id2] {
		t.Errorf("keys=%v, want %v", got, want)
	}

	first := must[*iam.ListAccessKeysOutput](t)(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("keyed"), MaxItems: aws.Int32(1)}))
	if len(first.AccessKeyMetadata) != 1 || !first.IsTruncated || first.Marker == nil {
		t.Fatalf("MaxItems=1: %d keys truncated=%v marker=%v, want 1 key, truncated, with a marker",
			len(first.AccessKeyMetadata), first.IsTruncated, first.Marker)
	}
	second := must[*iam.ListAccessKeysOutput](t)(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("keyed"), MaxItems: aws.Int32(1), Marker: first.Marker}))
	if len(second.AccessKeyMetadata) != 1 || second.IsTruncated || second.Marker != nil {
		t.Fatalf("second page: %d keys truncated=%v marker=%v, want the last key, not truncated, no marker",
			len(second.AccessKeyMetadata), second.IsTruncated, aws.ToString(second.Marker))
	}
	if a, b := aws.ToString(first.AccessKeyMetadata[0].AccessKeyId), aws.ToString(second.AccessKeyMetadata[0].AccessKeyId); a == b {
		t.Errorf("both pages hold %s", a)
	}

	// Other users' keys are not listed.
	tg.createUser(t, "other")
	tg.createKey(t, "other")
	if got := tg.keyStatuses(t, "keyed"); len(got) != 2 {
		t.Errorf("keyed lists %d keys after other got one, want 2", len(got))
	}
}

func TestUpdateAccessKey(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "keyed")
	id, _ := tg.createKey(t, "keyed")

	tg.setKeyStatus(t, "keyed", id, types.StatusTypeInactive)
	if got, want := tg.keyStatuses(t, "keyed")[id], types.StatusTypeInactive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	tg.setKeyStatus(t, "keyed", id, types.StatusTypeInactive) // idempotent
	tg.setKeyStatus(t, "keyed", id, types.StatusTypeActive)
	if got, want := tg.keyStatuses(t, "keyed")[id], types.StatusTypeActive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
}

func TestAccessKeyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "alice")
	tg.createUser(t, "bob")
	bobKey, _ := tg.createKey(t, "bob")
	nobody := aws.String("nonexistent-user")

	t.Run("NoSuchEntity CreateAccessKey", func(t *testing.T) {
		_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: nobody})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("NoSuchEntity ListAccessKeys", func(t *testing.T) {
		_, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: nobody})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("NoSuchEntity UpdateAccessKey user", func(t *testing.T) {
		_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: nobody, AccessKeyId: aws.String(bobKey), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("NoSuchEntity UpdateAccessKey key", func(t *testing.T) {
		_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(exampleKeyID), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey(exampleKeyID))
	})
	t.Run("NoSuchEntity UpdateAccessKey another user's key", func(t *testing.T) {
		_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(bobKey), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey(bobKey))
	})
	t.Run("NoSuchEntity DeleteAccessKey key", func(t *testing.T) {
		_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(exampleKeyID)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey(exampleKeyID))
	})
	t.Run("NoSuchEntity DeleteAccessKey another user's key", func(t *testing.T) {
		_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: aws.String(bobKey)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey(bobKey))
	})
	t.Run("NoSuchEntity DeleteAccessKey user", func(t *testing.T) {
		_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: nobody, AccessKeyId: aws.String(bobKey)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("ValidationError status enum", func(t *testing.T) {
		_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(bobKey), Status: "Sleeping"})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set")
	})
	t.Run("ValidationError status null", func(t *testing.T) {
		_, err := c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(bobKey)})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'status' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ValidationError accessKeyId null", func(t *testing.T) {
		_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob")})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ValidationError accessKeyId length", func(t *testing.T) {
		_, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIASHORT")})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16")
	})
	t.Run("ValidationError accessKeyId pattern", func(t *testing.T) {
		_, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIA-NOT-A-KEY-ID!!")})
		wantAPIError(t, err, "ValidationError", 400, `1 validation error detected: Value at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]+`)
	})
	t.Run("AccessDenied GetAccessKeyLastUsed", func(t *testing.T) {
		_, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(exampleKeyID)})
		wantAPIError(t, err, "AccessDenied", 403,
			"User: arn:aws:iam::"+account+":root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key "+exampleKeyID)
	})

	// bob's key survived every refused request unchanged.
	if got, want := tg.keyStatuses(t, "bob")[bobKey], types.StatusTypeActive; got != want {
		t.Errorf("bob's key Status=%q, want %q", got, want)
	}
	if got := tg.keyStatuses(t, "alice"); len(got) != 0 {
		t.Errorf("alice has keys %v, want none", got)
	}
}

func TestDeleteAccessKey(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "keyed")
	id, _ := tg.createKey(t, "keyed")
	keep, _ := tg.createKey(t, "keyed")

	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(id)}))
	got := tg.keyStatuses(t, "keyed")
	if _, ok := got[id]; ok || len(got) != 1 {
		t.Errorf("keys after delete=%v, want only %s", got, keep)
	}
	_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(id)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey(id))
	// A deleted key is unknown to GetAccessKeyLastUsed as well.
	_, err = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)})
	wantAPIError(t, err, "AccessDenied", 403,
		"User: arn:aws:iam::"+account+":root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key "+id)
}

func TestGetAccessKeyLastUsed(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "user")
	tg.allow(t, "user", "iam:ListUsers")
	created := must[*iam.CreateAccessKeyOutput](t)(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("user")})).AccessKey
	iamKey, iamSecret := aws.ToString(created.AccessKeyId), aws.ToString(created.SecretAccessKey)
	stsKey, stsSecret := tg.createKey(t, "user")

	lastUsed := func(t testing.TB, id string) *iam.GetAccessKeyLastUsedOutput {
		t.Helper()
		return must[*iam.GetAccessKeyLastUsedOutput](t)(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)}))
	}

	never := lastUsed(t, iamKey)
	if got, want := aws.ToString(never.UserName), "user"; got != want {
		t.Errorf("UserName=%q, want %q", got, want)
	}
	if l := never.AccessKeyLastUsed; l == nil || aws.ToString(l.Region) != "N/A" || aws.ToString(l.ServiceName) != "N/A" || l.LastUsedDate != nil {
		t.Errorf("never used: %+v, want Region N/A, ServiceName N/A, no LastUsedDate", l)
	}

	for _, tc := range []struct {
		id, secret, region, service string
		call                        func(*iam.Client, *sts.Client) error
	}{
		{iamKey, iamSecret, "us-east-1", "iam", func(c *iam.Client, _ *sts.Client) error {
			_, err := c.ListUsers(ctx, &iam.ListUsersInput{})
			return err
		}},
		{stsKey, stsSecret, "eu-central-1", "sts", func(_ *iam.Client, c *sts.Client) error {
			_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		}},
	} {
		t.Run(tc.service, func(t *testing.T) {
			if err := tc.call(tg.asIn(tc.region, tc.id, tc.secret)); err != nil {
				t.Fatalf("call signed with %s: %v", tc.id, err)
			}
			out := lastUsed(t, tc.id)
			l := out.AccessKeyLastUsed
			if l == nil || l.LastUsedDate == nil {
				t.Fatalf("after use: %+v, want a LastUsedDate", l)
			}
			if l.LastUsedDate.Before(*created.CreateDate) {
				t.Errorf("LastUsedDate=%v, before the key's CreateDate %v", l.LastUsedDate, created.CreateDate)
			}
			if got, want := aws.ToString(l.Region), tc.region; got != want {
				t.Errorf("Region=%q, want %q", got, want)
			}
			if got, want := aws.ToString(l.ServiceName), tc.service; got != want {
				t.Errorf("ServiceName=%q, want %q", got, want)
			}
			if got, want := aws.ToString(out.UserName), "user"; got != want {
				t.Errorf("UserName=%q, want %q", got, want)
			}
		})
	}
}

// TestAccessKeyAuth is the SDK's view of key states: the key that signs a
// request decides who the caller is, or whether there is one.
func TestAccessKeyAuth(t *testing.T) {
	tg := newTarget(t)
	user := tg.createUser(t, "signer").User
	tg.allow(t, "signer", "iam:GetUser")
	id, secret := tg.createKey(t, "signer")
	userIAM, userSTS := tg.as(id, secret, "")

	works := func(t *testing.T) {
		t.Helper()
		who := must[*sts.GetCallerIdentityOutput](t)(userSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		if got, want := aws.ToString(who.Arn), userARN("/", "signer"); got != want {
			t.Errorf("Arn=%q, want %q", got, want)
		}
		if got, want := aws.ToString(who.UserId), aws.ToString(user.UserId); got != want {
			t.Errorf("UserId=%q, want %q", got, want)
		}
		if got, want := aws.ToString(who.Account), account; got != want {
			t.Errorf("Account=%q, want %q", got, want)
		}
		must[*iam.GetUserOutput](t)(userIAM.GetUser(ctx, &iam.GetUserInput{}))
	}
	refused := func(t *testing.T) {
		t.Helper()
		_, err := userSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
		_, err = userIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	}

	t.Run("own key", works)
	t.Run("InvalidClientTokenId inactive key", func(t *testing.T) {
		tg.setKeyStatus(t, "signer", id, types.StatusTypeInactive)
		refused(t)
	})
	t.Run("reactivated key", func(t *testing.T) {
		tg.setKeyStatus(t, "signer", id, types.StatusTypeActive)
		works(t)
	})
	t.Run("SignatureDoesNotMatch", func(t *testing.T) {
		wrong := []byte(secret)
		wrong[0] ^= 1
		badIAM, badSTS := tg.as(id, string(wrong), "")
		_, err := badSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", 403, badSignature)
		_, err = badIAM.ListUsers(ctx, &iam.ListUsersInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", 403, badSignature)
	})
	t.Run("InvalidClientTokenId unknown key", func(t *testing.T) {
		_, unknown := tg.as(exampleKeyID, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
		_, err := unknown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	})
	t.Run("InvalidClientTokenId deleted key", func(t *testing.T) {
		must[*iam.DeleteAccessKeyOutput](t)(tg.iam().DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("signer"), AccessKeyId: aws.String(id)}))
		refused(t)
	})
	t.Run("InvalidClientTokenId deleted user", func(t *testing.T) {
		tg.createUser(t, "leaver")
		lid, lsecret := tg.createKey(t, "leaver")
		_, leaverSTS := tg.as(lid, lsecret, "")
		must[*sts.GetCallerIdentityOutput](t)(leaverSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		c := tg.iam()
		must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("leaver"), AccessKeyId: aws.String(lid)}))
		must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("leaver")}))
		tg.createUser(t, "leaver") // a namesake does not revive the key
		_, err := leaverSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	})
}

// TestRootAccessKey: root may make keys for itself (no UserName); they act
// as root.
func TestRootAccessKey(t *testing.T) {
	tg := newTarget(t)
	out := must[*iam.CreateAccessKeyOutput](t)(tg.iam().CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
	if out.AccessKey.UserName != nil {
		t.Errorf("UserName=%q, want none for a root key", *out.AccessKey.UserName)
	}
	_, rootSTS := tg.as(aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey), "")
	who := must[*sts.GetCallerIdentityOutput](t)(rootSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), "arn:aws:iam::"+account+":root"; got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.UserId), account; got != want {
		t.Errorf("UserId=%q, want %q", got, want)
	}
}

// TestConcurrentCreateAccessKey: the quota holds under concurrency, because
// the count and the write share one transaction.
func TestConcurrentCreateAccessKey(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "racer")
	const n = 32
	outcomes := concurrently(n, func() error {
		_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("racer")})
		return err
	})
	if outcomes[""] != 2 || outcomes["LimitExceeded"] != n-2 || len(outcomes) != 2 {
		t.Errorf("outcomes %v, want 2 created and %d LimitExceeded", outcomes, n-2)
	}
	if got, want := len(tg.keyStatuses(t, "racer")), 2; got != want {
		t.Errorf("ListAccessKeys shows %d keys, want %d", got, want)
	}
}

// TestAccessKeyLastUsedFollowsEveryUse alternates a key between STS and IAM
// and asks after each call which service used it last. The server keeps
// recent use in memory and writes it in background batches; the loop is
// long enough to span several of those writes, and the answer must not
// change when one happens.
func TestAccessKeyLastUsedFollowsEveryUse(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "busy")
	tg.allow(t, "busy", "iam:GetUser")
	id, secret := tg.createKey(t, "busy")
	userIAM, userSTS := tg.as(id, secret, "")
	for i := range 1200 {
		want := "iam"
		if i%2 == 0 {
			want = "sts"
			must[*sts.GetCallerIdentityOutput](t)(userSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		} else {
			must[*iam.GetUserOutput](t)(userIAM.GetUser(ctx, &iam.GetUserInput{}))
		}
		out := must[*iam.GetAccessKeyLastUsedOutput](t)(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(id)}))
		l := out.AccessKeyLastUsed
		if got := aws.ToString(l.ServiceName); got != want || l.LastUsedDate == nil {
			t.Fatalf("call %d went to %s; GetAccessKeyLastUsed then says ServiceName=%q LastUsedDate=%v, want %q and a date",
				i+1, want, got, l.LastUsedDate, want)
		}
	}
}
