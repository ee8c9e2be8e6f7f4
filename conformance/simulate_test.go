package conformance

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// simulatedPolicy is laid out as AWS prints AdministratorAccess: its first
// statement starts at Line 3 Column 17 (just after "["), as AWS reports.
const simulatedPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "Bool": {"aws:SecureTransport": "true"}}
    },
    {
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "*"
    }
  ]
}`

func (tg *target) simulate(t testing.TB, in *iam.SimulateCustomPolicyInput) []types.EvaluationResult {
	t.Helper()
	return must[*iam.SimulateCustomPolicyOutput](t)(tg.iam().SimulateCustomPolicy(ctx, in)).EvaluationResults
}

func contextEntry(name string, kind types.ContextKeyTypeEnum, values ...string) types.ContextEntry {
	return types.ContextEntry{ContextKeyName: aws.String(name), ContextKeyType: kind, ContextKeyValues: values}
}

func wantPosition(t testing.TB, what string, got *types.Position, line, column int32) {
	t.Helper()
	if got == nil || got.Line != line || got.Column != column {
		t.Fatalf("%s=%+v, want Line %d Column %d", what, got, line, column)
	}
}

// TestSimulateCustomPolicyDecisions: allowed, explicitDeny and
// implicitDeny, each with the statements that decided and where they are
// in the submitted text.
func TestSimulateCustomPolicyDecisions(t *testing.T) {
	tg := newTarget(t)
	alice := "arn:aws:s3:::bucket/alice/report.csv"
	results := tg.simulate(t, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simulatedPolicy},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject", "s3:PutObject"},
		ResourceArns:    []string{alice},
		ContextEntries: []types.ContextEntry{
			contextEntry("aws:username", types.ContextKeyTypeEnumString, "alice"),
			contextEntry("aws:SourceIp", types.ContextKeyTypeEnumIp, "10.1.2.3"),
			contextEntry("aws:SecureTransport", types.ContextKeyTypeEnumBoolean, "true"),
		},
	})
	if got, want := len(results), 3; got != want {
		t.Fatalf("results=%d, want %d", got, want)
	}
	get, del, put := results[0], results[1], results[2]
	if got, want := get.EvalDecision, types.PolicyEvaluationDecisionTypeAllowed; got != want {
		t.Fatalf("s3:GetObject=%s, want %s", got, want)
	}
	if got, want := aws.ToString(get.EvalResourceName), alice; got != want {
		t.Fatalf("EvalResourceName=%q, want %q", got, want)
	}
	if got, want := len(get.MatchedStatements), 1; got != want {
		t.Fatalf("MatchedStatements=%+v, want %d", get.MatchedStatements, want)
	}
	m := get.MatchedStatements[0]
	if got, want := aws.ToString(m.SourcePolicyId), "PolicyInputList.1"; got != want {
		t.Fatalf("SourcePolicyId=%q, want %q", got, want)
	}
	if got, want := m.SourcePolicyType, types.PolicySourceType("IAM Policy"); got != want {
		t.Fatalf("SourcePolicyType=%q, want %q", got, want)
	}
	wantPosition(t, "StartPosition", m.StartPosition, 3, 17)
	wantPosition(t, "EndPosition", m.EndPosition, 10, 6)
	if get.EvalDecisionDetails == nil || len(get.EvalDecisionDetails) != 0 {
		t.Fatalf("EvalDecisionDetails=%v, want present and empty with a resource ARN", get.EvalDecisionDetails)
	}
	if got, want := len(get.ResourceSpecificResults), 1; got != want {
		t.Fatalf("ResourceSpecificResults=%+v, want %d", get.ResourceSpecificResults, want)
	}
	if r := get.ResourceSpecificResults[0]; aws.ToString(r.EvalResourceName) != alice || r.EvalResourceDecision != types.PolicyEvaluationDecisionTypeAllowed {
		t.Fatalf("ResourceSpecificResults[0]=%+v, want %s allowed", r, alice)
	}

	if got, want := del.EvalDecision, types.PolicyEvaluationDecisionTypeExplicitDeny; got != want {
		t.Fatalf("s3:DeleteObject=%s, want %s", got, want)
	}
	if got, want := len(del.MatchedStatements), 1; got != want {
		t.Fatalf("MatchedStatements=%+v, want %d", del.MatchedStatements, want)
	}
	wantPosition(t, "deny StartPosition", del.MatchedStatements[0].StartPosition, 10, 6)
	wantPosition(t, "deny EndPosition", del.MatchedStatements[0].EndPosition, 15, 6)

	if got, want := put.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny; got != want {
		t.Fatalf("s3:PutObject=%s, want %s", got, want)
	}
	if put.MatchedStatements == nil || len(put.MatchedStatements) != 0 {
		t.Fatalf("MatchedStatements=%v, want present and empty", put.MatchedStatements)
	}
}

// TestSimulateCustomPolicyMissingContext: a statement that concerns the
// request but reads keys the request does not supply lists them, as
// written, and does not allow.
func TestSimulateCustomPolicyMissingContext(t *testing.T) {
	tg := newTarget(t)
	results := tg.simulate(t, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simulatedPolicy},
		ActionNames:     []string{"s3:GetObject"},
		ResourceArns:    []string{"arn:aws:s3:::bucket/alice/report.csv"},
		ContextEntries:  []types.ContextEntry{contextEntry("aws:username", types.ContextKeyTypeEnumString, "alice")},
	})
	r := results[0]
	if got, want := r.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny; got != want {
		t.Fatalf("EvalDecision=%s, want %s", got, want)
	}
	if got, want := r.ResourceSpecificResults[0].MissingContextValues, []string{"aws:SourceIp", "aws:SecureTransport"}; !slices.Equal(got, want) {
		t.Fatalf("MissingContextValues=%v, want %v", got, want)
	}
	if len(r.MissingContextValues) != 0 {
		t.Fatalf("top-level MissingContextValues=%v, want none with a resource ARN (AWS lists them per resource)", r.MissingContextValues)
	}
}

// TestSimulateCustomPolicyContextTypes: context entries of each type reach
// the engine's operators.
func TestSimulateCustomPolicyContextTypes(t *testing.T) {
	tg := newTarget(t)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{
"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},
"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
"NumericLessThanEquals":{"aws:MultiFactorAuthAge":"3600"},
"Bool":{"aws:MultiFactorAuthPresent":"true"},
"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}}]}`
	entries := []types.ContextEntry{
		contextEntry("aws:SourceIp", types.ContextKeyTypeEnumIp, "192.0.2.7"),
		contextEntry("aws:CurrentTime", types.ContextKeyTypeEnumDate, "2026-12-02T00:00:00Z"),
		contextEntry("aws:MultiFactorAuthAge", types.ContextKeyTypeEnumNumeric, "120"),
		contextEntry("aws:MultiFactorAuthPresent", types.ContextKeyTypeEnumBoolean, "true"),
		contextEntry("aws:TagKeys", types.ContextKeyTypeEnumStringList, "team", "env"),
	}
	run := func(entries []types.ContextEntry) types.PolicyEvaluationDecisionType {
		return tg.simulate(t, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{doc},
			ActionNames: []string{"ec2:RunInstances"}, ContextEntries: entries})[0].EvalDecision
	}
	if got, want := run(entries), types.PolicyEvaluationDecisionTypeAllowed; got != want {
		t.Fatalf("all keys satisfied: %s, want %s", got, want)
	}
	for i, bad := range []types.ContextEntry{
		contextEntry("aws:SourceIp", types.ContextKeyTypeEnumIp, "198.51.100.1"),
		contextEntry("aws:CurrentTime", types.ContextKeyTypeEnumDate, "2031-01-01T00:00:00Z"),
		contextEntry("aws:MultiFactorAuthAge", types.ContextKeyTypeEnumNumeric, "7200"),
		contextEntry("aws:MultiFactorAuthPresent", types.ContextKeyTypeEnumBoolean, "false"),
		contextEntry("aws:TagKeys", types.ContextKeyTypeEnumStringList, "team", "owner"),
	} {
		changed := slices.Clone(entries)
		changed[i] = bad
		if got, want := run(changed), types.PolicyEvaluationDecisionTypeImplicitDeny; got != want {
			t.Fatalf("%s=%v: %s, want %s", aws.ToString(bad.ContextKeyName), bad.ContextKeyValues, got, want)
		}
	}
}

