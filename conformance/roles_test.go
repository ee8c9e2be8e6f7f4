package conformance

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// ec2Trust is the trust policy of LocalStack's role tests recorded on AWS.
const ec2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func roleARN(path, name string) string { return "arn:aws:iam::" + account + ":role" + path + name }

func noSuchRole(name string) string { return "The role with name " + name + " cannot be found." }

// createRole creates a role trusting EC2 as root and returns it.
func (tg *target) createRole(t testing.TB, name string) *types.Role {
	t.Helper()
	out, err := tg.iam().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(ec2Trust)})
	if err != nil {
		t.Fatalf("CreateRole %s: %v", name, err)
	}
	return out.Role
}

// trustOf decodes a role's AssumeRolePolicyDocument, URL-encoded on the wire.
func trustOf(t testing.TB, r *types.Role) string {
	t.Helper()
	doc, err := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument))
	if err != nil {
		t.Fatalf("AssumeRolePolicyDocument %q: %v", aws.ToString(r.AssumeRolePolicyDocument), err)
	}
	return doc
}

func TestRoleLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	created := must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("app"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(ec2Trust),
		Description: aws.String("the app"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}},
	})).Role
	if got, want := aws.ToString(created.Arn), roleARN("/svc/", "app"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if id := aws.ToString(created.RoleId); !strings.HasPrefix(id, "AROA") || len(id) != 21 {
		t.Errorf("RoleId=%q, want AROA + 17 characters", id)
	}
	if got, want := trustOf(t, created), ec2Trust; got != want {
		t.Errorf("AssumeRolePolicyDocument=%q, want %q", got, want)
	}
	if created.MaxSessionDuration != nil || created.RoleLastUsed != nil {
		t.Errorf("CreateRole answered MaxSessionDuration %v and RoleLastUsed %v, want neither", created.MaxSessionDuration, created.RoleLastUsed)
	}
	if got, want := len(created.Tags), 1; got != want {
		t.Errorf("len(Tags)=%d, want %d", got, want)
	}

	got := must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("APP")})).Role
	if got, want := aws.ToInt32(got.MaxSessionDuration), int32(3600); got != want {
		t.Errorf("MaxSessionDuration=%d, want %d", got, want)
	}
	if got.RoleLastUsed == nil || got.RoleLastUsed.LastUsedDate != nil {
		t.Errorf("RoleLastUsed=%+v, want {}", got.RoleLastUsed)
	}
	if got, want := aws.ToString(got.Description), "the app"; got != want {
		t.Errorf("Description=%q, want %q", got, want)
	}

	must[*iam.UpdateRoleOutput](t)(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), MaxSessionDuration: aws.Int32(7200)}))
	desc := must[*iam.UpdateRoleDescriptionOutput](t)(c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("app"), Description: aws.String("new")})).Role
	if got, want := aws.ToString(desc.Description), "new"; got != want {
		t.Errorf("UpdateRoleDescription Description=%q, want %q", got, want)
	}
	if desc.MaxSessionDuration != nil {
		t.Errorf("UpdateRoleDescription answered MaxSessionDuration %d, want none", *desc.MaxSessionDuration)
	}
	must[*iam.UpdateRoleOutput](t)(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app")}))
	got = must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})).Role
	if aws.ToInt32(got.MaxSessionDuration) != 7200 || aws.ToString(got.Description) != "new" {
		t.Errorf("after UpdateRole with only RoleName: MaxSessionDuration=%d Description=%q, want 7200 and %q", aws.ToInt32(got.MaxSessionDuration), aws.ToString(got.Description), "new")
	}

	rootTrust := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}}`
	must[*iam.UpdateAssumeRolePolicyOutput](t)(c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(rootTrust)}))
	got = must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})).Role
	if got, want := trustOf(t, got), rootTrust; got != want {
		t.Errorf("trust after UpdateAssumeRolePolicy=%q, want %q", got, want)
	}

	listed := must[*iam.ListRolesOutput](t)(c.ListRoles(ctx, &iam.ListRolesInput{})).Roles
	if len(listed) != 1 {
		t.Fatalf("ListRoles=%d roles, want 1", len(listed))
	}
	if r := listed[0]; r.Tags != nil || r.RoleLastUsed != nil || aws.ToInt32(r.MaxSessionDuration) != 7200 || aws.ToString(r.Description) != "new" {
		t.Errorf("listed role=%+v, want MaxSessionDuration and Description, no Tags or RoleLastUsed", r)
	}

	must[*iam.DeleteRoleOutput](t)(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")}))
	_, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("app"))
}

func TestRoleErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createRole(t, "exists")

	t.Run("EntityAlreadyExists", func(t *testing.T) {
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("EXISTS"), AssumeRolePolicyDocument: aws.String(ec2Trust)})
		wantAPIError(t, err, "EntityAlreadyExists", 409, "Role with name EXISTS already exists.")
	})
	for name, call := range map[string]func() error{
		"GetRole": func() error { _, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("nope")}); return err },
		"UpdateRole": func() error {
			_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("nope"), Description: aws.String("x")})
			return err
		},
		"DeleteRole": func() error {
			_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("nope")})
			return err
		},
		"UpdateRoleDescription": func() error {
			_, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("nope"), Description: aws.String("x")})
			return err
		},
		"UpdateAssumeRolePolicy": func() error {
			_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("nope"), PolicyDocument: aws.String(ec2Trust)})
			return err
		},
	} {
		t.Run("NoSuchEntity/"+name, func(t *testing.T) { wantAPIError(t, call(), "NoSuchEntity", 404, noSuchRole("nope")) })
	}
	t.Run("ValidationError/MaxSessionDuration", func(t *testing.T) {
		_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("exists"), MaxSessionDuration: aws.Int32(60)})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
	})
	t.Run("LimitExceeded/ACLSizePerRole", func(t *testing.T) {
		big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/x":"` + strings.Repeat("a", 2048) + `"}}}]}`
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("big"), AssumeRolePolicyDocument: aws.String(big)})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for ACLSizePerRole: 2048")
	})
}

