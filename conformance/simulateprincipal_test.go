package conformance

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// principalWorld makes alice with simulatedPolicy inline as "Grant-Read",
// in group devs, which has IAMReadOnlyAccess attached, an inline policy
// allowing sts:GetCallerIdentity on a condition, and a customer policy
// allowing sqs:SendMessage.
func (tg *target) principalWorld(t testing.TB) {
	t.Helper()
	c := tg.iam()
	tg.createUser(t, "alice")
	must[*iam.PutUserPolicyOutput](t)(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"),
		PolicyName: aws.String("Grant-Read"), PolicyDocument: aws.String(simulatedPolicy)}))
	tg.createGroup(t, "devs")
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("alice"), GroupName: aws.String("devs")}))
	must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(iamReadOnly)}))
	must[*iam.PutGroupPolicyOutput](t)(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("who"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}}`)}))
	sqs := tg.createPolicy(t, "Queue", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}}`)
	must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(sqs)}))
}

func (tg *target) simulatePrincipal(t testing.TB, in *iam.SimulatePrincipalPolicyInput) []types.EvaluationResult {
	t.Helper()
	return must[*iam.SimulatePrincipalPolicyOutput](t)(tg.iam().SimulatePrincipalPolicy(ctx, in)).EvaluationResults
}

func wantMatched(t testing.TB, r types.EvaluationResult, id string, kind types.PolicySourceType) {
	t.Helper()
	m := r.MatchedStatements
	if len(m) != 1 || aws.ToString(m[0].SourcePolicyId) != id || m[0].SourcePolicyType != kind {
		t.Fatalf("%s: MatchedStatements=%+v, want one from %s (%s)", aws.ToString(r.EvalActionName), m, id, kind)
	}
}

// TestSimulatePrincipalPolicyUser: a user's simulation includes its inline
// and attached policies and its groups', each named as AWS names it.
func TestSimulatePrincipalPolicyUser(t *testing.T) {
	tg := newTarget(t)
	tg.principalWorld(t)
	results := tg.simulatePrincipal(t, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(userARN("/", "alice")),
		ActionNames:     []string{"s3:GetObject", "iam:GetUser", "sqs:SendMessage", "s3:DeleteObject", "ec2:RunInstances", "sts:GetCallerIdentity"},
		ContextEntries: []types.ContextEntry{
			contextEntry("aws:username", types.ContextKeyTypeEnumString, "alice"),
			contextEntry("aws:SourceIp", types.ContextKeyTypeEnumIp, "10.1.2.3"),
			contextEntry("aws:SecureTransport", types.ContextKeyTypeEnumBoolean, "true"),
			contextEntry("aws:PrincipalTag/team", types.ContextKeyTypeEnumString, "blue"),
		},
		ResourceArns: []string{"arn:aws:s3:::bucket/alice/a.csv"},
	})
	want := []types.PolicyEvaluationDecisionType{"allowed", "allowed", "allowed", "explicitDeny", "implicitDeny", "allowed"}
	for i, r := range results {
		if r.EvalDecision != want[i] {
			t.Fatalf("%s: %s, want %s", aws.ToString(r.EvalActionName), r.EvalDecision, want[i])
		}
	}
	wantMatched(t, results[0], "Grant-Read", types.PolicySourceTypeUser)
	wantPosition(t, "StartPosition", results[0].MatchedStatements[0].StartPosition, 3, 17)
	wantMatched(t, results[1], "IAMReadOnlyAccess", types.PolicySourceTypeAwsManaged)
	wantMatched(t, results[2], "Queue", types.PolicySourceTypeUserManaged)
	wantMatched(t, results[3], "Grant-Read", types.PolicySourceTypeUser)
	wantMatched(t, results[5], "who", types.PolicySourceTypeGroup)

	// The group alone has only its own policies.
	group := tg.simulatePrincipal(t, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(groupARN("/", "devs")),
		ActionNames:     []string{"s3:GetObject", "iam:GetUser"},
	})
	if group[0].EvalDecision != "implicitDeny" || group[1].EvalDecision != "allowed" {
		t.Fatalf("group devs: %s, %s, want implicitDeny, allowed", group[0].EvalDecision, group[1].EvalDecision)
	}
}

