package conformance

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// aliceInline has what URL encoding changes: quotes, spaces, a newline,
// braces, a colon, a slash, an asterisk, a plus and a percent sign.
const aliceInline = "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/a+b%20c*\"}]}"

// authDetailsAccount makes an account with every kind of detail: alice, in
// group devs, with an inline policy, the customer policy shared (two
// versions, the second the default) attached, ReadOnlyAccess as her
// boundary and a tag; bob with nothing; devs with an inline policy and
// AdministratorAccess attached. It returns shared's ARN.
func authDetailsAccount(t testing.TB, tg *target) string {
	t.Helper()
	c := tg.iam()
	shared := must[*iam.CreatePolicyOutput](t)(c.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: aws.String("shared"), PolicyDocument: aws.String(samplePolicy), Description: aws.String("two versions"),
	})).Policy.Arn
	must[*iam.CreatePolicyVersionOutput](t)(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: shared, PolicyDocument: aws.String(samplePolicy2), SetAsDefault: true}))
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{
		UserName: aws.String("alice"), PermissionsBoundary: aws.String(readOnlyAccess),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}},
	}))
	tg.createUser(t, "bob")
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))
	must[*iam.PutUserPolicyOutput](t)(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("alice-inline"), PolicyDocument: aws.String(aliceInline)}))
	must[*iam.PutGroupPolicyOutput](t)(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("devs-inline"), PolicyDocument: aws.String(samplePolicy3)}))
	must[*iam.AttachUserPolicyOutput](t)(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: shared}))
	must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(adminAccess)}))
	return *shared
}

// authItems names the items of one answer in its order: user:…, group:…,
// role:…, policy:….
func authItems(out *iam.GetAccountAuthorizationDetailsOutput) []string {
	var items []string
	for _, u := range out.UserDetailList {
		items = append(items, "user:"+*u.UserName)
	}
	for _, g := range out.GroupDetailList {
		items = append(items, "group:"+*g.GroupName)
	}
	for _, r := range out.RoleDetailList {
		items = append(items, "role:"+*r.RoleName)
	}
	for _, p := range out.Policies {
		items = append(items, "policy:"+*p.PolicyName)
	}
	return items
}

// authDetailItems walks the whole answer pageSize items at a time.
func authDetailItems(t testing.TB, c *iam.Client, filter []types.EntityType, pageSize int32) []string {
	t.Helper()
	return allPages(t, "GetAccountAuthorizationDetails", pageSize, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
			Filter: filter, MaxItems: aws.Int32(pageSize), Marker: marker,
		}))
		return authItems(out), out.IsTruncated, out.Marker
	})
}

// wantDocument asserts that raw is doc URL-encoded: no JSON left in it, and
// decoding gives back the exact text.
func wantDocument(t testing.TB, what string, raw *string, doc string) {
	t.Helper()
	if strings.ContainsAny(aws.ToString(raw), "{\" ") {
		t.Errorf("%s document %q is not URL-encoded", what, aws.ToString(raw))
	}
	if got, err := url.QueryUnescape(aws.ToString(raw)); err != nil || got != doc {
		t.Errorf("%s document decoded=%q,%v, want exactly %q", what, got, err, doc)
	}
}

