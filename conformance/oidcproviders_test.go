package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const oidcARNPrefix = "arn:aws:iam::" + account + ":oidc-provider/"

func (tg *target) createOIDCProvider(t testing.TB, url string, clientIDs ...string) string {
	t.Helper()
	out, err := tg.iam().CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(url), ClientIDList: clientIDs})
	if err != nil {
		t.Fatalf("CreateOpenIDConnectProvider %s: %v", url, err)
	}
	return aws.ToString(out.OpenIDConnectProviderArn)
}

func TestJourneyOIDCProviders(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	thumb := strings.Repeat("b", 40)
	out := must[*iam.CreateOpenIDConnectProviderOutput](t)(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://oidc.example.com/path"), ClientIDList: []string{"client-1", "client-1"}, ThumbprintList: []string{thumb},
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}},
	}))
	arn := aws.ToString(out.OpenIDConnectProviderArn)
	if got, want := arn, oidcARNPrefix+"oidc.example.com/path"; got != want {
		t.Fatalf("arn=%q, want %q", got, want)
	}
	if len(out.Tags) != 1 {
		t.Fatalf("create tags=%+v, want env", out.Tags)
	}
	tg.createOIDCProvider(t, "https://other.example.com") // no thumbprints: optional since 2024

	get := must[*iam.GetOpenIDConnectProviderOutput](t)(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	if got, want := aws.ToString(get.Url), "oidc.example.com/path"; got != want {
		t.Fatalf("Url=%q, want %q (AWS drops the scheme)", got, want)
	}
	if !slices.Equal(get.ClientIDList, []string{"client-1"}) || !slices.Equal(get.ThumbprintList, []string{thumb}) || get.CreateDate == nil || len(get.Tags) != 1 {
		t.Fatalf("get=%+v, want client-1, one thumbprint, a date and a tag", get)
	}

	must[*iam.AddClientIDToOpenIDConnectProviderOutput](t)(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("client-2")}))
	must[*iam.AddClientIDToOpenIDConnectProviderOutput](t)(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("client-2")}))
	must[*iam.RemoveClientIDFromOpenIDConnectProviderOutput](t)(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("client-1")}))
	must[*iam.RemoveClientIDFromOpenIDConnectProviderOutput](t)(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("absent")}))
	newThumbs := []string{strings.Repeat("c", 40), strings.Repeat("d", 40)}
	must[*iam.UpdateOpenIDConnectProviderThumbprintOutput](t)(c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: newThumbs}))
	get = must[*iam.GetOpenIDConnectProviderOutput](t)(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	if !slices.Equal(get.ClientIDList, []string{"client-2"}) || !slices.Equal(get.ThumbprintList, newThumbs) {
		t.Fatalf("after updates clients=%v thumbprints=%v, want [client-2] and c…, d…", get.ClientIDList, get.ThumbprintList)
	}

	list := must[*iam.ListOpenIDConnectProvidersOutput](t)(c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}))
	var arns []string
	for _, p := range list.OpenIDConnectProviderList {
		arns = append(arns, aws.ToString(p.Arn))
	}
	if want := []string{arn, oidcARNPrefix + "other.example.com"}; !slices.Equal(arns, want) {
		t.Fatalf("list=%v, want %v", arns, want)
	}

	must[*iam.DeleteOpenIDConnectProviderOutput](t)(c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
	_, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
	wantAPIError(t, err, "NoSuchEntity", 404, "OpenIDConnect Provider not found for arn "+arn)
	_, err = c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
	wantAPIError(t, err, "NoSuchEntity", 404, "OpenId connect Provider "+arn+" cannot be found.")
}

func TestCreateOpenIDConnectProviderRefusals(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createOIDCProvider(t, "https://dup.example.com")
	cases := map[string]struct {
		in            iam.CreateOpenIDConnectProviderInput
		code, message string
		status        int
	}{
		"EntityAlreadyExists": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://dup.example.com")},
			"EntityAlreadyExists", "Provider with url https://dup.example.com already exists.", 409},
		"ValidationError/no-scheme": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("example.org")},
			"ValidationError", "Invalid Open ID Connect Provider URL", 400},
		"ValidationError/http": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://example.org")},
			"ValidationError", "Invalid Open ID Connect Provider URL", 400},
		"ValidationError/query": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://example.org/?a=b")},
			"ValidationError", "Invalid Open ID Connect Provider URL", 400},
		"InvalidInput": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://thumbs.example.com"), ThumbprintList: []string{
			strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40), strings.Repeat("d", 40), strings.Repeat("e", 40), strings.Repeat("f", 40)}},
			"InvalidInput", "Thumbprint list must contain fewer than 5 entries.", 400},
		"LimitExceeded": {iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://clients.example.com"), ClientIDList: numbered(101)},
			"LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100", 409},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.CreateOpenIDConnectProvider(ctx, &tc.in)
			wantAPIError(t, err, tc.code, tc.status, tc.message)
		})
	}
	t.Run("ValidationError/lengths", func(t *testing.T) {
		_, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(strings.Repeat("b", 256)),
			ThumbprintList: []string{strings.Repeat("b", 41)}, ClientIDList: []string{strings.Repeat("b", 256)}})
		wantAPIError(t, err, "ValidationError", 400, "3 validation errors detected: *")
	})
}

