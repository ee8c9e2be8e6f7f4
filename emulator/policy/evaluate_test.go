package policy

import "testing"

const acct = "123456789012"

func compiled(t testing.TB, id, doc string) *Compiled {
	t.Helper()
	return Compile(id, mustParse(t, doc))
}

func aliceRequest(action, resource string, c ctx) *Request {
	if c == nil {
		c = ctx{}
	}
	c["aws:username"] = []string{"alice"}
	return &Request{Action: action, Resource: resource, Context: c,
		Principal: Caller{Type: "AWS", ID: "arn:aws:iam::" + acct + ":user/alice", Account: acct}}
}

func wantDecision(t testing.TB, got Decision, allowed bool, reason Reason, policy, statement string) {
	t.Helper()
	if got.Allowed != allowed || got.Reason != reason || got.Policy != policy || got.Statement != statement {
		t.Fatalf("decision = %+v (%v), want allowed=%v reason=%v policy=%q statement=%q",
			got, got.Reason, allowed, reason, policy, statement)
	}
}

const allowGetUser = `{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"IAM:GetUser","Resource":"*"}}`

func TestEvaluateNothingAllows(t *testing.T) {
	got := Evaluate(aliceRequest("iam:CreateUser", "arn:aws:iam::123456789012:user/bob", nil), &PolicySet{})
	wantDecision(t, got, false, DeniedNoIdentityAllow, "", "")
}

func TestEvaluateRootIsAllowed(t *testing.T) {
	deny := compiled(t, "deny", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)
	req := &Request{Action: "iam:CreateUser", Resource: "*", Root: true}
	got := Evaluate(req, &PolicySet{Identity: []*Compiled{deny}})
	wantDecision(t, got, true, AllowedAsRoot, "", "")
}

func TestEvaluateIdentityAllows(t *testing.T) {
	p := compiled(t, "arn:aws:iam::123456789012:policy/read", allowGetUser)
	got := Evaluate(aliceRequest("iam:getuser", "arn:aws:iam::123456789012:user/bob", nil), &PolicySet{Identity: []*Compiled{p}})
	wantDecision(t, got, true, AllowedByIdentity, "arn:aws:iam::123456789012:policy/read", "Read")
	got = Evaluate(aliceRequest("iam:ListUsers", "*", nil), &PolicySet{Identity: []*Compiled{p}})
	wantDecision(t, got, false, DeniedNoIdentityAllow, "", "")
}

func TestEvaluateExplicitDenyWins(t *testing.T) {
	allow := compiled(t, "allow-all", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`)
	deny := compiled(t, "inline:user/alice:no-delete", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"},
		{"Effect":"Deny","Action":"iam:Delete*","Resource":"arn:aws:iam::123456789012:user/*"}]}`)
	set := &PolicySet{Identity: []*Compiled{allow, deny}}
	got := Evaluate(aliceRequest("iam:DeleteUser", "arn:aws:iam::123456789012:user/bob", nil), set)
	wantDecision(t, got, false, DeniedExplicitlyByIdentity, "inline:user/alice:no-delete", "#1")
	if !got.Reason.ExplicitDeny() || got.Index != 1 {
		t.Fatalf("decision = %+v, want an explicit deny by statement 1", got)
	}
	got = Evaluate(aliceRequest("iam:DeleteGroup", "arn:aws:iam::123456789012:group/g", nil), set)
	wantDecision(t, got, true, AllowedByIdentity, "allow-all", "#0")
}

