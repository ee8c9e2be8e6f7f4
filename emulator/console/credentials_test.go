package console_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"html"
	"image/png"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// signedIn is a browser signed in as a new user taro, allowed everything.
func signedIn(t *testing.T) (*testServer, *browser) {
	t.Helper()
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"all": allowAll})
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.get("/console/security-credentials")
	return s, b
}

var newKeyID = regexp.MustCompile(`data-testid="new-key-id">([^<]*)<`)
var newKeySecret = regexp.MustCompile(`data-testid="new-key-secret">([^<]*)<`)

func TestAccessKeys(t *testing.T) {
	s, b := signedIn(t)
	b.post("/console/security-credentials/keys/create", url.Values{})
	b.wantText("Access key created.")
	id, secret := newKeyID.FindStringSubmatch(html.UnescapeString(b.body)), newKeySecret.FindStringSubmatch(html.UnescapeString(b.body))
	if id == nil || secret == nil {
		t.Fatalf("the new key is not shown:\n%s", b.text())
	}
	if got, want := len(secret[1]), 40; got != want {
		t.Fatalf("secret length=%d, want %d", got, want)
	}

	b.get("/console/security-credentials/keys/new.csv")
	if got, want := b.body, "\ufeffAccess key ID,Secret access key\r\n"+id[1]+","+secret[1]+"\r\n"; got != want {
		t.Fatalf("CSV=%q, want %q", got, want)
	}
	if got, want := b.header.Get("Content-Disposition"), `attachment; filename="taro_accessKeys.csv"`; got != want {
		t.Fatalf("Content-Disposition=%q, want %q", got, want)
	}

	b.get("/console/security-credentials") // the secret is shown once
	if strings.Contains(html.UnescapeString(b.body), secret[1]) {
		t.Fatal("the secret is shown a second time")
	}
	b.get("/console/security-credentials/keys/new.csv")
	if got, want := b.status, http.StatusNotFound; got != want {
		t.Fatalf("CSV after leaving the page: status=%d, want %d", got, want)
	}
	b.get("/console/security-credentials")

	b.post("/console/security-credentials/keys/create", url.Values{})
	b.post("/console/security-credentials/keys/create", url.Values{})
	if got, want := b.status, http.StatusConflict; got != want {
		t.Fatalf("third key: status=%d, want %d", got, want)
	}
	b.wantText("LimitExceeded Cannot exceed quota for AccessKeysPerUser: 2")

	b.post("/console/security-credentials/keys/status", url.Values{"id": {id[1]}, "status": {"Inactive"}})
	b.wantText("Access key updated.")
	keys := must(s.e.ListAccessKeys(root(), &iam.ListAccessKeysInput{UserName: aws.String("taro")}))(t)
	if got, want := statusOf(keys.AccessKeyMetadata, id[1]), types.StatusTypeInactive; got != want {
		t.Fatalf("status=%q, want %q", got, want)
	}
	b.post("/console/security-credentials/keys/status", url.Values{"id": {id[1]}, "status": {"Active"}})
	keys = must(s.e.ListAccessKeys(root(), &iam.ListAccessKeysInput{UserName: aws.String("taro")}))(t)
	if got, want := statusOf(keys.AccessKeyMetadata, id[1]), types.StatusTypeActive; got != want {
		t.Fatalf("status=%q, want %q", got, want)
	}
	b.post("/console/security-credentials/keys/status", url.Values{"id": {id[1]}, "status": {"Bogus"}})
	if got, want := b.status, http.StatusBadRequest; got != want {
		t.Fatalf("bogus status: status=%d, want %d", got, want)
	}

	b.post("/console/security-credentials/keys/delete", url.Values{"id": {id[1]}})
	b.wantText("Access key deleted.")
	keys = must(s.e.ListAccessKeys(root(), &iam.ListAccessKeysInput{UserName: aws.String("taro")}))(t)
	if got, want := len(keys.AccessKeyMetadata), 1; got != want {
		t.Fatalf("keys=%d, want %d", got, want)
	}
	b.post("/console/security-credentials/keys/delete", url.Values{"id": {id[1]}})
	b.wantText("NoSuchEntity The Access Key with id " + id[1] + " cannot be found.")
}

func statusOf(keys []types.AccessKeyMetadata, id string) types.StatusType {
	for _, k := range keys {
		if aws.ToString(k.AccessKeyId) == id {
			return k.Status
		}
	}
	return ""
}

var mfaSecret = regexp.MustCompile(`data-testid="mfa-secret">([A-Z2-7=]+)<`)

