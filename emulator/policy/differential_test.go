package policy

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// differentialCase is a request of alice's decided by this engine and by
// the independent implementation @cloud-copilot/iam-simulate: policy is
// her identity policy's Statement element, boundary (when set) her
// permissions boundary's, resource (when set) a whole resource-based
// policy; context keys are as written.
type differentialCase struct {
	name, policy, action, resource string
	context                        map[string]any
	boundary, resourcePolicy       string
}

var differentialCases = []differentialCase{
	{"allow", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"action case", `{"Effect":"Allow","Action":"S3:getobject","Resource":"*"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"resource case", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/*"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"resource ?", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/?"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"resource * across /", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*/x"}`, "s3:GetObject", "arn:aws:s3:::b/1/2/x", nil, "", ""},
	{"resource trailing * across :", `{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*"}`, "iam:GetUser", "arn:aws:iam::123456789012:user/bob", nil, "", ""},
	{"NotAction", `{"Effect":"Allow","NotAction":"s3:Put*","Resource":"*"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"NotResource", `{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::b/secret*"}`, "s3:GetObject", "arn:aws:s3:::b/secret.txt", nil, "", ""},
	{"deny wins", `[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"username variable", `{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}`, "iam:GetUser", "arn:aws:iam::123456789012:user/alice", map[string]any{"aws:username": "alice"}, "", ""},
	{"username variable other", `{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}`, "iam:GetUser", "arn:aws:iam::123456789012:user/bob", map[string]any{"aws:username": "alice"}, "", ""},
	{"variable default", `{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:PrincipalTag/u, 'bob'}"}`, "iam:GetUser", "arn:aws:iam::123456789012:user/bob", nil, "", ""},
	{"variable unresolved", `{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:PrincipalTag/u}"}`, "iam:GetUser", "arn:aws:iam::123456789012:user/bob", nil, "", ""},
	{"StringEquals", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalTag/team": "b"}, "", ""},
	{"StringEquals absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"StringNotEquals absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"a"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"StringNotEquals NOR", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalTag/team": "b"}, "", ""},
	{"StringEqualsIgnoreCase", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"BLUE"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalTag/team": "blue"}, "", ""},
	{"StringLike", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"bl?e*"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalTag/team": "blue-2"}, "", ""},
	{"StringNotLike absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalTag/team":"a*"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"NumericLessThan", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:MultiFactorAuthAge": "60"}, "", ""},
	{"NumericGreaterThanEquals", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"3600"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:MultiFactorAuthAge": "60"}, "", ""},
	{"DateLessThan", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:CurrentTime": "2026-12-02T00:00:00Z"}, "", ""},
	{"DateGreaterThan epoch", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"1700000000"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:CurrentTime": "2026-12-02T00:00:00Z"}, "", ""},
	{"Bool", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:SecureTransport": "true"}, "", ""},
	{"BoolIfExists absent", `{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"IpAddress v4", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:SourceIp": "203.0.113.9"}, "", ""},
	{"IpAddress v6", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:SourceIp": "2001:db8:1234:5678::9"}, "", ""},
	{"NotIpAddress", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:SourceIp": "198.51.100.9"}, "", ""},
	{"ArnLike", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/a*"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice"}, "", ""},
	{"ArnNotEquals", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/alice"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice"}, "", ""},
	{"Null true", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"ForAllValues subset", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"a"}}, "", ""},
	{"ForAllValues absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"ForAnyValue absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"ForAnyValue one", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"c", "b"}}, "", ""},
	{"ForAllValues:StringNotEquals", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"c", "b"}}, "", ""},
	{"ForAnyValue:StringNotEquals", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"c", "b"}}, "", ""},
	{"ForAnyValue:StringNotEquals absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"ForAllValues:StringNotEquals absent", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringNotEquals":{"aws:TagKeys":["a","b"]}}}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"unqualified StringEquals on a multivalued key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"c", "a"}}, "", ""},
	{"unqualified StringEquals on a one-value multivalued key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"a"}}, "", ""},
	{"unqualified StringNotEquals on a multivalued key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:TagKeys":"a"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:TagKeys": []string{"c", "a"}}, "", ""},
	{"unresolved variable, negated operator", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestTag/owner":"${aws:PrincipalTag/x}"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:RequestTag/owner": "alice"}, "", ""},
	{"unresolved variable in NotResource", `{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::b/${aws:PrincipalTag/x}"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"${*} in Resource is literal", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}"}`, "s3:GetObject", "arn:aws:s3:::b/k", nil, "", ""},
	{"${*} in Resource matches *", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}"}`, "s3:GetObject", "arn:aws:s3:::b/*", nil, "", ""},
	{"Null false present", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:PrincipalTag/team":"false"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalTag/team": "x"}, "", ""},
	{"DateEquals across zones", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateEquals":{"aws:CurrentTime":"2026-12-02T02:00:00+02:00"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:CurrentTime": "2026-12-02T00:00:00Z"}, "", ""},
	{"ArnLike * stays in its segment", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam:*:user/alice"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:PrincipalArn": "arn:aws:iam::123456789012:user/alice"}, "", ""},
	{"condition variable", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/owner":"${aws:username}"}}}`, "s3:GetObject", "arn:aws:s3:::b/k", map[string]any{"aws:RequestTag/owner": "alice", "aws:username": "alice"}, "", ""},
	{name: "boundary allows", policy: `{"Effect":"Allow","Action":"*","Resource":"*"}`, action: "iam:GetUser", resource: "arn:aws:iam::123456789012:user/bob",
		boundary: `{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}`},
	{name: "boundary does not allow", policy: `{"Effect":"Allow","Action":"*","Resource":"*"}`, action: "iam:CreateUser", resource: "arn:aws:iam::123456789012:user/bob",
		boundary: `{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}`},
	{name: "boundary denies", policy: `{"Effect":"Allow","Action":"*","Resource":"*"}`, action: "iam:GetUser", resource: "arn:aws:iam::123456789012:user/bob",
		boundary: `[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]`},
	{name: "boundary alone grants nothing", policy: `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, action: "iam:GetUser", resource: "arn:aws:iam::123456789012:user/bob",
		boundary: `{"Effect":"Allow","Action":"*","Resource":"*"}`},
	{name: "trust policy names the user", policy: `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		resourcePolicy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}}`},
	{name: "trust policy names the account, no identity policy", policy: `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		resourcePolicy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}}`},
	{name: "trust policy names the account, identity policy allows", policy: `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		resourcePolicy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}}`},
	{name: "trust policy names another, identity policy allows", policy: `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		resourcePolicy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`},
	{name: "trust policy denies", policy: `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		resourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`},
	{name: "trust policy names the user, boundary does not allow", policy: `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`, action: "sts:AssumeRole", resource: "arn:aws:iam::123456789012:role/r",
		boundary:       `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`,
		resourcePolicy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}}`},
}

// differentialDisagreements are the cases where iam-simulate decides
// otherwise and AWS's documentation, which wins, is on this engine's side.
var differentialDisagreements = map[string]string{}

// TestDifferentialIAMSimulate runs when IAMLOCAL_IAM_SIMULATE names a
// folder where `npm install @cloud-copilot/iam-simulate` was run.
func TestDifferentialIAMSimulate(t *testing.T) {
	dir := os.Getenv("IAMLOCAL_IAM_SIMULATE")
	if dir == "" {
		t.Skip("IAMLOCAL_IAM_SIMULATE is not set")
	}
	theirs := runIAMSimulate(t, dir)
	for i, c := range differentialCases {
		got := Evaluate(differentialRequest(c.action, c.resource, c.context), differentialSet(t, c))
		ours := "ImplicitlyDenied"
		switch {
		case got.Allowed:
			ours = "Allowed"
		case got.Reason.ExplicitDeny():
			ours = "ExplicitlyDenied"
		}
		note, known := differentialDisagreements[c.name]
		switch {
		case ours != theirs[i] && !known:
			t.Errorf("%s: engine %s, iam-simulate %s", c.name, ours, theirs[i])
		case ours == theirs[i] && known:
			t.Errorf("%s: now agrees (%s); drop it from the disagreements (%s)", c.name, ours, note)
		}
	}
}

func differentialSet(t testing.TB, c differentialCase) *PolicySet {
	set := &PolicySet{Identity: []*Compiled{compiled(t, "p", `{"Version":"2012-10-17","Statement":`+c.policy+`}`)}}
	if c.boundary != "" {
		set.Boundary = compiled(t, "boundary", `{"Version":"2012-10-17","Statement":`+c.boundary+`}`)
	}
	if c.resourcePolicy != "" {
		set.Resource = compiled(t, "resource", c.resourcePolicy)
		set.ResourceMustAllow = c.action == "sts:AssumeRole"
	}
	return set
}

func differentialRequest(action, resource string, context map[string]any) *Request {
	ctx := map[string][]string{}
	for k, v := range context {
		switch v := v.(type) {
		case string:
			ctx[strings.ToLower(k)] = []string{v}
		case []string:
			ctx[strings.ToLower(k)] = v
		}
	}
	return &Request{Action: action, Resource: resource, Context: ctx,
		Principal: Caller{Type: "AWS", ID: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"}}
}

func runIAMSimulate(t *testing.T, dir string) []string {
	t.Helper()
	type input struct {
		Policy         json.RawMessage `json:"policy"`
		Boundary       json.RawMessage `json:"boundary,omitempty"`
		ResourcePolicy json.RawMessage `json:"resourcePolicy,omitempty"`
		Action         string          `json:"action"`
		Resource       string          `json:"resource"`
		Context        map[string]any  `json:"context"`
	}
	var inputs []input
	for _, c := range differentialCases {
		context := c.context
		if context == nil {
			context = map[string]any{}
		}
		in := input{Policy: json.RawMessage(`{"Version":"2012-10-17","Statement":` + c.policy + `}`),
			Action: c.action, Resource: c.resource, Context: context}
		if c.boundary != "" {
			in.Boundary = json.RawMessage(`{"Version":"2012-10-17","Statement":` + c.boundary + `}`)
		}
		if c.resourcePolicy != "" {
			in.ResourcePolicy = json.RawMessage(c.resourcePolicy)
		}
		inputs = append(inputs, in)
	}
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "iamlocal-differential.mjs")
	if err := os.WriteFile(script, []byte(iamSimulateScript), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var results []string
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(differentialCases) {
		t.Fatalf("iam-simulate answered %s (%v)", out, err)
	}
	return results
}

const iamSimulateScript = `import { runSimulation } from '@cloud-copilot/iam-simulate'
import { readFileSync } from 'node:fs'
const out = []
for (const c of JSON.parse(readFileSync(0, 'utf8'))) {
  const r = await runSimulation({
    identityPolicies: [{ name: 'p', policy: c.policy }],
    serviceControlPolicies: [], resourceControlPolicies: [],
    permissionBoundaryPolicies: c.boundary ? [{ name: 'boundary', policy: c.boundary }] : undefined,
    resourcePolicy: c.resourcePolicy,
    request: { action: c.action, principal: 'arn:aws:iam::123456789012:user/alice',
      resource: { accountId: '123456789012', resource: c.resource }, contextVariables: c.context },
  }, {})
  out.push(r.resultType === 'error' ? 'error: ' + JSON.stringify(r.errors).slice(0, 200) : r.overallResult)
}
console.log(JSON.stringify(out))
`
