package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGetCallerIdentityRoot(t *testing.T) {
	tg := newTarget(t)
	who := must[*sts.GetCallerIdentityOutput](t)(tg.sts().GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Account), account; got != want {
		t.Errorf("Account=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.Arn), "arn:aws:iam::"+account+":root"; got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.UserId), account; got != want {
		t.Errorf("UserId=%q, want %q", got, want)
	}
}

func TestGetCallerIdentityUser(t *testing.T) {
	tg := newTarget(t)
	must[*iam.CreateUserOutput](t)(tg.iam().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev"), Path: aws.String("/team/")}))
	u := must[*iam.GetUserOutput](t)(tg.iam().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dev")})).User
	id, secret := tg.createKey(t, "dev")
	_, c := tg.as(id, secret, "")

	who := must[*sts.GetCallerIdentityOutput](t)(c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Account), account; got != want {
		t.Errorf("Account=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.Arn), userARN("/team/", "dev"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got := aws.ToString(who.UserId); !strings.HasPrefix(got, "AIDA") || got != aws.ToString(u.UserId) {
		t.Errorf("UserId=%q, want the user's id %q", got, aws.ToString(u.UserId))
	}
}

func TestGetAccessKeyInfo(t *testing.T) {
	tg := newTarget(t)
	c := tg.sts()
	tg.createUser(t, "keyed")
	userKey, _ := tg.createKey(t, "keyed")
	rootKey := must[*iam.CreateAccessKeyOutput](t)(tg.iam().CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})).AccessKey

	for name, id := range map[string]string{"user key": userKey, "root key": aws.ToString(rootKey.AccessKeyId)} {
		t.Run(name, func(t *testing.T) {
			out := must[*sts.GetAccessKeyInfoOutput](t)(c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(id)}))
			if got, want := aws.ToString(out.Account), account; got != want {
				t.Errorf("Account=%q, want %q", got, want)
			}
		})
	}

	// The account is read off the key id itself, so a deleted key still
	// answers, as on AWS.
	must[*iam.DeleteAccessKeyOutput](t)(tg.iam().DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(userKey)}))
	out := must[*sts.GetAccessKeyInfoOutput](t)(c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(userKey)}))
	if got, want := aws.ToString(out.Account), account; got != want {
		t.Errorf("deleted key: Account=%q, want %q", got, want)
	}
}

// STS validation messages echo the value (aws-facts §6).
func TestGetAccessKeyInfoErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.sts()
	t.Run("ValidationError accessKeyId null", func(t *testing.T) {
		_, err := c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ValidationError accessKeyId length", func(t *testing.T) {
		_, err := c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIASHORT")})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value 'AKIASHORT' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16")
	})
	t.Run("ValidationError accessKeyId pattern", func(t *testing.T) {
		// The pattern [\w]* ends the text with "*", which wantAPIError
		// reads as "prefix": all but that last character is checked.
		_, err := c.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String("AKIA-NOT-A-KEY-ID!!")})
		wantAPIError(t, err, "ValidationError", 400, `1 validation error detected: Value 'AKIA-NOT-A-KEY-ID!!' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w]*`)
	})
}

func TestSTSAuthErrors(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "u")
	id, secret := tg.createKey(t, "u")

	t.Run("InvalidClientTokenId", func(t *testing.T) {
		_, c := tg.as(exampleKeyID, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	})
	t.Run("SignatureDoesNotMatch", func(t *testing.T) {
		_, c := tg.as(id, strings.Repeat("x", 40), "")
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", 403, badSignature)
	})
	t.Run("SignatureDoesNotMatch root secret", func(t *testing.T) {
		_, c := tg.as("test", "not-the-root-secret", "")
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "SignatureDoesNotMatch", 403, badSignature)
	})
	// A long-term key with a session token that nobody issued is refused.
	t.Run("InvalidClientTokenId stray session token", func(t *testing.T) {
		_, c := tg.as(id, secret, "FQoGZXIvYXdzEBogus")
		_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
	})
}