// TestTrustPolicyValidation checks each trust policy fault on CreateRole
// and UpdateAssumeRolePolicy alike (texts: aws-facts §4 Roles).
func TestTrustPolicyValidation(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createRole(t, "target")
	tg.createUser(t, "alice")
	stmt := func(body string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` + body + `}]}`
	}
	cases := []struct{ name, doc, message string }{
		{"invalid Json", "not valid json", "This policy contains invalid Json"},
		{"other action", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:InvalidAction"`), "AssumeRole policy may only specify STS AssumeRole actions."},
		{"Resource", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"arn:aws:s3:::example_bucket"`), "Has prohibited field Resource"},
		{"no Principal", stmt(`"Action":"sts:AssumeRole"`), "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"},
		{"missing role", stmt(`"Principal":{"AWS":"arn:aws:iam::123456789012:role/ghost"},"Action":"sts:AssumeRole"`), `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/ghost"`},
		{"missing user", stmt(`"Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"`), `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/bob"`},
		{"missing OIDC provider", stmt(`"Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"`), `Invalid principal in policy: "Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"`},
		{"missing SAML provider", stmt(`"Principal":{"Federated":"arn:aws:iam::123456789012:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML"`), `Invalid principal in policy: "Federated":"arn:aws:iam::123456789012:saml-provider/corp"`},
		{"Federated not a provider", stmt(`"Principal":{"Federated":"not a provider"},"Action":"sts:AssumeRoleWithWebIdentity"`), "Federated principals must be valid domain names or SAML metadata ARNs"},
	}
	for _, tc := range cases {
		t.Run("MalformedPolicyDocument/"+tc.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("new"), AssumeRolePolicyDocument: aws.String(tc.doc)})
			wantAPIError(t, err, "MalformedPolicyDocument", 400, tc.message)
			_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("target"), PolicyDocument: aws.String(tc.doc)})
			wantAPIError(t, err, "MalformedPolicyDocument", 400, tc.message)
		})
	}
	t.Run("MalformedPolicyDocument/user under another path", func(t *testing.T) {
		doc := stmt(`"Principal":{"AWS":"arn:aws:iam::123456789012:user/team/alice"},"Action":"sts:AssumeRole"`)
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("new"), AssumeRolePolicyDocument: aws.String(doc)})
		wantAPIError(t, err, "MalformedPolicyDocument", 400, `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:user/team/alice"`)
	})
	must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deep"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(ec2Trust)}))
	existing := stmt(`"Principal":{"AWS":["arn:aws:iam::123456789012:user/alice","arn:aws:iam::123456789012:role/target","arn:aws:iam::123456789012:role/svc/deep","arn:aws:iam::111122223333:role/elsewhere","123456789012"]},"Action":"sts:AssumeRole"`)
	must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("trusting"), AssumeRolePolicyDocument: aws.String(existing)}))
	must[*iam.CreateOpenIDConnectProviderOutput](t)(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.actions.githubusercontent.com"), ClientIDList: []string{"sts.amazonaws.com"}}))
	federated := stmt(`"Principal":{"Federated":["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com","cognito-identity.amazonaws.com"]},"Action":"sts:AssumeRoleWithWebIdentity"`)
	must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("federated"), AssumeRolePolicyDocument: aws.String(federated)}))
}

func TestListRolesPathPrefixAndPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	for _, name := range []string{"a", "b", "c"} {
		must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), Path: aws.String("/test-lifecycle-path/"), AssumeRolePolicyDocument: aws.String(ec2Trust)}))
	}
	tg.createRole(t, "root-path")
	names := allPages(t, "ListRoles", 2, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListRolesOutput](t)(c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/test-life"), MaxItems: aws.Int32(2), Marker: marker}))
		var names []string
		for _, r := range out.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
		return names, out.IsTruncated, out.Marker
	})
	if got, want := strings.Join(names, ","), "a,b,c"; got != want {
		t.Errorf("ListRoles under /test-life=%s, want %s", got, want)
	}
	_, err := c.ListRoles(ctx, &iam.ListRolesInput{Marker: aws.String("bogus")})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
}

const listBucketPolicy = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`

// TestRolePolicies runs a role's inline and attached policies, boundary
// and tags through their actions, and DeleteRole's conflicts on each.
func TestRolePolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createRole(t, "app")
	arn := tg.createPolicy(t, "list", listBucketPolicy)
	name := aws.String("app")

	must[*iam.PutRolePolicyOutput](t)(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: name, PolicyName: aws.String("inline"), PolicyDocument: aws.String(listBucketPolicy)}))
	got := must[*iam.GetRolePolicyOutput](t)(c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String("inline")}))
	if doc, _ := url.QueryUnescape(aws.ToString(got.PolicyDocument)); doc != listBucketPolicy || aws.ToString(got.RoleName) != "app" {
		t.Errorf("GetRolePolicy = %s %q, want app %q", aws.ToString(got.RoleName), doc, listBucketPolicy)
	}
	names := must[*iam.ListRolePoliciesOutput](t)(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: name})).PolicyNames
	if got, want := strings.Join(names, ","), "inline"; got != want {
		t.Errorf("ListRolePolicies=%s, want %s", got, want)
	}
	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete policies first.")
	must[*iam.DeleteRolePolicyOutput](t)(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: name, PolicyName: aws.String("inline")}))
	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String("inline")})
	wantAPIError(t, err, "NoSuchEntity", 404, "The role policy with name inline cannot be found.")

	must[*iam.AttachRolePolicyOutput](t)(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: name, PolicyArn: aws.String(arn)}))
	attached := must[*iam.ListAttachedRolePoliciesOutput](t)(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: name})).AttachedPolicies
	if len(attached) != 1 || aws.ToString(attached[0].PolicyArn) != arn {
		t.Errorf("ListAttachedRolePolicies=%+v, want [%s]", attached, arn)
	}
	entities := must[*iam.ListEntitiesForPolicyOutput](t)(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn), EntityFilter: types.EntityTypeRole}))
	if len(entities.PolicyRoles) != 1 || aws.ToString(entities.PolicyRoles[0].RoleName) != "app" {
		t.Errorf("ListEntitiesForPolicy PolicyRoles=%+v, want [app]", entities.PolicyRoles)
	}
	if got := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy.AttachmentCount; aws.ToInt32(got) != 1 {
		t.Errorf("AttachmentCount=%d, want 1", aws.ToInt32(got))
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete a policy attached to entities.")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must detach all policies first.")
	must[*iam.DetachRolePolicyOutput](t)(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: name, PolicyArn: aws.String(arn)}))
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: name, PolicyArn: aws.String(arn)})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(arn))

	must[*iam.PutRolePermissionsBoundaryOutput](t)(c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: aws.String(arn)}))
	role := must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: name})).Role
	if role.PermissionsBoundary == nil || aws.ToString(role.PermissionsBoundary.PermissionsBoundaryArn) != arn {
		t.Errorf("PermissionsBoundary=%+v, want %s", role.PermissionsBoundary, arn)
	}
	if got := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy.PermissionsBoundaryUsageCount; aws.ToInt32(got) != 1 {
		t.Errorf("PermissionsBoundaryUsageCount=%d, want 1", aws.ToInt32(got))
	}
	must[*iam.DeleteRolePermissionsBoundaryOutput](t)(c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: name}))
	role = must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: name})).Role
	if role.PermissionsBoundary != nil {
		t.Errorf("PermissionsBoundary after delete=%+v, want none", role.PermissionsBoundary)
	}

	must[*iam.TagRoleOutput](t)(c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}, {Key: aws.String("k2"), Value: aws.String("v2")}}}))
	must[*iam.UntagRoleOutput](t)(c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: name, TagKeys: []string{"K"}}))
	tags := must[*iam.ListRoleTagsOutput](t)(c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: name})).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "k2" {
		t.Errorf("ListRoleTags=%+v, want [k2]", tags)
	}
	must[*iam.DeleteRoleOutput](t)(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name}))
}

func TestRolePolicyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createRole(t, "app")
	name := aws.String("app")
	missing := "arn:aws:iam::" + account + ":policy/nope"

	t.Run("NoSuchEntity/PutRolePolicy", func(t *testing.T) {
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("nope"), PolicyName: aws.String("p"), PolicyDocument: aws.String(listBucketPolicy)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("nope"))
	})
	t.Run("NoSuchEntity/AttachRolePolicy", func(t *testing.T) {
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: name, PolicyArn: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, notAttachable(missing))
	})
	t.Run("NoSuchEntity/PutRolePermissionsBoundary", func(t *testing.T) {
		_, err := c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, "Scope ARN: "+missing+" does not exist or is not attachable.")
	})
	t.Run("InvalidInput/PutRolePermissionsBoundary", func(t *testing.T) {
		bad := "arn:aws:iam::" + account + ":user/bob"
		_, err := c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: aws.String(bad)})
		wantAPIError(t, err, "InvalidInput", 400, "ARN "+bad+" is not valid.")
	})
	t.Run("MalformedPolicyDocument/PutRolePolicy", func(t *testing.T) {
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: name, PolicyName: aws.String("p"), PolicyDocument: aws.String("nope")})
		wantAPIError(t, err, "MalformedPolicyDocument", 400, "Syntax errors in policy.")
	})
	t.Run("LimitExceeded/RolePolicySize", func(t *testing.T) {
		big := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::` + strings.Repeat("b", 10240) + `"}}`
		_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: name, PolicyName: aws.String("p"), PolicyDocument: aws.String(big)})
		wantAPIError(t, err, "LimitExceeded", 409, "Maximum policy size of 10240 bytes exceeded for role app")
	})
	t.Run("LimitExceeded/PoliciesPerRole", func(t *testing.T) {
		for i := range 10 {
			arn := tg.createPolicy(t, "p"+string(rune('a'+i)), listBucketPolicy)
			must[*iam.AttachRolePolicyOutput](t)(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: name, PolicyArn: aws.String(arn)}))
		}
		arn := tg.createPolicy(t, "eleventh", listBucketPolicy)
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: name, PolicyArn: aws.String(arn)})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for PoliciesPerRole: 10")
	})
	t.Run("NoSuchEntity/ListRoleTags", func(t *testing.T) {
		_, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("nope")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("nope"))
	})
	t.Run("InvalidInput/TagRole", func(t *testing.T) {
		_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}})
		wantAPIError(t, err, "InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	})
}