// TestSimulateCustomPolicyBoundary: a permissions boundary that does not
// allow the action denies it and says so.
func TestSimulateCustomPolicyBoundary(t *testing.T) {
	tg := newTarget(t)
	results := tg.simulate(t, &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`},
		ActionNames:                        []string{"s3:GetObject", "iam:CreateUser"},
	})
	for i, want := range []struct {
		decision types.PolicyEvaluationDecisionType
		boundary bool
	}{{types.PolicyEvaluationDecisionTypeAllowed, true}, {types.PolicyEvaluationDecisionTypeImplicitDeny, false}} {
		r := results[i]
		if r.EvalDecision != want.decision || r.PermissionsBoundaryDecisionDetail == nil ||
			r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != want.boundary {
			t.Fatalf("%s: %s boundary %+v, want %s AllowedByPermissionsBoundary %v", aws.ToString(r.EvalActionName),
				r.EvalDecision, r.PermissionsBoundaryDecisionDetail, want.decision, want.boundary)
		}
	}
	denied := tg.simulate(t, &iam.SimulateCustomPolicyInput{
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`},
		ActionNames:                        []string{"s3:DeleteObject"},
	})[0]
	if got, want := denied.EvalDecision, types.PolicyEvaluationDecisionTypeExplicitDeny; got != want {
		t.Fatalf("denied by the boundary: %s, want %s", got, want)
	}
	if m := denied.MatchedStatements; len(m) != 1 || aws.ToString(m[0].SourcePolicyId) != "PermissionsBoundaryPolicyInputList.1" {
		t.Fatalf("MatchedStatements=%+v, want the boundary's Deny", m)
	}
	// A single statement (no list) starts just after its ":".
	wantPosition(t, "StartPosition", results[0].MatchedStatements[0].StartPosition, 1, 37)
}

