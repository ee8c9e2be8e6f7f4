package conformance

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const samlARNPrefix = "arn:aws:iam::" + account + ":saml-provider/"

// samlMetadata is an identity provider's metadata document with a fresh
// signing certificate; validUntil is left out when empty.
func samlMetadata(t testing.TB, entityID, validUntil string) string {
	t.Helper()
	cert := newCert(t, ecKey(t), time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), false, nil)
	attr := ""
	if validUntil != "" {
		attr = ` validUntil="` + validUntil + `"`
	}
	return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entityID + `"` + attr + `>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(cert.cert.Raw) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`
}

func (tg *target) createSAMLProvider(t testing.TB, name, doc string) string {
	t.Helper()
	out, err := tg.iam().CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String(name), SAMLMetadataDocument: aws.String(doc)})
	if err != nil {
		t.Fatalf("CreateSAMLProvider %s: %v", name, err)
	}
	return aws.ToString(out.SAMLProviderArn)
}

func TestJourneySAMLProviders(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	doc := samlMetadata(t, "https://test-idp.example.com", "2035-01-02T03:04:05Z")
	out := must[*iam.CreateSAMLProviderOutput](t)(c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Corp"),
		SAMLMetadataDocument: aws.String(doc), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}))
	arn := aws.ToString(out.SAMLProviderArn)
	if got, want := arn, samlARNPrefix+"Corp"; got != want {
		t.Fatalf("arn=%q, want %q", got, want)
	}
	get := must[*iam.GetSAMLProviderOutput](t)(c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: &arn}))
	if aws.ToString(get.SAMLMetadataDocument) != doc || get.CreateDate == nil || len(get.Tags) != 1 ||
		get.AssertionEncryptionMode != types.AssertionEncryptionModeTypeAllowed || len(aws.ToString(get.SAMLProviderUUID)) < 22 {
		t.Fatalf("get=%+v, want the document, a date, one tag, mode Allowed and a UUID", get)
	}
	if got, want := get.ValidUntil.UTC().Format(time.RFC3339), "2035-01-02T03:04:05Z"; got != want {
		t.Fatalf("ValidUntil=%s, want the metadata's %s", got, want)
	}

	updated := samlMetadata(t, "https://updated-idp.example.com", "")
	upd := must[*iam.UpdateSAMLProviderOutput](t)(c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: &arn, SAMLMetadataDocument: aws.String(updated)}))
	if got := aws.ToString(upd.SAMLProviderArn); got != arn {
		t.Fatalf("update arn=%q, want %q", got, arn)
	}
	get = must[*iam.GetSAMLProviderOutput](t)(c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: &arn}))
	if !strings.Contains(aws.ToString(get.SAMLMetadataDocument), "updated-idp.example.com") {
		t.Fatalf("document after update does not name updated-idp")
	}

	list := must[*iam.ListSAMLProvidersOutput](t)(c.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{}))
	if len(list.SAMLProviderList) != 1 || aws.ToString(list.SAMLProviderList[0].Arn) != arn || list.SAMLProviderList[0].ValidUntil == nil || list.SAMLProviderList[0].CreateDate == nil {
		t.Fatalf("list=%+v, want %s with dates", list.SAMLProviderList, arn)
	}

	must[*iam.TagSAMLProviderOutput](t)(c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: &arn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}}))
	must[*iam.UntagSAMLProviderOutput](t)(c.UntagSAMLProvider(ctx, &iam.UntagSAMLProviderInput{SAMLProviderArn: &arn, TagKeys: []string{"ENV"}}))
	tags := must[*iam.ListSAMLProviderTagsOutput](t)(c.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: &arn}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Fatalf("tags=%+v, want team alone", tags.Tags)
	}

	summary := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	tg.createOIDCProvider(t, "https://summary.example.com")
	before := summary.SummaryMap["Providers"]
	summary = must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	if got, want := summary.SummaryMap["Providers"], before+1; before != 1 || got != want {
		t.Fatalf("Providers=%d then %d, want 1 then 2 (SAML and OIDC count)", before, got)
	}

	must[*iam.DeleteSAMLProviderOutput](t)(c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: &arn}))
	_, err := c.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: &arn})
	wantAPIError(t, err, "NoSuchEntity", 404, "Manifest not found for arn "+arn)
	_, err = c.DeleteSAMLProvider(ctx, &iam.DeleteSAMLProviderInput{SAMLProviderArn: &arn})
	wantAPIError(t, err, "NoSuchEntity", 404, "Manifest not found for arn "+arn)
}

func TestCreateSAMLProviderRefusals(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	good := samlMetadata(t, "https://idp.example.com", "")
	tg.createSAMLProvider(t, "Dup", good)
	pad := strings.Repeat(" ", 1000) // the model wants at least 1000 characters
	cases := map[string]struct {
		name, doc, code, message string
		status                   int
	}{
		"EntityAlreadyExists":  {"DUP", good, "EntityAlreadyExists", "SAMLProvider DUP already exists.", 409},
		"InvalidInput/not-xml": {"a", "not xml" + pad, "InvalidInput", "Could not parse metadata", 400},
		"InvalidInput/no-certificate": {"b", `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor/></md:EntityDescriptor>` + pad,
			"InvalidInput", "Could not parse metadata", 400},
		"InvalidInput/not-metadata": {"c", `<EntityDescriptor entityID="x"/>` + pad, "InvalidInput", "Could not parse metadata", 400},
		"ValidationError/name": {"bad name", good, "ValidationError",
			"1 validation error detected: Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w._-]+", 400},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String(tc.name), SAMLMetadataDocument: aws.String(tc.doc)})
			wantAPIError(t, err, tc.code, tc.status, tc.message)
		})
	}
}

func TestSAMLProviderActionsOnMissing(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := samlARNPrefix + "NonExistentProvider"
	doc := samlMetadata(t, "https://idp.example.com", "")
	calls := map[string]func() error{
		"Update": func() error {
			_, err := c.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: &arn, SAMLMetadataDocument: &doc})
			return err
		},
		"Tag": func() error {
			_, err := c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: &arn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
		"Untag": func() error {
			_, err := c.UntagSAMLProvider(ctx, &iam.UntagSAMLProviderInput{SAMLProviderArn: &arn, TagKeys: []string{"k"}})
			return err
		},
		"ListTags": func() error {
			_, err := c.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: &arn})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { wantAPIError(t, call(), "NoSuchEntity", 404, "Manifest not found for arn "+arn) })
	}
	t.Run("LimitExceeded/tags", func(t *testing.T) {
		arn := tg.createSAMLProvider(t, "Tagged", doc)
		many := make([]types.Tag, 51)
		for i := range many {
			many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
		}
		_, err := c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: &arn, Tags: many[:50]})
		if err != nil {
			t.Fatalf("50 tags: %v", err)
		}
		_, err = c.TagSAMLProvider(ctx, &iam.TagSAMLProviderInput{SAMLProviderArn: &arn, Tags: many[50:]})
		wantAPIError(t, err, "LimitExceeded", 409, "The number of tags has reached the maximum limit.")
	})
}
