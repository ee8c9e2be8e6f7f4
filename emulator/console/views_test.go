package console_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/wire"
)

const (
	readOnlyARN       = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	changePasswordARN = "arn:aws:iam::aws:policy/IAMUserChangePassword"
	trustAccount      = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
)

// world is an account with a bit of everything the views show: taro (in
// group devs, with ReadOnlyAccess attached, an inline policy, a key and a
// tag), the group, the role admin and the customer policy deploy.
func (s *testServer) world(t testing.TB) {
	t.Helper()
	ctx := root()
	s.consoleUser(t, "taro", "Passw0rd!x", false, map[string]string{"all": allowAll})
	must(s.e.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("taro"), Tags: tags("team", "blue")}))(t)
	must(s.e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")}))(t)
	must(s.e.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))(t)
	must(s.e.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("taro")}))(t)
	must(s.e.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("taro"), PolicyArn: aws.String(readOnlyARN)}))(t)
	must(s.e.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("deploy"), Description: aws.String("ship it"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`)}))(t)
	must(s.e.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String(localPolicy("deploy"))}))(t)
	must(s.e.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(trustAccount), MaxSessionDuration: aws.Int32(7200)}))(t)
}

func localPolicy(name string) string { return "arn:aws:iam::" + account + ":policy/" + name }

// TestViewsForAnAllowedUser: every view shows what the API says.
func TestViewsForAnAllowedUser(t *testing.T) {
	s := start(t)
	s.world(t)
	b := s.browser(t)
	b.signIn("taro", "Passw0rd!x")
	for _, c := range []struct{ path, want string }{
		{"/console/iam/users", "taro"},
		{"/console/iam/users/taro", "arn:aws:iam::123456789012:user/taro"},
		{"/console/iam/users/taro", "User groups Group name devs Remove"},
		{"/console/iam/users/taro", "Managed policies Policy name ReadOnlyAccess"},
		{"/console/iam/users/taro", `Inline policies all { "Version": "2012-10-17", "Statement": [`},
		{"/console/iam/users/taro", "Console access Enabled"},
		{"/console/iam/users/taro", "Access keys Access key ID Status Created AKIA"},
		{"/console/iam/users/taro", "team blue"},
		{"/console/iam/users/taro", `href="/console/iam/policy/arn:aws:iam::aws:policy/ReadOnlyAccess"`},
		{"/console/iam/groups", "devs"},
		{"/console/iam/groups/devs", "Users in this group User name taro"},
		{"/console/iam/groups/devs", "deploy"},
		{"/console/iam/roles", "admin"},
		{"/console/iam/roles/admin", `Trust relationships { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::123456789012:root" }, "Action": "sts:AssumeRole" } ] }`},
		{"/console/iam/roles/admin", "Maximum session duration 2 hour(s)"},
		{"/console/iam/roles/admin", "/console/switchrole?account=123456789012&roleName=admin"},
		{"/console/iam/policies?scope=Local", "deploy Customer managed 1"},
		{"/console/iam/policies?scope=AWS&q=readonlyaccess", "Policy name Type Attached entities ReadOnlyAccess AWS managed 1"},
		{"/console/iam/policies?scope=AWS&q=readonlyaccess", "1–50 of"},
		{"/console/iam/policies?scope=AWS&q=readonlyaccess&page=2", "51–100 of"},
		{"/console/iam/policy/" + localPolicy("deploy"), `ship it`},
		{"/console/iam/policy/" + localPolicy("deploy"), `"Action": "s3:PutObject",`},
		{"/console/iam/policy/" + localPolicy("deploy"), "Group: devs"},
		{"/console/iam/policy/" + readOnlyARN, "User: taro"},
	} {
		b.get(c.path)
		if got, want := b.status, http.StatusOK; got != want {
			t.Fatalf("GET %s: status %d, want %d:\n%s", c.path, got, want, b.text())
		}
		if !strings.Contains(b.body, c.want) {
			b.wantText(c.want)
		}
	}
	b.get("/console/iam/policy/" + readOnlyARN + "?lang=ja")
	b.wantText("ポリシードキュメント (JSON)")
}

// TestViewsInJapanese: the views speak AWS's Japanese console terms.
func TestViewsInJapanese(t *testing.T) {
	s := start(t)
	s.world(t)
	b := s.browser(t)
	b.lang = "ja"
	b.signIn("taro", "Passw0rd!x")
	b.get("/console/iam/roles/admin")
	b.wantText("信頼関係")
	b.wantText("アクセス許可")
	b.get("/console/iam/users/taro")
	b.wantText("ユーザーグループ")
}

// TestViewsDenied: a user without a policy sees AWS's AccessDenied in each
// view, not a crash.
func TestViewsDenied(t *testing.T) {
	s := start(t)
	s.world(t)
	s.consoleUser(t, "hanako", "Passw0rd!x", false, nil)
	b := s.browser(t)
	b.signIn("hanako", "Passw0rd!x")
	for _, c := range []struct{ path, action string }{
		{"/console/iam/users", "iam:ListUsers"},
		{"/console/iam/users/taro", "iam:GetUser"},
		{"/console/iam/groups", "iam:ListGroups"},
		{"/console/iam/groups/devs", "iam:GetGroup"},
		{"/console/iam/roles", "iam:ListRoles"},
		{"/console/iam/roles/admin", "iam:GetRole"},
		{"/console/iam/policies", "iam:ListPolicies"},
		{"/console/iam/policy/" + localPolicy("deploy"), "iam:GetPolicy"},
		{"/console/iam/attach/users/taro", "iam:ListPolicies"},
	} {
		b.get(c.path)
		b.wantText("AccessDenied User: arn:aws:iam::123456789012:user/hanako is not authorized to perform: " + c.action)
	}
}

// TestCreateUserForm: the form makes the user, its console password with
// a reset required, and attaches IAMUserChangePassword, as AWS's console.
func TestCreateUserForm(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "admin", "Passw0rd!x", false, map[string]string{"all": allowAll})
	b := s.browser(t)
	b.signIn("admin", "Passw0rd!x")
	b.get("/console/iam/users")
	b.post("/console/iam/users", url.Values{"name": {"jiro"}, "console": {"1"}, "password": {"Init1al!pass"}, "reset": {"1"}})
	b.wantText("User created.")
	b.wantText("arn:aws:iam::123456789012:user/jiro")
	lp := must(s.e.GetLoginProfile(root(), &iam.GetLoginProfileInput{UserName: aws.String("jiro")}))(t)
	if !lp.LoginProfile.PasswordResetRequired {
		t.Fatal("PasswordResetRequired=false, want true")
	}
	attached := must(s.e.ListAttachedUserPolicies(root(), &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jiro")}))(t)
	if got, want := len(attached.AttachedPolicies), 1; got != want {
		t.Fatalf("%d policies attached, want %d", got, want)
	}
	if got, want := aws.ToString(attached.AttachedPolicies[0].PolicyArn), changePasswordARN; got != want {
		t.Fatalf("attached %s, want %s", got, want)
	}

	t.Run("ValidationError", func(t *testing.T) {
		b := b.in(t)
		b.post("/console/iam/users", url.Values{"name": {"ji ro"}})
		b.wantText("ValidationError 1 validation error detected: Value at 'userName' failed to satisfy constraint")
	})
	t.Run("PasswordPolicyViolation", func(t *testing.T) {
		b := b.in(t)
		must(s.e.UpdateAccountPasswordPolicy(root(), &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(20)}))(t)
		b.post("/console/iam/users", url.Values{"name": {"saburo"}, "console": {"1"}, "password": {"Short1!pass"}})
		b.wantText("PasswordPolicyViolation Password does not conform to the account password policy.")
		if _, err := s.e.GetUser(root(), &iam.GetUserInput{UserName: aws.String("saburo")}); !isNoSuchEntity(err) {
			t.Fatalf("GetUser after a refused password: err=%v, want NoSuchEntity", err)
		}
	})
	t.Run("EntityAlreadyExists", func(t *testing.T) {
		b := b.in(t)
		b.post("/console/iam/users", url.Values{"name": {"jiro"}})
		b.wantText("EntityAlreadyExists User with name jiro already exists.")
	})
}

// TestGroupAndPolicyForms: create a group, add a user, attach a managed
// policy from the list and by ARN, detach it, remove the user; each step
// is checked through the API.
func TestGroupAndPolicyForms(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "admin", "Passw0rd!x", false, map[string]string{"all": allowAll})
	must(s.e.CreateUser(root(), &iam.CreateUserInput{UserName: aws.String("jiro")}))(t)
	b := s.browser(t)
	b.signIn("admin", "Passw0rd!x")

	b.get("/console/iam/groups")
	b.post("/console/iam/groups", url.Values{"name": {"devs"}})
	b.wantText("User group created.")
	b.post("/console/iam/groups/devs/users", url.Values{"user": {"jiro"}})
	b.wantText("User added to the group.")
	if got, want := len(must(s.e.GetGroup(root(), &iam.GetGroupInput{GroupName: aws.String("devs")}))(t).Users), 1; got != want {
		t.Fatalf("devs has %d users, want %d", got, want)
	}

	b.get("/console/iam/attach/groups/devs?scope=AWS&q=ReadOnlyAccess")
	b.wantText("ReadOnlyAccess")
	b.post("/console/iam/attach/groups/devs", url.Values{"arn": {readOnlyARN}})
	b.wantText("Policy attached.")
	b.post("/console/iam/attach/users/jiro", url.Values{"arn": {"", changePasswordARN}})
	b.wantText("Policy attached.")
	if got, want := attachedTo(t, s, "jiro"), changePasswordARN; got != want {
		t.Fatalf("jiro has %q attached, want %q", got, want)
	}
	b.post("/console/iam/detach/users/jiro", url.Values{"arn": {changePasswordARN}})
	b.wantText("Policy detached.")
	if got, want := attachedTo(t, s, "jiro"), ""; got != want {
		t.Fatalf("jiro has %q attached, want %q", got, want)
	}
	b.post("/console/iam/users/jiro/groups/remove", url.Values{"group": {"devs"}})
	b.wantText("User removed from the group.")
	b.post("/console/iam/users/jiro/groups", url.Values{"group": {"devs"}})
	b.wantText("User added to the group.")
	groups := must(s.e.ListGroupsForUser(root(), &iam.ListGroupsForUserInput{UserName: aws.String("jiro")}))(t).Groups
	if got, want := len(groups), 1; got != want {
		t.Fatalf("jiro in %d groups, want %d", got, want)
	}
	attached := must(s.e.ListAttachedGroupPolicies(root(), &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("devs")}))(t).AttachedPolicies
	if got, want := len(attached), 1; got != want {
		t.Fatalf("devs has %d policies, want %d", got, want)
	}

	t.Run("NoSuchEntity", func(t *testing.T) {
		b := b.in(t)
		b.post("/console/iam/attach/users/jiro", url.Values{"arn": {localPolicy("nothing")}})
		b.wantText("NoSuchEntity Policy arn:aws:iam::123456789012:policy/nothing does not exist or is not attachable.")
	})
}

// TestAttachDenied: a read-only user sees the views but not the change.
func TestAttachDenied(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "reader", "Passw0rd!x", false, nil)
	must(s.e.AttachUserPolicy(root(), &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(readOnlyARN)}))(t)
	b := s.browser(t)
	b.signIn("reader", "Passw0rd!x")
	b.get("/console/iam/users/reader")
	b.wantText("ReadOnlyAccess")
	b.post("/console/iam/attach/users/reader", url.Values{"arn": {changePasswordARN}})
	if got, want := b.status, http.StatusForbidden; got != want {
		t.Fatalf("status %d, want %d", got, want)
	}
	b.wantText("AccessDenied User: arn:aws:iam::123456789012:user/reader is not authorized to perform: iam:AttachUserPolicy")
	if got, want := attachedTo(t, s, "reader"), readOnlyARN; got != want {
		t.Fatalf("reader has %q attached, want %q", got, want)
	}
	b.post("/console/iam/groups", url.Values{"name": {"devs"}})
	b.wantText("not authorized to perform: iam:CreateGroup")
}

// attachedTo is the ARNs of the managed policies attached to user name,
// joined by spaces.
func attachedTo(t testing.TB, s *testServer, name string) string {
	t.Helper()
	out := must(s.e.ListAttachedUserPolicies(root(), &iam.ListAttachedUserPoliciesInput{UserName: aws.String(name)}))(t)
	arns := ""
	for i, p := range out.AttachedPolicies {
		if i > 0 {
			arns += " "
		}
		arns += aws.ToString(p.PolicyArn)
	}
	return arns
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func isNoSuchEntity(err error) bool {
	var we *wire.Error
	return errors.As(err, &we) && we.Code == "NoSuchEntity"
}