// TestSimulateCustomPolicyPaging: MaxItems and Marker page the results.
func TestSimulateCustomPolicyPaging(t *testing.T) {
	tg := newTarget(t)
	in := &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{simulatedPolicy},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject", "s3:PutObject"},
		MaxItems:        aws.Int32(2),
	}
	var actions []string
	for range 3 {
		out := must[*iam.SimulateCustomPolicyOutput](t)(tg.iam().SimulateCustomPolicy(ctx, in))
		for _, r := range out.EvaluationResults {
			actions = append(actions, aws.ToString(r.EvalActionName))
		}
		if !out.IsTruncated {
			break
		}
		in.Marker = out.Marker
	}
	if got, want := actions, []string{"s3:GetObject", "s3:DeleteObject", "s3:PutObject"}; !slices.Equal(got, want) {
		t.Fatalf("actions over pages=%v, want %v", got, want)
	}
	in.Marker = aws.String("bogus")
	_, err := tg.iam().SimulateCustomPolicy(ctx, in)
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
}

// TestSimulateCustomPolicyMalformed: a document the policy grammar refuses
// is InvalidInput with the policy's message.
func TestSimulateCustomPolicyMalformed(t *testing.T) {
	tg := newTarget(t)
	_, err := tg.iam().SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":`},
		ActionNames:     []string{"s3:GetObject"},
	})
	wantAPIError(t, err, "InvalidInput", 400, "Syntax errors in policy.")
	_, err = tg.iam().GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{"{"}})
	wantAPIError(t, err, "InvalidInput", 400, "Syntax errors in policy.")
}

// TestGetContextKeysForCustomPolicy: the keys of conditions and policy
// variables, as written, in order, once each; AWS's documented example
// answers ["aws:username", "aws:CurrentTime"].
func TestGetContextKeysForCustomPolicy(t *testing.T) {
	tg := newTarget(t)
	out := must[*iam.GetContextKeysForCustomPolicyOutput](t)(tg.iam().GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{
		PolicyInputList: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}`,
			simulatedPolicy,
		},
	}))
	want := []string{"aws:username", "aws:CurrentTime", "aws:SourceIp", "aws:SecureTransport"}
	if got := out.ContextKeyNames; !slices.Equal(got, want) {
		t.Fatalf("ContextKeyNames=%v, want %v", got, want)
	}
}

// TestSimulateCustomPolicyResourcePolicy: a resource policy that names the
// caller allows without an identity policy; a Deny in either denies, and
// both Deny statements are listed, the resource policy's first.
func TestSimulateCustomPolicyResourcePolicy(t *testing.T) {
	tg := newTarget(t)
	alice := "arn:aws:iam::" + account + ":user/alice"
	results := tg.simulate(t, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`},
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":[` +
			`{"Effect":"Allow","Principal":{"AWS":"` + alice + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},` +
			`{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"}]}`),
		CallerArn:    aws.String(alice),
		ActionNames:  []string{"s3:GetObject", "s3:DeleteObject", "s3:PutObject"},
		ResourceArns: []string{"arn:aws:s3:::bucket/x"},
	})
	want := []types.PolicyEvaluationDecisionType{types.PolicyEvaluationDecisionTypeAllowed,
		types.PolicyEvaluationDecisionTypeExplicitDeny, types.PolicyEvaluationDecisionTypeImplicitDeny}
	for i, r := range results {
		if r.EvalDecision != want[i] {
			t.Fatalf("%s=%s, want %s", aws.ToString(r.EvalActionName), r.EvalDecision, want[i])
		}
	}
	var sources []string
	for _, m := range results[1].MatchedStatements {
		sources = append(sources, aws.ToString(m.SourcePolicyId)+"/"+string(m.SourcePolicyType))
	}
	if got, want := sources, []string{"ResourcePolicy/Resource Policy", "PolicyInputList.1/IAM Policy"}; !slices.Equal(got, want) {
		t.Fatalf("deny MatchedStatements=%v, want %v", got, want)
	}
	if got := results[0].MatchedStatements; len(got) != 1 || aws.ToString(got[0].SourcePolicyId) != "ResourcePolicy" {
		t.Fatalf("allow MatchedStatements=%+v, want the resource policy's statement", got)
	}
}
