package emulator

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/pquerna/otp"
)

// TestOTPAuthURI: authenticator apps list AWS's devices as
// "Amazon Web Services (name@account)", from the issuer in the label and
// the issuer parameter; the secret is the seed as it is.
func TestOTPAuthURI(t *testing.T) {
	const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	uri := otpauthURI("taro-mfa", "123456789012", seed)
	if want := "otpauth://totp/Amazon%20Web%20Services:taro-mfa@123456789012?issuer=Amazon+Web+Services&secret=" + seed; uri != want {
		t.Fatalf("otpauthURI=%q, want %q", uri, want)
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := key.Issuer(), "Amazon Web Services"; got != want {
		t.Errorf("Issuer=%q, want %q", got, want)
	}
	if got, want := key.AccountName(), "taro-mfa@123456789012"; got != want {
		t.Errorf("AccountName=%q, want %q", got, want)
	}
	if got := key.Secret(); got != seed {
		t.Errorf("Secret=%q, want the seed", got)
	}

	pngBytes, err := qrCode("taro-mfa", "123456789012", seed)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := key.Image(256, 256)
	var want bytes.Buffer
	png.Encode(&want, img)
	if !bytes.Equal(pngBytes, want.Bytes()) {
		t.Error("QRCodePNG does not encode otpauthURI")
	}
}