func TestAssignMFADevice(t *testing.T) {
	s, b := signedIn(t)
	b.post("/console/security-credentials/mfa/create", url.Values{"name": {"taro-phone"}})
	b.wantText("Virtual MFA device created")
	m := regexp.MustCompile(`src="data:image/png;base64,([^"]*)"`).FindStringSubmatch(html.UnescapeString(b.body))
	if m == nil {
		t.Fatalf("no QR image in the page:\n%s", b.body)
	}
	raw, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatalf("the QR image is not a PNG: %v", err)
	}
	seed := mfaSecret.FindStringSubmatch(b.body)
	if seed == nil {
		t.Fatalf("no secret behind the show control:\n%s", b.body)
	}

	b.post("/console/security-credentials/mfa/enable", url.Values{"code1": {"123456"}, "code2": {"654321"}})
	if got, want := b.status, http.StatusForbidden; got != want {
		t.Fatalf("wrong codes: status=%d, want %d", got, want)
	}
	b.wantText("InvalidAuthenticationCode Authentication code for device is not valid.")

	now := s.e.Clock().Now()
	b.post("/console/security-credentials/mfa/enable", url.Values{
		"code1": {code(t, seed[1], now.Add(-30*time.Second))}, "code2": {code(t, seed[1], now)}})
	b.wantText("MFA device assigned.")
	b.wantText("arn:aws:iam::123456789012:mfa/taro-phone")

	b.post("/console/security-credentials/mfa/remove", url.Values{"serial": {"arn:aws:iam::123456789012:mfa/taro-phone"}})
	b.wantText("MFA device removed.")
	devices := must(s.e.ListVirtualMFADevices(root(), &iam.ListVirtualMFADevicesInput{}))(t)
	if got, want := len(devices.VirtualMFADevices), 0; got != want {
		t.Fatalf("virtual devices=%d, want %d", got, want)
	}
}

func TestCancelMFAAssignment(t *testing.T) {
	s, b := signedIn(t)
	b.post("/console/security-credentials/mfa/create", url.Values{"name": {"taro"}})
	b.post("/console/security-credentials/mfa/cancel", url.Values{})
	b.wantText("MFA device setup cancelled.")
	devices := must(s.e.ListVirtualMFADevices(root(), &iam.ListVirtualMFADevicesInput{}))(t)
	if got, want := len(devices.VirtualMFADevices), 0; got != want {
		t.Fatalf("virtual devices=%d, want %d", got, want)
	}
}

// selfSigned is a PEM certificate for the upload.
func selfSigned(t testing.TB) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "taro"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

func TestSigningCertificates(t *testing.T) {
	s, b := signedIn(t)
	body := selfSigned(t)
	b.post("/console/security-credentials/certs/upload", url.Values{"body": {body}})
	b.wantText("Signing certificate uploaded.")
	certs := must(s.e.ListSigningCertificates(root(), &iam.ListSigningCertificatesInput{UserName: aws.String("taro")}))(t)
	if got, want := len(certs.Certificates), 1; got != want {
		t.Fatalf("certificates=%d, want %d", got, want)
	}
	id := aws.ToString(certs.Certificates[0].CertificateId)
	b.wantText(id)

	b.post("/console/security-credentials/certs/status", url.Values{"id": {id}, "status": {"Inactive"}})
	b.wantText("Signing certificate updated.")
	certs = must(s.e.ListSigningCertificates(root(), &iam.ListSigningCertificatesInput{UserName: aws.String("taro")}))(t)
	if got, want := certs.Certificates[0].Status, types.StatusTypeInactive; got != want {
		t.Fatalf("status=%q, want %q", got, want)
	}

	b.post("/console/security-credentials/certs/upload", url.Values{"body": {"not a certificate"}})
	if b.status < 400 {
		t.Fatalf("a malformed certificate: status=%d, want an error", b.status)
	}
	b.wantText("MalformedCertificate")

	b.post("/console/security-credentials/certs/delete", url.Values{"id": {id}})
	b.wantText("Signing certificate deleted.")
	b.wantText("No signing certificates.")
}

func TestChangePasswordOnCredentialsPage(t *testing.T) {
	s, b := signedIn(t)
	must(s.e.UpdateAccountPasswordPolicy(root(), &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(20)}))(t)
	b.post("/console/security-credentials/password", url.Values{"old": {"Passw0rd!x"}, "new": {"Sh0rt!pass"}, "confirm": {"Sh0rt!pass"}})
	b.wantText("At least 20 characters")
	b.post("/console/security-credentials/password", url.Values{"old": {"Passw0rd!x"}, "new": {"A-much-l0nger-passw0rd"}, "confirm": {"A-much-l0nger-passw0rd"}})
	b.wantText("Your password has been changed.")
	s.browser(t).signIn("taro", "A-much-l0nger-passw0rd")
}