// TestSimulatePrincipalPolicyBoundary: the user's permissions boundary
// limits the simulation, and one passed in replaces it.
func TestSimulatePrincipalPolicyBoundary(t *testing.T) {
	tg := newTarget(t)
	tg.principalWorld(t)
	s3Only := tg.createPolicy(t, "S3Only", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	must[*iam.PutUserPermissionsBoundaryOutput](t)(tg.iam().PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{
		UserName: aws.String("alice"), PermissionsBoundary: aws.String(s3Only)}))
	in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN("/", "alice")), ActionNames: []string{"iam:GetUser"}}
	r := tg.simulatePrincipal(t, in)[0]
	if r.EvalDecision != "implicitDeny" || r.PermissionsBoundaryDecisionDetail == nil || r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("iam:GetUser under S3Only: %s %+v, want implicitDeny, not allowed by the boundary", r.EvalDecision, r.PermissionsBoundaryDecisionDetail)
	}
	in.PermissionsBoundaryPolicyInputList = []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`}
	r = tg.simulatePrincipal(t, in)[0]
	if r.EvalDecision != "allowed" || !r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary {
		t.Fatalf("iam:GetUser under a passed boundary: %s %+v, want allowed", r.EvalDecision, r.PermissionsBoundaryDecisionDetail)
	}
}

// TestSimulatePrincipalPolicyExtraPolicies: PolicyInputList adds to the
// entity's policies.
func TestSimulatePrincipalPolicyExtraPolicies(t *testing.T) {
	tg := newTarget(t)
	tg.principalWorld(t)
	r := tg.simulatePrincipal(t, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(userARN("/", "alice")),
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}}`},
		ActionNames:     []string{"ec2:RunInstances"},
	})[0]
	if r.EvalDecision != "allowed" {
		t.Fatalf("ec2:RunInstances with an extra policy: %s, want allowed", r.EvalDecision)
	}
	wantMatched(t, r, "PolicyInputList.1", "IAM Policy")
}

// TestSimulatePrincipalPolicyErrors: a missing entity, an ARN that names
// none, a resource policy without a caller, a denied caller.
func TestSimulatePrincipalPolicyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	_, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(userARN("/", "ghost")), ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "NoSuchEntity", 404, "The user with name ghost cannot be found.")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(groupARN("/", "ghosts")), ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "NoSuchEntity", 404, "The group with name ghosts cannot be found.")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("arn:aws:iam::" + account + ":role/ghost"), ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role with name ghost cannot be found.")
	bucket := "arn:aws:s3:::bucket-of-reports"
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(bucket), ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "InvalidInput", 400, "ARN "+bucket+" is not valid.")
	tg.createGroup(t, "devs")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(groupARN("/", "devs")), ActionNames: []string{"s3:GetObject"},
		ResourcePolicy: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`)})
	wantAPIError(t, err, "InvalidInput", 400, "CallerArn is required when a ResourcePolicy is simulated for a PolicySourceArn that is not an IAM user.")

	alice := tg.asNewUser(t)
	_, err = alice.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(groupARN("/", "devs")), ActionNames: []string{"s3:GetObject"}})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:SimulatePrincipalPolicy", groupARN("/", "devs"), noIdentityAllows("iam:SimulatePrincipalPolicy")))
	// Denied before existence: the caller learns nothing of ghost.
	_, err = alice.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{PolicySourceArn: aws.String(userARN("/", "ghost"))})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetContextKeysForPrincipalPolicy", userARN("/", "ghost"), noIdentityAllows("iam:GetContextKeysForPrincipalPolicy")))
}

// TestGetContextKeysForPrincipalPolicy: the keys of the user's and its
// groups' policies, then of the policies passed in.
func TestGetContextKeysForPrincipalPolicy(t *testing.T) {
	tg := newTarget(t)
	tg.principalWorld(t)
	out := must[*iam.GetContextKeysForPrincipalPolicyOutput](t)(tg.iam().GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String(userARN("/", "alice")),
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`},
	}))
	want := []string{"aws:username", "aws:SourceIp", "aws:SecureTransport", "aws:PrincipalTag/team", "aws:MultiFactorAuthPresent"}
	if got := out.ContextKeyNames; !slices.Equal(got, want) {
		t.Fatalf("ContextKeyNames=%v, want %v", got, want)
	}
	group := must[*iam.GetContextKeysForPrincipalPolicyOutput](t)(tg.iam().GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String(groupARN("/", "devs"))}))
	if got, want := group.ContextKeyNames, []string{"aws:PrincipalTag/team"}; !slices.Equal(got, want) {
		t.Fatalf("group ContextKeyNames=%v, want %v", got, want)
	}
}
