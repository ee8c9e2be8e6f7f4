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
	}
	for _, tc := range cases {
		t.Run("MalformedPolicyDocument/"+tc.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("new"), AssumeRolePolicyDocument: aws.String(tc.doc)})
			wantAPIError(t, err, "MalformedPolicyDocument", 400, tc.message)
			_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("target"), PolicyDocument: aws.String(tc.doc)})
			wantAPIError(t, err, "MalformedPolicyDocument", 400, tc.message)
		})
	}
	existing := stmt(`"Principal":{"AWS":["arn:aws:iam::123456789012:user/alice","arn:aws:iam::123456789012:role/target","arn:aws:iam::111122223333:role/elsewhere"]},"Action":"sts:AssumeRole"`)
	must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("trusting"), AssumeRolePolicyDocument: aws.String(existing)}))
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
