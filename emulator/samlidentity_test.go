package emulator

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
)

const testSAMLProviderARN = "arn:aws:iam::" + DefaultAccount + ":saml-provider/TestIdP"

// addTestSAMLProvider registers the test issuer's metadata as TestIdP.
func (e *Emulator) addTestSAMLProvider(t testing.TB) {
	t.Helper()
	k, err := e.issuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateSAMLProvider(e.rootCtx(), &iam.CreateSAMLProviderInput{Name: aws.String("TestIdP"),
		SAMLMetadataDocument: aws.String(k.samlMetadata("http://127.0.0.1/_iamlocal/saml/assertion"))}); err != nil {
		t.Fatal(err)
	}
}

func (e *Emulator) mintAssertion(t testing.TB, req *assertionRequest) string {
	t.Helper()
	k, err := e.issuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := k.samlResponse(req, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(doc)
}

func (e *Emulator) verifyAssertion(t testing.TB, response string) (*samlIdentity, error) {
	t.Helper()
	var id *samlIdentity
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		id, err = verifySAMLAssertion(tx, testSAMLProviderARN, response, e.clock.Now())
		return err
	})
	return id, err
}

// tamper decodes a minted response, replaces old with new and encodes it
// again.
func tamper(t testing.TB, response, old, new string) string {
	t.Helper()
	raw, _ := base64.StdEncoding.DecodeString(response)
	if !strings.Contains(string(raw), old) {
		t.Fatalf("the response does not contain %q", old)
	}
	return base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), old, new, 1)))
}

func TestVerifySAMLAssertion(t *testing.T) {
	e := newTest(t)
	e.addTestSAMLProvider(t)
	role := "arn:aws:iam::" + DefaultAccount + ":role/SAMLRole," + testSAMLProviderARN
	req := &assertionRequest{Subject: "alice@example.com", Attributes: map[string][]string{
		"Role": {role}, "RoleSessionName": {"alice"}, "department": {"eng & ops <1>"}}}
	response := e.mintAssertion(t, req)
	id, err := e.verifyAssertion(t, response)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if id.Subject != "alice@example.com" || id.SubjectType != "persistent" || id.Issuer != testIssuerEntityID ||
		id.Audience != samlAWSAudience || id.SessionName() != "alice" || len(id.Roles()) != 1 || id.Roles()[0] != role {
		t.Fatalf("identity=%+v, want alice, persistent, the test issuer, AWS's audience, the session name and the role", id)
	}
	if got, want := contextValue(id.ContextKeys, "saml:department"), "eng & ops <1>"; got != want {
		t.Fatalf("saml:department=%q, want %q", got, want)
	}
	if got := contextValue(id.ContextKeys, "saml:namequalifier"); len(got) != 28 {
		t.Fatalf("saml:namequalifier=%q, want a base64 SHA-1", got)
	}

	t.Run("TamperedSubject", func(t *testing.T) {
		_, err := e.verifyAssertion(t, tamper(t, response, "alice@example.com", "mallory@example.com"))
		wantErr(t, err, "InvalidIdentityToken", "Response signature invalid")
	})
	t.Run("TamperedRole", func(t *testing.T) {
		_, err := e.verifyAssertion(t, tamper(t, response, "role/SAMLRole", "role/Admin"))
		wantErr(t, err, "InvalidIdentityToken", "Response signature invalid")
	})
	t.Run("NotBase64XML", func(t *testing.T) {
		_, err := e.verifyAssertion(t, base64.StdEncoding.EncodeToString([]byte("<not-closed>")))
		wantErr(t, err, "InvalidIdentityToken", "Invalid SAML Response")
	})
	t.Run("SessionName", func(t *testing.T) {
		_, err := e.verifyAssertion(t, e.mintAssertion(t, &assertionRequest{Attributes: map[string][]string{"RoleSessionName": {"a b"}}}))
		wantErr(t, err, "InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
	})
	t.Run("UnknownProvider", func(t *testing.T) {
		var err error
		e.db.View(func(tx *store.Tx) error {
			_, err = verifySAMLAssertion(tx, "arn:aws:iam::"+DefaultAccount+":saml-provider/Other", response, e.clock.Now())
			return nil
		})
		wantErr(t, err, "InvalidIdentityToken", "Specified provider doesn't exist (Provider: arn:aws:iam::"+DefaultAccount+":saml-provider/Other)")
	})
	t.Run("Expired", func(t *testing.T) {
		if err := e.AdvanceClock(6 * time.Minute); err != nil {
			t.Fatal(err)
		}
		_, err := e.verifyAssertion(t, response)
		wantErr(t, err, "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance")
	})
}

// TestExclusiveC14N: namespace declarations move to where they are used,
// attributes sort by namespace then name, empty elements get end tags and
// comments go, as the W3C recommendation's examples show.
func TestExclusiveC14N(t *testing.T) {
	doc := `<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u"><!-- c --><a:e  z="1" b:y="2" a="3"/><b:f>x &amp; y &gt; z</b:f></a:root>`
	root, err := parseXML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := string(canonical(root, nil, nil))
	want := `<a:root xmlns:a="urn:a"><a:e xmlns:b="urn:b" a="3" z="1" b:y="2"></a:e><b:f xmlns:b="urn:b">x &amp; y &gt; z</b:f></a:root>`
	if got != want {
		t.Fatalf("c14n=\n%s\nwant\n%s", got, want)
	}
}

// FuzzParseXML: parsing and canonicalizing any input, as unsigned
// AssumeRoleWithSAML requests bring, neither panics nor nests past the
// bound, and canonical output parses back to the same canonical form.
func FuzzParseXML(f *testing.F) {
	f.Add([]byte(`<a:root xmlns:a="urn:a" xmlns:b="urn:b"><a:e z="1" b:y="2"/><b:f>x &amp; y</b:f></a:root>`))
	f.Add([]byte(`<x xmlns="urn:d"><y xmlns=""><!-- c --><?pi x?></y></x>`))
	f.Add([]byte(strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)))
	f.Fuzz(func(t *testing.T, doc []byte) {
		root, err := parseXML(doc)
		if err != nil {
			return
		}
		once := canonical(root, nil, nil)
		again, err := parseXML(once)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, once)
		}
		if twice := canonical(again, nil, nil); string(twice) != string(once) {
			t.Fatalf("canonicalization is not idempotent:\n%s\n%s", once, twice)
		}
	})
}
