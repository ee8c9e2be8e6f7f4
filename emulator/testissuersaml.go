package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

const (
	// samlAWSAudience is the audience and recipient AWS expects of
	// assertions for AssumeRoleWithSAML and console sign-in.
	samlAWSAudience = "https://signin.aws.amazon.com/saml"
	// samlAWSAttributes prefixes AWS's SAML attribute names (Role,
	// RoleSessionName, SessionDuration, PrincipalTag:…, SourceIdentity).
	samlAWSAttributes   = "https://aws.amazon.com/SAML/Attributes/"
	samlNameIDFormat    = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
	testAssertionWindow = 5 * time.Minute
)

// samlMetadataDoc answers the test issuer's IdP metadata, with its signing
// certificate: the document to give CreateSAMLProvider.
func (e *Emulator) samlMetadataDoc(w http.ResponseWriter, r *http.Request) {
	k, err := e.issuerKeys()
	if err != nil {
		e.adminFailure(w, "test issuer key", err)
		return
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	w.Write([]byte(k.samlMetadata(adminBase(r) + "/saml/assertion")))
}

// samlMetadata is the issuer's IdP metadata document; ssoURL is where it
// mints assertions.
func (k *issuerKeys) samlMetadata(ssoURL string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + testIssuerEntityID + `">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>` + base64.StdEncoding.EncodeToString(k.cert.Raw) + `</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + escapeAttr(ssoURL) + `"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
}

// assertionRequest is the JSON body of POST /_iamlocal/saml/assertion.
// AWS's attribute names may be given short (Role becomes
// https://aws.amazon.com/SAML/Attributes/Role); others are used as given.
type assertionRequest struct {
	Subject     string              `json:"subject"`
	SubjectType string              `json:"subjectType"` // persistent, transient, …
	Issuer      string              `json:"issuer"`
	Audience    string              `json:"audience"`
	Attributes  map[string][]string `json:"attributes"`
}

// mintSAMLAssertion answers {"samlResponse": …}: a base64 SAML 2.0
// Response holding one assertion signed by the test issuer, valid for five
// minutes on the emulator clock, what AssumeRoleWithSAML takes.
func (e *Emulator) mintSAMLAssertion(w http.ResponseWriter, r *http.Request) {
	var req assertionRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil && r.ContentLength != 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "the body must be a JSON object: subject, subjectType, issuer, audience, attributes"})
		return
	}
	k, err := e.issuerKeys()
	if err != nil {
		e.adminFailure(w, "test issuer key", err)
		return
	}
	doc, err := k.samlResponse(&req, e.clock.Now())
	if err != nil {
		e.adminFailure(w, "signing an assertion", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"samlResponse": base64.StdEncoding.EncodeToString(doc)})
}

func samlID() string {
	var b [16]byte
	rand.Read(b[:])
	return "_" + hex.EncodeToString(b[:])
}

func samlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// samlResponse builds and signs the Response for req at now. The assertion
// is written in canonical form already, so its digest is over the bytes
// sent; the signature is the enveloped kind verifyEnveloped checks.
func (k *issuerKeys) samlResponse(req *assertionRequest, now time.Time) ([]byte, error) {
	issuer := orDefault(req.Issuer, testIssuerEntityID)
	audience := orDefault(req.Audience, samlAWSAudience)
	id, until := samlID(), samlTime(now.Add(testAssertionWindow))
	var attrs strings.Builder
	for _, name := range slices.Sorted(maps.Keys(req.Attributes)) {
		full := name
		if isAWSSAMLAttribute(name) {
			full = samlAWSAttributes + name
		}
		attrs.WriteString(`<saml:Attribute Name="` + escapeAttr(full) + `">`)
		for _, v := range req.Attributes[name] {
			attrs.WriteString(`<saml:AttributeValue>` + escapeText(v) + `</saml:AttributeValue>`)
		}
		attrs.WriteString(`</saml:Attribute>`)
	}
	head := `<saml:Assertion xmlns:saml="` + nsSAMLAssert + `" ID="` + id + `" IssueInstant="` + samlTime(now) + `" Version="2.0">` +
		`<saml:Issuer>` + escapeText(issuer) + `</saml:Issuer>`
	body := `<saml:Subject><saml:NameID Format="` + escapeAttr(samlNameIDFormat+orDefault(req.SubjectType, "persistent")) + `">` +
		escapeText(orDefault(req.Subject, "iamlocal-test-user")) + `</saml:NameID>` +
		`<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="` + until +
		`" Recipient="` + escapeAttr(audience) + `"></saml:SubjectConfirmationData></saml:SubjectConfirmation></saml:Subject>` +
		`<saml:Conditions NotBefore="` + samlTime(now) + `" NotOnOrAfter="` + until + `"><saml:AudienceRestriction><saml:Audience>` +
		escapeText(audience) + `</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
		`<saml:AuthnStatement AuthnInstant="` + samlTime(now) + `"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
		`<saml:AttributeStatement>` + attrs.String() + `</saml:AttributeStatement></saml:Assertion>`
	unsigned, err := parseXML([]byte(head + body))
	if err != nil {
		return nil, err
	}
	digestValue := base64.StdEncoding.EncodeToString(digest(crypto.SHA256, canonical(unsigned, nil, nil)))
	signedInfo := `<ds:SignedInfo xmlns:ds="` + nsDSig + `"><ds:CanonicalizationMethod Algorithm="` + algExcC14N + `"></ds:CanonicalizationMethod>` +
		`<ds:SignatureMethod Algorithm="` + algRSASHA256 + `"></ds:SignatureMethod><ds:Reference URI="#` + id + `"><ds:Transforms>` +
		`<ds:Transform Algorithm="` + algEnveloped + `"></ds:Transform><ds:Transform Algorithm="` + algExcC14N + `"></ds:Transform></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + algSHA256 + `"></ds:DigestMethod><ds:DigestValue>` + digestValue + `</ds:DigestValue></ds:Reference></ds:SignedInfo>`
	info, err := parseXML([]byte(signedInfo))
	if err != nil {
		return nil, err
	}
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, digest(crypto.SHA256, canonical(info, nil, nil)))
	if err != nil {
		return nil, err
	}
	signature := `<ds:Signature xmlns:ds="` + nsDSig + `">` + strings.Replace(signedInfo, ` xmlns:ds="`+nsDSig+`"`, "", 1) +
		`<ds:SignatureValue>` + base64.StdEncoding.EncodeToString(sig) + `</ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(k.cert.Raw) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
	return []byte(`<samlp:Response xmlns:samlp="` + nsSAMLProtocol + `" Destination="` + escapeAttr(audience) + `" ID="` + samlID() +
		`" IssueInstant="` + samlTime(now) + `" Version="2.0"><saml:Issuer xmlns:saml="` + nsSAMLAssert + `">` + escapeText(issuer) +
		`</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></samlp:StatusCode></samlp:Status>` +
		head + signature + body + `</samlp:Response>`), nil
}

// isAWSSAMLAttribute reports whether name is one of AWS's SAML attributes
// in short form.
func isAWSSAMLAttribute(name string) bool {
	switch name {
	case "Role", "RoleSessionName", "SessionDuration", "SourceIdentity", "TransitiveTagKeys":
		return true
	}
	return strings.HasPrefix(name, "PrincipalTag:")
}