func TestEvaluateNotActionNotResource(t *testing.T) {
	p := compiled(t, "p", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:Delete*","NotResource":"arn:aws:iam::123456789012:user/admin"}}`)
	set := &PolicySet{Identity: []*Compiled{p}}
	cases := []struct {
		action, resource string
		want             bool
	}{
		{"iam:CreateUser", "arn:aws:iam::123456789012:user/bob", true},
		{"iam:DeleteUser", "arn:aws:iam::123456789012:user/bob", false},
		{"iam:CreateUser", "arn:aws:iam::123456789012:user/admin", false},
	}
	for _, c := range cases {
		if got := Evaluate(aliceRequest(c.action, c.resource, nil), set); got.Allowed != c.want {
			t.Errorf("%s on %s: allowed=%v, want %v", c.action, c.resource, got.Allowed, c.want)
		}
	}
}

func TestEvaluatePermissionsBoundary(t *testing.T) {
	admin := compiled(t, "admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	boundary := compiled(t, "boundary", `{"Version":"2012-10-17","Statement":[
		{"Sid":"IAMRead","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
		{"Sid":"NoBoundaryChange","Effect":"Deny","Action":"iam:DeleteUserPermissionsBoundary","Resource":"*"}]}`)
	readOnly := compiled(t, "read", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}}`)
	cases := []struct {
		name     string
		identity *Compiled
		action   string
		allowed  bool
		reason   Reason
	}{
		{"both allow", admin, "iam:GetUser", true, AllowedByIdentity},
		{"boundary does not allow", admin, "iam:CreateUser", false, DeniedNoBoundaryAllow},
		{"identity does not allow", readOnly, "iam:GetUser", false, DeniedNoIdentityAllow},
		{"boundary denies", admin, "iam:DeleteUserPermissionsBoundary", false, DeniedExplicitlyByBoundary},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Evaluate(aliceRequest(c.action, "*", nil), &PolicySet{Identity: []*Compiled{c.identity}, Boundary: boundary})
			if got.Allowed != c.allowed || got.Reason != c.reason {
				t.Fatalf("decision = %+v, want allowed=%v reason=%v", got, c.allowed, c.reason)
			}
		})
	}
}