// TestGetAccountAuthorizationDetails: the unfiltered answer holds every
// user, group and customer policy with their details, and of the AWS
// managed policies only those the account uses.
func TestGetAccountAuthorizationDetails(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	shared := authDetailsAccount(t, tg)
	out := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))
	if out.IsTruncated || out.Marker != nil {
		t.Errorf("IsTruncated=%v Marker=%v, want one page", out.IsTruncated, out.Marker)
	}
	if got, want := len(out.RoleDetailList), 0; got != want {
		t.Errorf("len(RoleDetailList)=%d, want %d", got, want)
	}
	if got, want := authItems(out)[:3], []string{"user:alice", "user:bob", "group:devs"}; !slices.Equal(got, want) {
		t.Fatalf("users and groups=%v, want %v", got, want)
	}

	alice, bob := out.UserDetailList[0], out.UserDetailList[1]
	if got, want := *alice.Arn, "arn:aws:iam::"+account+":user/alice"; got != want {
		t.Errorf("alice Arn=%q, want %q", got, want)
	}
	if got, want := alice.GroupList, []string{"devs"}; !slices.Equal(got, want) {
		t.Errorf("alice GroupList=%v, want %v", got, want)
	}
	if len(alice.UserPolicyList) != 1 || *alice.UserPolicyList[0].PolicyName != "alice-inline" {
		t.Fatalf("alice UserPolicyList=%+v, want alice-inline", alice.UserPolicyList)
	}
	wantDocument(t, "alice-inline", alice.UserPolicyList[0].PolicyDocument, aliceInline)
	if got, want := attachedNames(alice.AttachedManagedPolicies), []string{"shared"}; !slices.Equal(got, want) || *alice.AttachedManagedPolicies[0].PolicyArn != shared {
		t.Errorf("alice AttachedManagedPolicies=%v, want %v (%s)", got, want, shared)
	}
	if b := alice.PermissionsBoundary; b == nil || aws.ToString(b.PermissionsBoundaryArn) != readOnlyAccess || b.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Errorf("alice PermissionsBoundary=%+v, want %s", b, readOnlyAccess)
	}
	if len(alice.Tags) != 1 || *alice.Tags[0].Key != "team" || *alice.Tags[0].Value != "platform" {
		t.Errorf("alice Tags=%+v, want team=platform", alice.Tags)
	}
	if len(bob.UserPolicyList)+len(bob.GroupList)+len(bob.AttachedManagedPolicies)+len(bob.Tags) != 0 || bob.PermissionsBoundary != nil {
		t.Errorf("bob=%+v, want no policies, groups, tags or boundary", bob)
	}

	devs := out.GroupDetailList[0]
	if len(devs.GroupPolicyList) != 1 || *devs.GroupPolicyList[0].PolicyName != "devs-inline" {
		t.Fatalf("devs GroupPolicyList=%+v, want devs-inline", devs.GroupPolicyList)
	}
	wantDocument(t, "devs-inline", devs.GroupPolicyList[0].PolicyDocument, samplePolicy3)
	if got, want := attachedNames(devs.AttachedManagedPolicies), []string{"AdministratorAccess"}; !slices.Equal(got, want) {
		t.Errorf("devs AttachedManagedPolicies=%v, want %v", got, want)
	}

	policies := map[string]types.ManagedPolicyDetail{}
	for _, p := range out.Policies {
		policies[*p.PolicyName] = p
	}
	if got, want := len(out.Policies), 3; got != want {
		t.Fatalf("%d Policies %v, want %d: shared and the AWS managed policies in use", got, authItems(out)[3:], want)
	}
	if !slices.IsSortedFunc(out.Policies, func(a, b types.ManagedPolicyDetail) int { return strings.Compare(*a.PolicyId, *b.PolicyId) }) {
		t.Errorf("Policies %v are not in PolicyId order", authItems(out)[3:])
	}
	p := policies["shared"]
	if aws.ToString(p.Arn) != shared || aws.ToString(p.DefaultVersionId) != "v2" || aws.ToString(p.Description) != "two versions" ||
		aws.ToInt32(p.AttachmentCount) != 1 || aws.ToInt32(p.PermissionsBoundaryUsageCount) != 0 || !p.IsAttachable {
		t.Errorf("shared=%+v, want its ARN, v2, the description, 1 attachment, attachable", p)
	}
	if got, want := len(p.PolicyVersionList), 2; got != want {
		t.Fatalf("shared has %d versions, want %d", got, want)
	}
	for i, want := range []struct {
		id        string
		isDefault bool
		doc       string
	}{{"v2", true, samplePolicy2}, {"v1", false, samplePolicy}} {
		v := p.PolicyVersionList[i]
		if aws.ToString(v.VersionId) != want.id || v.IsDefaultVersion != want.isDefault || v.CreateDate == nil {
			t.Errorf("shared version %d=%s default=%v, want %s default=%v (newest first)", i, aws.ToString(v.VersionId), v.IsDefaultVersion, want.id, want.isDefault)
		}
		wantDocument(t, "shared "+want.id, v.Document, want.doc)
	}
	if admin := policies["AdministratorAccess"]; aws.ToString(admin.Arn) != adminAccess || aws.ToInt32(admin.AttachmentCount) != 1 || len(admin.PolicyVersionList) != 1 || !admin.PolicyVersionList[0].IsDefaultVersion {
		t.Errorf("AdministratorAccess=%+v, want 1 attachment and its default version", admin)
	}
	if ro := policies["ReadOnlyAccess"]; aws.ToInt32(ro.AttachmentCount) != 0 || aws.ToInt32(ro.PermissionsBoundaryUsageCount) != 1 {
		t.Errorf("ReadOnlyAccess counts=%d,%d, want 0 attachments, 1 boundary use", aws.ToInt32(ro.AttachmentCount), aws.ToInt32(ro.PermissionsBoundaryUsageCount))
	}
}

