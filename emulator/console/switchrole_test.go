package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

const (
	assumeAny = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`
	trustMFA  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole",
 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	// mfaOnly allows IAM reads only to MFA-authenticated callers.
	mfaOnly = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*",
 "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
)

// role makes role name with trust policy trust and, in policy, an inline
// policy.
func (s *testServer) role(t testing.TB, name, trust, policy string) {
	t.Helper()
	must(s.e.CreateRole(root(), &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	must(s.e.PutRolePolicy(root(), &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}))(t)
}

// TestSwitchRole: a user who may only assume roles switches to one that
// may list users; the header shows the display name and account, the
// pages act as the role session, and switch back returns to the user.
func TestSwitchRole(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"assume": assumeAny})
	s.role(t, "admin", trustAccount, allowAll)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.get("/console/iam/users")
	b.wantText("not authorized to perform: iam:ListUsers")

	b.get("/console/switchrole?account=123456789012&roleName=admin&displayName=Admin")
	b.post("/console/switchrole", url.Values{"account": {account}, "roleName": {"admin"}, "displayName": {"Prod admin"}})
	b.wantText("Prod admin @ 123456789012 Switch back to taro")
	b.wantText("arn:aws:sts::123456789012:assumed-role/admin/taro")
	b.get("/console/iam/users")
	b.wantText("Users User name Path Created Console last sign-in taro")

	b.post("/console/switchback", url.Values{})
	b.wantText("taro @ 123456789012")
	b.wantText("arn:aws:iam::123456789012:user/taro")
	b.get("/console/iam/users")
	b.wantText("not authorized to perform: iam:ListUsers")
}

// TestSwitchRoleDenied: a switch the trust policy refuses (it requires
// MFA, the user signed in without) shows the AWS console's text with
// AssumeRole's AccessDenied, and the pages still act as the user; an
// unknown account alias shows the console's text alone.
func TestSwitchRoleDenied(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"assume": assumeAny})
	s.role(t, "admin", trustMFA, allowAll)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.get("/console/switchrole")

	t.Run("AccessDenied", func(t *testing.T) {
		b := b.in(t)
		b.post("/console/switchrole", url.Values{"account": {account}, "roleName": {"admin"}})
		if got, want := b.status, http.StatusForbidden; got != want {
			t.Fatalf("status %d, want %d", got, want)
		}
		b.wantText("Invalid information in one or more fields. Check your information or contact your administrator. AccessDenied User: arn:aws:iam::123456789012:user/taro is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin")
		b.wantText("taro @ 123456789012")
	})
	t.Run("UnknownAlias", func(t *testing.T) {
		b := b.in(t)
		b.post("/console/switchrole", url.Values{"account": {"no-such-alias"}, "roleName": {"admin"}})
		if got, want := b.status, http.StatusBadRequest; got != want {
			t.Fatalf("status %d, want %d", got, want)
		}
		b.wantText("Invalid information in one or more fields.")
	})
	b.get("/console/home")
	b.wantText("arn:aws:iam::123456789012:user/taro")
}

// in is the browser reporting to t (a subtest's).
func (b *browser) in(t testing.TB) *browser {
	c := *b
	c.t = t
	return &c
}

// TestSwitchRoleWithMFA: a user who signed in with MFA switches to a role
// whose trust policy requires MFA without entering a code again, as in
// AWS's console, and the role session is MFA-authenticated too.
func TestSwitchRoleWithMFA(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"assume": assumeAny})
	s.role(t, "admin", trustMFA, mfaOnly)
	_, seed := s.mfaDevice(t, "taro")
	must(s.e.CreateAccountAlias(root(), &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}))(t)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	b.post("/console/mfa", url.Values{"code": {code(t, seed, s.e.Clock().Now())}})
	b.get("/console/switchrole")
	b.post("/console/switchrole", url.Values{"account": {"example-corp"}, "roleName": {"admin"}})
	b.wantText("admin @ 123456789012")
	b.wantText("arn:aws:sts::123456789012:assumed-role/admin/taro")
	b.wantText("Signed in with MFA")
	b.get("/console/iam/roles")
	b.wantText("Roles Role name Description Created admin")
}