func TestEvaluateSessionPolicies(t *testing.T) {
	admin := compiled(t, "admin", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	session := compiled(t, "session", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:List*","Resource":"*"},
		{"Sid":"NoKeys","Effect":"Deny","Action":"iam:ListAccessKeys","Resource":"*"}]}`)
	set := &PolicySet{Identity: []*Compiled{admin}, Session: []*Compiled{session}}
	wantDecision(t, Evaluate(aliceRequest("iam:ListUsers", "*", nil), set), true, AllowedByIdentity, "admin", "#0")
	wantDecision(t, Evaluate(aliceRequest("iam:GetUser", "*", nil), set), false, DeniedNoSessionAllow, "", "")
	wantDecision(t, Evaluate(aliceRequest("iam:ListAccessKeys", "*", nil), set), false, DeniedExplicitlyBySession, "session", "NoKeys")
	wantDecision(t, Evaluate(aliceRequest("iam:GetUser", "*", nil), &PolicySet{Identity: []*Compiled{admin}}), true, AllowedByIdentity, "admin", "#0")
}

// denyWithoutMFA is AWS's example policy "Allows MFA-authenticated IAM
// users to manage their own credentials" (reference_policies_examples_aws_my-sec-creds-self-manage),
// abridged to the IAM actions.
const denyWithoutMFA = `{"Version":"2012-10-17","Statement":[
	{"Sid":"AllowManageOwnPasswords","Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
	{"Sid":"AllowManageOwnAccessKeys","Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:UpdateAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
	{"Sid":"AllowManageOwnVirtualMFADevice","Effect":"Allow","Action":["iam:CreateVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/*"},
	{"Sid":"AllowManageOwnUserMFA","Effect":"Allow","Action":["iam:DeactivateMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ResyncMFADevice"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
	{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ChangePassword","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

func TestEvaluateDenyUnlessMFA(t *testing.T) {
	set := &PolicySet{Identity: []*Compiled{compiled(t, "mfa", denyWithoutMFA)}}
	self := "arn:aws:iam::123456789012:user/alice"
	cases := []struct {
		name             string
		action, resource string
		mfa              []string // nil: the key is absent, as for long-term keys
		allowed          bool
		reason           Reason
		statement        string
	}{
		{"long-term key: own access keys denied", "iam:CreateAccessKey", self, nil, false, DeniedExplicitlyByIdentity, "DenyAllExceptListedIfNoMFA"},
		{"long-term key: change password exempt", "iam:ChangePassword", self, nil, true, AllowedByIdentity, "AllowManageOwnPasswords"},
		{"long-term key: enable MFA exempt", "iam:EnableMFADevice", self, nil, true, AllowedByIdentity, "AllowManageOwnUserMFA"},
		{"long-term key: create virtual MFA exempt", "iam:CreateVirtualMFADevice", "arn:aws:iam::123456789012:mfa/alice", nil, true, AllowedByIdentity, "AllowManageOwnVirtualMFADevice"},
		{"long-term key: other action denied", "iam:ListUsers", "*", nil, false, DeniedExplicitlyByIdentity, "DenyAllExceptListedIfNoMFA"},
		{"session without MFA: denied", "iam:CreateAccessKey", self, []string{"false"}, false, DeniedExplicitlyByIdentity, "DenyAllExceptListedIfNoMFA"},
		{"session with MFA: own keys allowed", "iam:CreateAccessKey", self, []string{"true"}, true, AllowedByIdentity, "AllowManageOwnAccessKeys"},
		{"session with MFA: other user's keys", "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/bob", []string{"true"}, false, DeniedNoIdentityAllow, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			context := ctx{}
			if c.mfa != nil {
				context["aws:multifactorauthpresent"] = c.mfa
			}
			got := Evaluate(aliceRequest(c.action, c.resource, context), set)
			policy := "mfa"
			if c.statement == "" {
				policy = ""
			}
			wantDecision(t, got, c.allowed, c.reason, policy, c.statement)
		})
	}
}

func TestEvaluateUsernameScoping(t *testing.T) {
	p := compiled(t, "own-keys", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:*AccessKey*","iam:ChangePassword"],"Resource":"arn:aws:iam::123456789012:user/${aws:username}"}}`)
	set := &PolicySet{Identity: []*Compiled{p}}
	if got := Evaluate(aliceRequest("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice", nil), set); !got.Allowed {
		t.Fatalf("own keys: %+v, want allowed", got)
	}
	if got := Evaluate(aliceRequest("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/bob", nil), set); got.Allowed {
		t.Fatalf("bob's keys: %+v, want denied", got)
	}
	// A caller without aws:username (a role session) resolves nothing.
	req := &Request{Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/", Context: ctx{}}
	if got := Evaluate(req, set); got.Allowed {
		t.Fatalf("no username: %+v, want denied", got)
	}
	// The resolved name is literal text, never a wildcard.
	req = aliceRequest("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/alice", nil)
	req.Context["aws:username"] = []string{"*"}
	if got := Evaluate(req, set); got.Allowed {
		t.Fatalf("username *: %+v, want denied", got)
	}
}

func TestEvaluateUnresolvedVariableInNotResource(t *testing.T) {
	p := compiled(t, "p", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","NotResource":"arn:aws:iam::*:user/${aws:PrincipalTag/protected}"}}`)
	set := &PolicySet{Identity: []*Compiled{p}}
	if got := Evaluate(aliceRequest("iam:GetUser", "arn:aws:iam::1:user/bob", nil), set); got.Allowed {
		t.Fatalf("unresolved NotResource: %+v, want the statement not to apply", got)
	}
	req := aliceRequest("iam:GetUser", "arn:aws:iam::1:user/bob", ctx{"aws:principaltag/protected": {"root"}})
	if got := Evaluate(req, set); !got.Allowed {
		t.Fatalf("resolved NotResource: %+v, want allowed", got)
	}
}

func TestEvaluateGroupsAndOrder(t *testing.T) {
	var policies []*Compiled
	for _, id := range []string{"user-inline", "group-a", "group-b"} {
		policies = append(policies, compiled(t, id, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:List*","Resource":"*"}}`))
	}
	policies[2] = compiled(t, "group-b", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Sid":"Late","Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}`)
	got := Evaluate(aliceRequest("iam:ListUsers", "*", nil), &PolicySet{Identity: policies})
	wantDecision(t, got, false, DeniedExplicitlyByIdentity, "group-b", "Late")
	got = Evaluate(aliceRequest("iam:ListGroups", "*", nil), &PolicySet{Identity: policies})
	wantDecision(t, got, true, AllowedByIdentity, "user-inline", "#0")
}

func TestEvaluateFirstMatchInDocumentOrder(t *testing.T) {
	p := compiled(t, "p", `{"Version":"2012-10-17","Statement":[
		{"Sid":"Wild","Effect":"Deny","Action":"iam:*","Resource":"*"},
		{"Sid":"Exact","Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]}`)
	got := Evaluate(aliceRequest("iam:GetUser", "*", nil), &PolicySet{Identity: []*Compiled{p}})
	wantDecision(t, got, false, DeniedExplicitlyByIdentity, "p", "Wild")
}

func TestEvaluateTrustPolicy(t *testing.T) {
	trust := func(principal string) *Compiled {
		return compiled(t, "trust:role/r", `{"Version":"2012-10-17","Statement":{"Sid":"Trust","Effect":"Allow","Principal":`+principal+`,"Action":"sts:AssumeRole"}}`)
	}
	allowAssume := compiled(t, "assume", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/r"}}`)
	const role = "arn:aws:iam::123456789012:role/r"
	cases := []struct {
		name      string
		principal string
		identity  []*Compiled
		allowed   bool
		reason    Reason
	}{
		{"user ARN grants without identity policy", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, nil, true, AllowedByResource},
		{"account root delegates: no identity policy", `{"AWS":"arn:aws:iam::123456789012:root"}`, nil, false, DeniedNoIdentityAllow},
		{"account root delegates: identity policy allows", `{"AWS":"arn:aws:iam::123456789012:root"}`, []*Compiled{allowAssume}, true, AllowedByIdentity},
		{"account id delegates", `{"AWS":"123456789012"}`, []*Compiled{allowAssume}, true, AllowedByIdentity},
		{"other user: trust must allow", `{"AWS":"arn:aws:iam::123456789012:user/bob"}`, []*Compiled{allowAssume}, false, DeniedNoResourceAllow},
		{"other account", `{"AWS":"arn:aws:iam::210987654321:root"}`, []*Compiled{allowAssume}, false, DeniedNoResourceAllow},
		{"star", `"*"`, nil, true, AllowedByResource},
		{"AWS star", `{"AWS":"*"}`, nil, true, AllowedByResource},
		{"service is not a user", `{"Service":"ec2.amazonaws.com"}`, []*Compiled{allowAssume}, false, DeniedNoResourceAllow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := &PolicySet{Identity: c.identity, Resource: trust(c.principal), ResourceMustAllow: true}
			got := Evaluate(aliceRequest("sts:AssumeRole", role, nil), set)
			if got.Allowed != c.allowed || got.Reason != c.reason {
				t.Fatalf("decision = %+v (%v), want allowed=%v reason=%v", got, got.Reason, c.allowed, c.reason)
			}
		})
	}
}

func TestEvaluateTrustPolicyPrincipals(t *testing.T) {
	trust := compiled(t, "trust", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"},
		{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity",
		 "Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*"}}},
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ops"},"Action":"sts:AssumeRole"},
		{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::123456789012:role/ops","arn:aws:iam::123456789012:user/alice"]},"Action":"sts:TagSession"}]}`)
	set := &PolicySet{Resource: trust, ResourceMustAllow: true}
	cases := []struct {
		name    string
		req     Request
		allowed bool
	}{
		{"service", Request{Action: "sts:AssumeRole", Principal: Caller{Type: "Service", ID: "lambda.amazonaws.com"}}, true},
		{"other service", Request{Action: "sts:AssumeRole", Principal: Caller{Type: "Service", ID: "ecs.amazonaws.com"}}, false},
		{"federated with condition", Request{Action: "sts:AssumeRoleWithWebIdentity", Context: ctx{"token.actions.githubusercontent.com:sub": {"repo:org/app:ref:main"}},
			Principal: Caller{Type: "Federated", ID: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}}, true},
		{"federated failing condition", Request{Action: "sts:AssumeRoleWithWebIdentity", Context: ctx{"token.actions.githubusercontent.com:sub": {"repo:other/app"}},
			Principal: Caller{Type: "Federated", ID: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}}, false},
		{"role session by its role", Request{Action: "sts:AssumeRole", Principal: Caller{Type: "AWS", ID: "arn:aws:sts::123456789012:assumed-role/ops/s",
			Also: []string{"arn:aws:iam::123456789012:role/ops"}, Account: acct}}, true},
		{"NotPrincipal denies others", Request{Action: "sts:TagSession", Principal: Caller{Type: "AWS", ID: "arn:aws:iam::123456789012:user/bob", Account: acct}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Resource = "arn:aws:iam::123456789012:role/r"
			if got := Evaluate(&c.req, set); got.Allowed != c.allowed {
				t.Fatalf("decision = %+v (%v), want allowed=%v", got, got.Reason, c.allowed)
			}
		})
	}
	req := Request{Action: "sts:TagSession", Resource: "*", Principal: Caller{Type: "AWS", ID: "arn:aws:iam::123456789012:user/bob", Account: acct}}
	wantDecision(t, Evaluate(&req, set), false, DeniedExplicitlyByResource, "trust", "#3")
}

func TestEvaluateActionMatching(t *testing.T) {
	p := compiled(t, "p", `{"Version":"2012-10-17","Statement":[
		{"Sid":"Mixed","Effect":"Allow","Action":["s3:GetObject","IAM:list*","sts:Get?essionToken"],"Resource":"*"},
		{"Sid":"AnyService","Effect":"Allow","Action":"*:Describe*","Resource":"*"},
		{"Sid":"Everything","Effect":"Deny","Action":"*","Resource":"arn:aws:iam::123456789012:user/admin"}]}`)
	set := &PolicySet{Identity: []*Compiled{p}}
	cases := []struct {
		action, resource, statement string
		allowed                     bool
	}{
		{"S3:GETOBJECT", "*", "Mixed", true},
		{"iam:ListUsers", "*", "Mixed", true},
		{"sts:GetSessionToken", "*", "Mixed", true},
		{"sts:GetSessionTokens", "*", "", false},
		{"ec2:DescribeInstances", "*", "AnyService", true},
		{"iam:DescribeNothing", "*", "AnyService", true},
		{"s3:PutObject", "*", "", false},
		{"iam:ListUsers", "arn:aws:iam::123456789012:user/admin", "Everything", false},
		{"ecs:RunTask", "arn:aws:iam::123456789012:user/admin", "Everything", false},
	}
	for _, c := range cases {
		got := Evaluate(aliceRequest(c.action, c.resource, nil), set)
		if got.Allowed != c.allowed || got.Statement != c.statement {
			t.Errorf("%s on %s: %+v, want allowed=%v by %q", c.action, c.resource, got, c.allowed, c.statement)
		}
	}
}

func TestEvaluateResourcePolicyNamingTheSessionsRole(t *testing.T) {
	resourcePolicy := compiled(t, "trust:role/target", `{"Version":"2012-10-17","Statement":{"Sid":"Ops","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ops"},"Action":"sts:AssumeRole"}}`)
	onlyList := compiled(t, "session", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:List*","Resource":"*"}}`)
	req := &Request{Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/target", Context: ctx{},
		Principal: Caller{Type: "AWS", ID: "arn:aws:sts::123456789012:assumed-role/ops/s", Also: []string{"arn:aws:iam::123456789012:role/ops"}, Account: acct}}
	set := &PolicySet{Resource: resourcePolicy, ResourceMustAllow: true}
	wantDecision(t, Evaluate(req, set), true, AllowedByResource, "trust:role/target", "Ops")
	set.Session = []*Compiled{onlyList}
	wantDecision(t, Evaluate(req, set), false, DeniedNoSessionAllow, "", "")
	set.Session, set.Boundary = nil, onlyList
	wantDecision(t, Evaluate(req, set), false, DeniedNoBoundaryAllow, "", "")
	// A caller the policy names by its own ARN is not limited.
	req.Principal.ID = "arn:aws:iam::123456789012:role/ops"
	req.Principal.Also = nil
	wantDecision(t, Evaluate(req, set), true, AllowedByResource, "trust:role/target", "Ops")
}

func TestEvaluateNilSet(t *testing.T) {
	wantDecision(t, Evaluate(aliceRequest("iam:GetUser", "*", nil), nil), false, DeniedNoIdentityAllow, "", "")
}