// TestGetAccountAuthorizationDetailsFilter: each entity type alone, two
// together, and none (all).
func TestGetAccountAuthorizationDetailsFilter(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	authDetailsAccount(t, tg)
	// ReadOnlyAccess's PolicyId (ANPAILL3…) sorts before AdministratorAccess's (ANPAIWMB…).
	awsInUse := []string{"policy:ReadOnlyAccess", "policy:AdministratorAccess"}
	for _, tc := range []struct {
		filter []types.EntityType
		want   []string
	}{
		{[]types.EntityType{types.EntityTypeUser}, []string{"user:alice", "user:bob"}},
		{[]types.EntityType{types.EntityTypeGroup}, []string{"group:devs"}},
		{[]types.EntityType{types.EntityTypeRole}, nil},
		{[]types.EntityType{types.EntityTypeLocalManagedPolicy}, []string{"policy:shared"}},
		{[]types.EntityType{types.EntityTypeAWSManagedPolicy}, awsInUse},
		{[]types.EntityType{types.EntityTypeGroup, types.EntityTypeAWSManagedPolicy}, append([]string{"group:devs"}, awsInUse...)},
	} {
		if got := authDetailItems(t, c, tc.filter, 100); !slices.Equal(got, tc.want) {
			t.Errorf("Filter=%v: %v, want %v", tc.filter, got, tc.want)
		}
	}
	all := authDetailItems(t, c, nil, 100)
	slices.Sort(all)
	if want := []string{"group:devs", "policy:AdministratorAccess", "policy:ReadOnlyAccess", "policy:shared", "user:alice", "user:bob"}; !slices.Equal(all, want) {
		t.Errorf("no Filter: %v, want %v", all, want)
	}
}

// TestGetAccountAuthorizationDetailsPaging: small pages walk the whole
// answer across its lists with one marker; another list's marker is
// refused, and this action's marker is refused by another list.
func TestGetAccountAuthorizationDetailsPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	authDetailsAccount(t, tg)
	whole := authDetailItems(t, c, nil, 1000)
	if got, want := len(whole), 6; got != want {
		t.Fatalf("whole answer %v has %d items, want %d", whole, got, want)
	}
	for _, size := range []int32{1, 2} {
		if got := authDetailItems(t, c, nil, size); !slices.Equal(got, whole) {
			t.Errorf("MaxItems=%d pages: %v, want %v", size, got, whole)
		}
	}
	filter := []types.EntityType{types.EntityTypeUser, types.EntityTypeLocalManagedPolicy}
	if got, want := authDetailItems(t, c, filter, 1), []string{"user:alice", "user:bob", "policy:shared"}; !slices.Equal(got, want) {
		t.Errorf("Filter=%v MaxItems=1 pages: %v, want %v", filter, got, want)
	}

	users := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1)}))
	_, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Marker: users.Marker})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	first := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(1)}))
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{Marker: first.Marker})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	_, err = c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Marker: aws.String("not-a-marker")})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
}
