package conformance

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const githubIssuer = "https://token.actions.githubusercontent.com"

// githubRole makes a role that GitHub Actions runs of repo org/app may
// assume, in the style of GitHub's and AWS's documentation.
func (tg *target) githubRole(t testing.TB, name string) string {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"arn:aws:iam::` + account + `:oidc-provider/token.actions.githubusercontent.com"},
		"Action":"sts:AssumeRoleWithWebIdentity",
		"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
			"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/app:*"}}}]}`
	out, err := tg.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return aws.ToString(out.Role.Arn)
}

// anonymousSTS is an STS client without credentials, as a workload with
// only a web identity token has.
func (tg *target) anonymousSTS() *sts.Client {
	return sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(tg.URL), RetryMaxAttempts: 1})
}

// TestJourneyWebIdentity: a token minted by the test issuer for
// GitHub's issuer, a GitHub OIDC provider and a GitHub-style role give
// credentials that work; what the trust policy, the audience and the
// clock refuse is refused as on AWS.
func TestJourneyWebIdentity(t *testing.T) {
	tg := newTarget(t)
	providerARN := tg.createOIDCProvider(t, githubIssuer, "sts.amazonaws.com")
	roleARN := tg.githubRole(t, "deploy")
	token := tg.mintToken(t, map[string]any{"iss": githubIssuer, "sub": "repo:org/app:ref:refs/heads/main", "repository": "org/app"})
	anon := tg.anonymousSTS()

	out, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
		RoleSessionName: aws.String("gha-run-1"), WebIdentityToken: aws.String(token)})
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity: %v", err)
	}
	if got, want := aws.ToString(out.SubjectFromWebIdentityToken), "repo:org/app:ref:refs/heads/main"; got != want {
		t.Fatalf("SubjectFromWebIdentityToken=%q, want %q", got, want)
	}
	if aws.ToString(out.Provider) != providerARN || aws.ToString(out.Audience) != "sts.amazonaws.com" {
		t.Fatalf("Provider=%q Audience=%q, want %q and sts.amazonaws.com", aws.ToString(out.Provider), aws.ToString(out.Audience), providerARN)
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+account+":assumed-role/deploy/gha-run-1"; got != want {
		t.Fatalf("AssumedRoleUser=%q, want %q", got, want)
	}
	cr := out.Credentials
	if !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") {
		t.Fatalf("AccessKeyId=%q, want ASIA…", aws.ToString(cr.AccessKeyId))
	}
	_, session := tg.as(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	who := must[*sts.GetCallerIdentityOutput](t)(session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), "arn:aws:sts::"+account+":assumed-role/deploy/gha-run-1"; got != want {
		t.Fatalf("GetCallerIdentity=%q, want %q", got, want)
	}

	t.Run("AccessDenied/sub", func(t *testing.T) {
		other := tg.mintToken(t, map[string]any{"iss": githubIssuer, "sub": "repo:someone/else:ref:refs/heads/main"})
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("run"), WebIdentityToken: aws.String(other)})
		wantAPIError(t, err, "AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	})
	t.Run("AccessDenied/no-role", func(t *testing.T) {
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/absent"),
			RoleSessionName: aws.String("run"), WebIdentityToken: aws.String(token)})
		wantAPIError(t, err, "AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	})
	t.Run("InvalidIdentityToken/audience", func(t *testing.T) {
		wrong := tg.mintToken(t, map[string]any{"iss": githubIssuer, "aud": "someone-else", "sub": "repo:org/app:ref:refs/heads/main"})
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("run"), WebIdentityToken: aws.String(wrong)})
		wantAPIError(t, err, "InvalidIdentityToken", 400, "Incorrect token audience")
	})
	t.Run("InvalidIdentityToken/provider", func(t *testing.T) {
		unknown := tg.mintToken(t, map[string]any{"iss": "https://gitlab.example.com"})
		_, err := anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("run"), WebIdentityToken: aws.String(unknown)})
		wantAPIError(t, err, "InvalidIdentityToken", 400, "No OpenIDConnect provider found in your account for https://gitlab.example.com")
	})
	t.Run("ExpiredTokenException", func(t *testing.T) {
		resp, err := http.Post(tg.URL+"/_iamlocal/clock?advance=2h", "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, err = anon.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(roleARN),
			RoleSessionName: aws.String("run"), WebIdentityToken: aws.String(token)})
		wantAPIError(t, err, "ExpiredTokenException", 400, "Token expired: current date/time *")
	})
}

// TestJourneySAMLFederation: the test issuer's metadata makes a SAML
// provider, and its assertion assumes a role that trusts the provider.
func TestJourneySAMLFederation(t *testing.T) {
	tg := newTarget(t)
	resp, err := http.Get(tg.URL + "/_iamlocal/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	var meta strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		meta.Write(buf[:n])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	providerARN := tg.createSAMLProvider(t, "TestIdP", meta.String())
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + providerARN + `"},
		"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
	role := must[*iam.CreateRoleOutput](t)(tg.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("saml-role"), AssumeRolePolicyDocument: aws.String(trust)}))
	roleARN := aws.ToString(role.Role.Arn)
	var minted struct{ SAMLResponse string }
	tg.adminJSON(t, "POST", "/_iamlocal/saml/assertion", map[string]any{"subject": "alice",
		"attributes": map[string][]string{"Role": {roleARN + "," + providerARN}, "RoleSessionName": {"alice"}}}, &minted)
	anon := tg.anonymousSTS()
	out, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN), PrincipalArn: aws.String(providerARN), SAMLAssertion: aws.String(minted.SAMLResponse)})
	if err != nil {
		t.Fatalf("AssumeRoleWithSAML: %v", err)
	}
	if aws.ToString(out.Subject) != "alice" || aws.ToString(out.SubjectType) != "persistent" || aws.ToString(out.Issuer) != "https://iamlocal.localhost/saml" ||
		aws.ToString(out.Audience) != "https://signin.aws.amazon.com/saml" || aws.ToString(out.NameQualifier) == "" {
		t.Fatalf("out=%+v, want alice, persistent, the test issuer, AWS's audience and a NameQualifier", out)
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+account+":assumed-role/saml-role/alice"; got != want {
		t.Fatalf("AssumedRoleUser=%q, want %q", got, want)
	}

	t.Run("AccessDenied/role-not-in-assertion", func(t *testing.T) {
		must[*iam.CreateRoleOutput](t)(tg.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("other"), AssumeRolePolicyDocument: aws.String(trust)}))
		_, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/other"),
			PrincipalArn: aws.String(providerARN), SAMLAssertion: aws.String(minted.SAMLResponse)})
		wantAPIError(t, err, "AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithSAML")
	})
	t.Run("InvalidIdentityToken/signature", func(t *testing.T) {
		raw, _ := base64.StdEncoding.DecodeString(minted.SAMLResponse)
		forged := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), ">alice</saml:NameID>", ">mallory</saml:NameID>", 1)))
		_, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: aws.String(roleARN),
			PrincipalArn: aws.String(providerARN), SAMLAssertion: aws.String(forged)})
		wantAPIError(t, err, "InvalidIdentityToken", 400, "Response signature invalid")
	})
}