func TestRolesInAccountViews(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createRole(t, "app")
	must[*iam.CreateInstanceProfileOutput](t)(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	must[*iam.AddRoleToInstanceProfileOutput](t)(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")}))
	must[*iam.PutRolePolicyOutput](t)(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(listBucketPolicy)}))

	summary := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	for key, want := range map[string]int32{"Roles": 1, "RolesQuota": 1000, "InstanceProfiles": 1, "InstanceProfilesQuota": 1000,
		"AttachedPoliciesPerRoleQuota": 10, "RolePolicySizeQuota": 10240, "AssumeRolePolicySizeQuota": 2048} {
		if got := summary[key]; got != want {
			t.Errorf("SummaryMap[%s]=%d, want %d", key, got, want)
		}
	}

	details := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}}))
	if len(details.UserDetailList) != 0 || len(details.RoleDetailList) != 1 {
		t.Fatalf("details with Filter Role: %d users, %d roles, want 0 and 1", len(details.UserDetailList), len(details.RoleDetailList))
	}
	d := details.RoleDetailList[0]
	if len(d.InstanceProfileList) != 1 || aws.ToString(d.InstanceProfileList[0].InstanceProfileName) != "web" {
		t.Errorf("InstanceProfileList=%+v, want [web]", d.InstanceProfileList)
	}
	if len(d.RolePolicyList) != 1 || d.RoleLastUsed == nil || d.AssumeRolePolicyDocument == nil {
		t.Errorf("RoleDetail=%+v, want one inline policy, RoleLastUsed and the trust policy", d)
	}
}