func numbered(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(i)
	}
	return out
}

func TestOIDCProviderClientIDQuota(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := tg.createOIDCProvider(t, "https://q.example.com", numbered(100)...)
	_, err := c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("one-more")})
	wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
	_, err = c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: numberedThumbprints(6)})
	wantAPIError(t, err, "InvalidInput", 400, "Thumbprint list must contain fewer than 5 entries.")
}

func numberedThumbprints(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat(fmt.Sprint(i%10), 40)
	}
	return out
}

func TestOIDCProvidersQuota(t *testing.T) {
	tg := newTarget(t)
	for i := range 100 {
		tg.createOIDCProvider(t, fmt.Sprintf("https://p%d.example.com", i))
	}
	_, err := tg.iam().CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://p100.example.com")})
	wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100")
}

func TestOIDCProviderTags(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := tg.createOIDCProvider(t, "https://tags.example.com")
	tags := make([]types.Tag, 10)
	for i := range tags {
		tags[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String(fmt.Sprint("v", i))}
	}
	must[*iam.TagOpenIDConnectProviderOutput](t)(c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, Tags: tags}))
	must[*iam.UntagOpenIDConnectProviderOutput](t)(c.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, TagKeys: []string{"K00", "absent"}}))
	page := must[*iam.ListOpenIDConnectProviderTagsOutput](t)(c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: &arn, MaxItems: aws.Int32(4)}))
	if len(page.Tags) != 4 || !page.IsTruncated || page.Marker == nil {
		t.Fatalf("first page=%d tags truncated=%v, want 4 and a marker", len(page.Tags), page.IsTruncated)
	}
	page = must[*iam.ListOpenIDConnectProviderTagsOutput](t)(c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: &arn, Marker: page.Marker}))
	if got, want := len(page.Tags), 5; got != want || page.IsTruncated || page.Marker != nil {
		t.Fatalf("last page=%d tags truncated=%v, want %d and no marker", got, page.IsTruncated, want)
	}

	t.Run("LimitExceeded", func(t *testing.T) {
		many := make([]types.Tag, 50)
		for i := range many {
			many[i] = types.Tag{Key: aws.String(fmt.Sprintf("m%02d", i)), Value: aws.String("v")}
		}
		_, err := c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, Tags: many})
		wantAPIError(t, err, "LimitExceeded", 409, "The number of tags has reached the maximum limit.")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		_, err := c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn,
			Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}})
		wantAPIError(t, err, "InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	})
}

func TestOIDCProviderActionsOnMissing(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := oidcARNPrefix + "non-existent.example.com"
	notFound := "OpenIDConnect Provider not found for arn " + arn
	calls := map[string]func() error{
		"Get": func() error {
			_, err := c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
			return err
		},
		"AddClientID": func() error {
			_, err := c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("x")})
			return err
		},
		"RemoveClientID": func() error {
			_, err := c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, ClientID: aws.String("x")})
			return err
		},
		"UpdateThumbprint": func() error {
			_, err := c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: &arn, ThumbprintList: []string{strings.Repeat("a", 40)}})
			return err
		},
		"Tag": func() error {
			_, err := c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
		"ListTags": func() error {
			_, err := c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: &arn})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { wantAPIError(t, call(), "NoSuchEntity", 404, notFound) })
	}
}

// TestOIDCProviderEnforced: a user needs the permission on the provider's
// ARN, and tag conditions apply to it.
func TestOIDCProviderEnforced(t *testing.T) {
	tg := newTarget(t)
	arn := tg.createOIDCProvider(t, "https://enforced.example.com")
	tg.createUser(t, "alice")
	id, secret := tg.createKey(t, "alice")
	alice, _ := tg.as(id, secret, "")
	_, err := alice.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn})
	wantAPIError(t, err, "AccessDenied", 403, "User: arn:aws:iam::"+account+":user/alice is not authorized to perform: iam:GetOpenIDConnectProvider on resource: "+arn+" because no identity-based policy allows the iam:GetOpenIDConnectProvider action")
	tg.allow(t, "alice", "iam:GetOpenIDConnectProvider")
	must[*iam.GetOpenIDConnectProviderOutput](t)(alice.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: &arn}))
}
