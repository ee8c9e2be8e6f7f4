package emulator

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

// samlIdentity is what a verified SAML assertion says.
type samlIdentity struct {
	Provider      *store.SAMLProvider
	Subject       string // NameID
	SubjectType   string // persistent, transient, or the whole Format
	Issuer        string
	Audience      string // the SubjectConfirmationData Recipient, else the Audience
	NameQualifier string
	Attributes    map[string][]string // by full name
	ContextKeys   []requestKey        // saml:sub, saml:sub_type, saml:iss, saml:aud, saml:namequalifier, saml:doc, …
}

// Roles are the Role attribute's "role-arn,provider-arn" pairs.
func (s *samlIdentity) Roles() []string { return s.Attributes[samlAWSAttributes+"Role"] }

// SessionName is the RoleSessionName attribute.
func (s *samlIdentity) SessionName() string {
	if v := s.Attributes[samlAWSAttributes+"RoleSessionName"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

var samlSessionNamePattern = regexp.MustCompile(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

// samlProviderOf is the account and name a SAML provider ARN gives.
func samlProviderOf(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return "", "", false
	}
	name, ok = strings.CutPrefix(parts[5], "saml-provider/")
	return parts[4], name, ok && name != ""
}

// verifySAMLAssertion checks a base64 SAMLResponse as STS does for
// AssumeRoleWithSAML: the provider providerARN names must exist, the
// assertion (or the Response around it) must be signed by a certificate of
// the provider's metadata, and its conditions must hold at now. Only the
// element whose signature verified is read.
func verifySAMLAssertion(tx *store.Tx, providerARN, response string, now time.Time) (*samlIdentity, error) {
	account, name, ok := samlProviderOf(providerARN)
	if !ok {
		return nil, samlProviderUnknown(providerARN)
	}
	p, err := tx.SAMLProvider(account, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, samlProviderUnknown(providerARN)
	} else if err != nil {
		return nil, err
	}
	meta, err := parseSAMLMetadata(p.Metadata)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(response), ""))
	if err != nil {
		return nil, samlResponseInvalid()
	}
	root, err := parseXML(raw)
	if err != nil {
		return nil, samlResponseInvalid()
	}
	assertion := root
	if root.is(nsSAMLProtocol, "Response") {
		assertion = root.child(nsSAMLAssert, "Assertion")
	}
	if assertion == nil || !assertion.is(nsSAMLAssert, "Assertion") {
		return nil, samlResponseInvalid()
	}
	if verifyEnveloped(assertion, meta.Certs) != nil && (root == assertion || verifyEnveloped(root, meta.Certs) != nil) {
		return nil, samlSignatureInvalid()
	}
	if err := checkSAMLTimes(assertion, now); err != nil {
		return nil, err
	}
	id := readSAMLIdentity(assertion)
	id.Provider = p
	if !samlSessionNamePattern.MatchString(id.SessionName()) {
		return nil, samlSessionNameInvalid()
	}
	sum := sha1.Sum([]byte(id.Issuer + account + "/" + p.Name))
	id.NameQualifier = base64.StdEncoding.EncodeToString(sum[:])
	id.ContextKeys = []requestKey{
		{"saml:sub", []string{id.Subject}}, {"saml:sub_type", []string{id.SubjectType}},
		{"saml:iss", []string{id.Issuer}}, {"saml:aud", []string{id.Audience}},
		{"saml:namequalifier", []string{id.NameQualifier}}, {"saml:doc", []string{account + "/" + p.Name}},
	}
	for full, values := range id.Attributes {
		if !strings.Contains(full, ":") {
			id.ContextKeys = append(id.ContextKeys, requestKey{"saml:" + full, values})
		}
	}
	return id, nil
}

// checkSAMLTimes holds the Conditions window and the bearer confirmation's
// NotOnOrAfter against the emulator clock.
func checkSAMLTimes(a *xmlNode, now time.Time) error {
	var limits []string
	cond := a.child(nsSAMLAssert, "Conditions")
	if cond != nil {
		if nb, err := time.Parse(time.RFC3339, cond.attr("NotBefore")); err == nil && now.Before(nb) {
			return samlResponseInvalid()
		}
		limits = append(limits, cond.attr("NotOnOrAfter"))
	}
	if s := a.child(nsSAMLAssert, "Subject"); s != nil {
		if sc := s.child(nsSAMLAssert, "SubjectConfirmation"); sc != nil {
			limits = append(limits, sc.child(nsSAMLAssert, "SubjectConfirmationData").attrOrEmpty("NotOnOrAfter"))
		}
	}
	for _, l := range limits {
		if t, err := time.Parse(time.RFC3339, l); err == nil && !now.Before(t) {
			return samlAssertionExpired()
		}
	}
	return nil
}

func readSAMLIdentity(a *xmlNode) *samlIdentity {
	id := &samlIdentity{Issuer: a.child(nsSAMLAssert, "Issuer").text(), Attributes: map[string][]string{}}
	if s := a.child(nsSAMLAssert, "Subject"); s != nil {
		nameID := s.child(nsSAMLAssert, "NameID")
		id.Subject = nameID.text()
		format := nameID.attrOrEmpty("Format")
		id.SubjectType = format
		if i := strings.LastIndex(format, ":nameid-format:"); i >= 0 {
			id.SubjectType = format[i+len(":nameid-format:"):]
		}
		if sc := s.child(nsSAMLAssert, "SubjectConfirmation"); sc != nil {
			id.Audience = sc.child(nsSAMLAssert, "SubjectConfirmationData").attrOrEmpty("Recipient")
		}
	}
	if id.Audience == "" {
		if cond := a.child(nsSAMLAssert, "Conditions"); cond != nil {
			if ar := cond.child(nsSAMLAssert, "AudienceRestriction"); ar != nil {
				id.Audience = ar.child(nsSAMLAssert, "Audience").text()
			}
		}
	}
	for _, st := range a.childrenNamed(nsSAMLAssert, "AttributeStatement") {
		for _, at := range st.childrenNamed(nsSAMLAssert, "Attribute") {
			for _, v := range at.childrenNamed(nsSAMLAssert, "AttributeValue") {
				id.Attributes[at.attr("Name")] = append(id.Attributes[at.attr("Name")], v.text())
			}
		}
	}
	return id
}
