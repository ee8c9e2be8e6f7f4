package conformance

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/pquerna/otp"
)

func (tg *target) aliases(t testing.TB) []string {
	t.Helper()
	out := must[*iam.ListAccountAliasesOutput](t)(tg.iam().ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))
	if out.AccountAliases == nil || out.IsTruncated || out.Marker != nil {
		t.Fatalf("ListAccountAliases=%+v, want a list on one page", out)
	}
	return out.AccountAliases
}

// TestJourneyAccountAlias: an account has one alias; creating another
// replaces it, as AWS documents ("the new alias overwrites the previous
// alias"), and deleting names the one it has.
func TestJourneyAccountAlias(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	if got := tg.aliases(t); len(got) != 0 {
		t.Fatalf("aliases of a new account=%v, want none", got)
	}

	// aws iam create-account-alias --account-alias example-corp
	must[*iam.CreateAccountAliasOutput](t)(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}))
	if got := tg.aliases(t); len(got) != 1 || got[0] != "example-corp" {
		t.Fatalf("aliases=%v, want [example-corp]", got)
	}
	must[*iam.CreateAccountAliasOutput](t)(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-2")}))
	if got := tg.aliases(t); len(got) != 1 || got[0] != "example-2" {
		t.Fatalf("aliases after a second create=%v, want [example-2] alone", got)
	}

	t.Run("CreateAccountAlias EntityAlreadyExists", func(t *testing.T) {
		_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-2")})
		wantAPIError(t, err, "EntityAlreadyExists", 409, "The account alias example-2 already exists.")
	})
	t.Run("DeleteAccountAlias NoSuchEntity for an alias the account does not have", func(t *testing.T) {
		_, err := c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("example-corp")})
		wantAPIError(t, err, "NoSuchEntity", 404, "The account alias example-corp cannot be found.")
	})
	for _, bad := range []string{"Upper", "a--b", "-ab", "ab-", "ab"} {
		t.Run("CreateAccountAlias ValidationError "+bad, func(t *testing.T) {
			_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(bad)})
			wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value at 'accountAlias' failed to satisfy constraint: Member must*")
		})
	}

	// aws iam delete-account-alias --account-alias example-2
	must[*iam.DeleteAccountAliasOutput](t)(c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("example-2")}))
	if got := tg.aliases(t); len(got) != 0 {
		t.Fatalf("aliases after delete=%v, want none", got)
	}
	_, err := c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("example-2")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The account alias example-2 cannot be found.")

	t.Run("ListAccountAliases ValidationError", func(t *testing.T) {
		_, err := c.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{Marker: aws.String("bWluZQ")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
}

// qrFor is the QR code PNG an authenticator app reads the key URI uri from,
// drawn as the otp library draws it.
func qrFor(t testing.TB, uri string) []byte {
	t.Helper()
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	img, err := key.Image(256, 256)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestVirtualMFAQRCodeNamesTheAlias: apps show a device made through AWS as
// "Amazon Web Services (name@alias)" once the account has an alias, and
// with the account id before.
func TestVirtualMFAQRCodeNamesTheAlias(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	qrOf := func(name, label string) (got, want []byte) {
		d := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})).VirtualMFADevice
		uri := "otpauth://totp/Amazon%20Web%20Services:" + name + "@" + label + "?issuer=Amazon+Web+Services&secret=" + string(d.Base32StringSeed)
		return d.QRCodePNG, qrFor(t, uri)
	}
	if got, want := qrOf("before-alias", account); !bytes.Equal(got, want) {
		t.Fatal("QRCodePNG without an alias does not encode name@" + account)
	}
	must[*iam.CreateAccountAliasOutput](t)(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}))
	if got, want := qrOf("after-alias", "example-corp"); !bytes.Equal(got, want) {
		t.Fatal("QRCodePNG with an alias does not encode name@example-corp")
	}
}