// TestRoleEnforcement checks that role and instance profile actions
// authorize as AWS does: the created role's ARN for CreateRole, "role
// <name>" for the actions on one (even a missing one), the resource tags
// of the role as iam:ResourceTag, and iam:PassRole for
// AddRoleToInstanceProfile.
func TestRoleEnforcement(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	r := tg.createRole(t, "app")
	must[*iam.TagRoleOutput](t)(tg.iam().TagRole(ctx, &iam.TagRoleInput{RoleName: r.RoleName, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}))
	tg.createInstanceProfile(t, "web")

	_, err := alice.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("new"), AssumeRolePolicyDocument: aws.String(ec2Trust)})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateRole", roleARN("/", "new"), noIdentityAllows("iam:CreateRole")))
	_, err = alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("ghost")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetRole", "role ghost", noIdentityAllows("iam:GetRole")))

	tg.putUserPolicy(t, "alice", "blue", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["iam:GetRole","iam:AddRoleToInstanceProfile"],"Resource":"*","Condition":{"StringEqualsIfExists":{"iam:ResourceTag/team":"blue"}}}]}`)
	must[*iam.GetRoleOutput](t)(alice.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))
	_, err = alice.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:PassRole", roleARN("/", "app"), noIdentityAllows("iam:PassRole")))
}
