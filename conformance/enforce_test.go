package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Enforcement: every call of an IAM user is decided by its policies, and a
// denial is AWS's text (aws-facts §4 Authorization).

// denied is AWS's AccessDenied text for user alice.
func denied(permission, resource, reason string) string {
	return "User: " + userARN("/", "alice") + " is not authorized to perform: " + permission + " on resource: " + resource + " " + reason
}

func noIdentityAllows(permission string) string {
	return "because no identity-based policy allows the " + permission + " action"
}

const explicitDeny = "with an explicit deny in an identity-based policy"

// asNewUser creates alice with a key and returns her client.
func (tg *target) asNewUser(t testing.TB) *iam.Client {
	t.Helper()
	tg.createUser(t, "alice")
	id, secret := tg.createKey(t, "alice")
	c, _ := tg.as(id, secret, "")
	return c
}

func (tg *target) attachUserPolicy(t testing.TB, user, arn string) {
	t.Helper()
	if _, err := tg.iam().AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatalf("AttachUserPolicy %s %s: %v", user, arn, err)
	}
}

const iamReadOnly = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"

func TestEnforceNoPolicyDenies(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.createUser(t, "bob")

	_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateUser", userARN("/", "carol"), noIdentityAllows("iam:CreateUser")))
	_, err = alice.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetUserPolicy", "user bob", noIdentityAllows("iam:GetUserPolicy")))
	_, err = alice.GetUser(ctx, &iam.GetUserInput{})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetUser", "user alice", noIdentityAllows("iam:GetUser")))
	_, err = alice.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:DeleteUser", "user bob", noIdentityAllows("iam:DeleteUser")))
	// A denied caller learns nothing of whether the user exists.
	_, err = alice.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ghost")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetUser", "user ghost", noIdentityAllows("iam:GetUser")))
	_, err = alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("ghost")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListAccessKeys", "user ghost", noIdentityAllows("iam:ListAccessKeys")))
	_, err = alice.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String("AKIAIOSFODNN7EXAMPLE")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:DeleteAccessKey", "user bob", noIdentityAllows("iam:DeleteAccessKey")))
	_, err = alice.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("ghost"), GroupName: aws.String("devs")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:AddUserToGroup", "group devs", noIdentityAllows("iam:AddUserToGroup")))
	_, err = alice.ListPolicies(ctx, &iam.ListPoliciesInput{})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListPolicies", "policy path /", noIdentityAllows("iam:ListPolicies")))
	bobKey, _ := tg.createKey(t, "bob")
	_, err = alice.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(bobKey)})
	wantAPIError(t, err, "AccessDenied", 403, "User: "+userARN("/", "alice")+" is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key "+bobKey)
	_, err = alice.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("ghost")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListSSHPublicKeys", "user ghost", noIdentityAllows("iam:ListSSHPublicKeys")))
}

func TestEnforceAllowedByAttachedManagedPolicy(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.attachUserPolicy(t, "alice", iamReadOnly)

	must[*iam.GetUserOutput](t)(alice.GetUser(ctx, &iam.GetUserInput{}))
	must[*iam.ListUsersOutput](t)(alice.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err := alice.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ghost")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
	_, err = alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateUser", userARN("/", "carol"), noIdentityAllows("iam:CreateUser")))
}

func TestEnforceAllowedByInlinePolicy(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.putUserPolicy(t, "alice", "create", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"arn:aws:iam::*:user/team/*"}]}`)

	must[*iam.CreateUserOutput](t)(alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol"), Path: aws.String("/team/")}))
	_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateUser", userARN("/", "dave"), noIdentityAllows("iam:CreateUser")))
}

func TestEnforceAllowedByGroupPolicy(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	root := tg.iam()
	must[*iam.CreateGroupOutput](t)(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}))
	must[*iam.AttachGroupPolicyOutput](t)(root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String(iamReadOnly)}))

	_, err := alice.ListUsers(ctx, &iam.ListUsersInput{})
	wantAPIError(t, err, "AccessDenied", 403, "*")
	must[*iam.AddUserToGroupOutput](t)(root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("alice")}))
	must[*iam.ListUsersOutput](t)(alice.ListUsers(ctx, &iam.ListUsersInput{}))
	must[*iam.PutGroupPolicyOutput](t)(root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("readers"), PolicyName: aws.String("create"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]}`)}))
	must[*iam.CreateUserOutput](t)(alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))
}

func TestEnforceExplicitDeny(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.createUser(t, "bob")
	tg.putUserPolicy(t, "alice", "all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},{"Sid":"KeepBob","Effect":"Deny","Action":"iam:Delete*","Resource":"arn:aws:iam::*:user/bob"}]}`)

	_, err := alice.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:DeleteUser", "user bob", explicitDeny))
	must[*iam.CreateUserOutput](t)(alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))
	must[*iam.DeleteUserOutput](t)(alice.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")}))
}

func TestEnforcePermissionsBoundary(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.attachUserPolicy(t, "alice", "arn:aws:iam::aws:policy/IAMFullAccess")
	must[*iam.PutUserPermissionsBoundaryOutput](t)(tg.iam().PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{
		UserName: aws.String("alice"), PermissionsBoundary: aws.String(iamReadOnly)}))

	must[*iam.ListUsersOutput](t)(alice.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateUser", userARN("/", "carol"),
		"because no permissions boundary allows the iam:CreateUser action"))
}

// denyUnlessMFA is AWS's "Allows MFA-authenticated IAM users to manage
// their own credentials" example policy (IAM User Guide,
// reference_policies_examples_aws_my-sec-creds-self-manage.html).
const denyUnlessMFA = `{"Version":"2012-10-17","Statement":[
{"Sid":"AllowViewAccountInfo","Effect":"Allow","Action":["iam:GetAccountPasswordPolicy","iam:ListVirtualMFADevices"],"Resource":"*"},
{"Sid":"AllowManageOwnPasswords","Effect":"Allow","Action":["iam:ChangePassword","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
{"Sid":"AllowManageOwnAccessKeys","Effect":"Allow","Action":["iam:CreateAccessKey","iam:DeleteAccessKey","iam:ListAccessKeys","iam:UpdateAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
{"Sid":"AllowManageOwnVirtualMFADevice","Effect":"Allow","Action":["iam:CreateVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/*"},
{"Sid":"AllowManageOwnUserMFA","Effect":"Allow","Action":["iam:DeactivateMFADevice","iam:EnableMFADevice","iam:ListMFADevices","iam:ResyncMFADevice"],"Resource":"arn:aws:iam::*:user/${aws:username}"},
{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ChangePassword","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

func TestEnforceDenyUnlessMFA(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.attachUserPolicy(t, "alice", tg.createPolicy(t, "ForceMFA", denyUnlessMFA))
	must[*iam.CreateLoginProfileOutput](t)(tg.iam().CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String("alice"), Password: aws.String("First-Passw0rd")}))

	// A long-term key carries no aws:MultiFactorAuthPresent: the deny applies.
	_, err := alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateAccessKey", "user alice", explicitDeny))
	_, err = alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListAccessKeys", "user alice", explicitDeny))
	// The actions it exempts stay allowed.
	must[*iam.GetUserOutput](t)(alice.GetUser(ctx, &iam.GetUserInput{}))
	must[*iam.ChangePasswordOutput](t)(alice.ChangePassword(ctx, &iam.ChangePasswordInput{
		OldPassword: aws.String("First-Passw0rd"), NewPassword: aws.String("Second-Passw0rd")}))
	must[*iam.ListMFADevicesOutput](t)(alice.ListMFADevices(ctx, &iam.ListMFADevicesInput{}))
	must[*iam.CreateVirtualMFADeviceOutput](t)(alice.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")}))
}

// ${aws:username} scopes a policy to the caller's own user.
func TestEnforceOwnAccessKeysOnly(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	tg.createUser(t, "bob")
	tg.putUserPolicy(t, "alice", "own-keys", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:ListAccessKeys","iam:DeleteAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)

	out := must[*iam.CreateAccessKeyOutput](t)(alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
	must[*iam.ListAccessKeysOutput](t)(alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("alice")}))
	must[*iam.DeleteAccessKeyOutput](t)(alice.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: out.AccessKey.AccessKeyId}))
	_, err := alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateAccessKey", "user bob", noIdentityAllows("iam:CreateAccessKey")))
	_, err = alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("bob")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:ListAccessKeys", "user bob", noIdentityAllows("iam:ListAccessKeys")))
}

// The action's own keys: aws:RequestTag/…, iam:PolicyARN, aws:ResourceTag/….
func TestEnforceRequestKeys(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	must[*iam.CreateUserOutput](t)(tg.iam().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("dev")}}}))
	tg.createUser(t, "carol")
	tg.putUserPolicy(t, "alice", "scoped", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"dev"}}},
{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"`+iamReadOnly+`"}}},
{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"dev"}}}]}`)

	_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:CreateUser", userARN("/", "dave"), noIdentityAllows("iam:CreateUser")))
	must[*iam.CreateUserOutput](t)(alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave"),
		Tags: []types.Tag{{Key: aws.String("Team"), Value: aws.String("dev")}}}))

	_, err = alice.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String("arn:aws:iam::aws:policy/IAMFullAccess")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:AttachUserPolicy", "user bob", noIdentityAllows("iam:AttachUserPolicy")))
	must[*iam.AttachUserPolicyOutput](t)(alice.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(iamReadOnly)}))

	must[*iam.GetUserOutput](t)(alice.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}))
	_, err = alice.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("carol")})
	wantAPIError(t, err, "AccessDenied", 403, denied("iam:GetUser", "user carol", noIdentityAllows("iam:GetUser")))
}

// Tagging a policy: aws:TagKeys limits which keys, aws:ResourceTag which
// policies.
func TestEnforcePolicyTagKeys(t *testing.T) {
	tg := newTarget(t)
	alice := tg.asNewUser(t)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
	mine := tg.createPolicy(t, "mine", doc)
	must[*iam.TagPolicyOutput](t)(tg.iam().TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(mine), Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("alice")}}}))
	theirs := tg.createPolicy(t, "theirs", doc)
	tg.putUserPolicy(t, "alice", "tagging", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:TagPolicy","Resource":"*",
"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]},"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}}]}`)

	env := []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}
	must[*iam.TagPolicyOutput](t)(alice.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(mine), Tags: env}))
	_, err := alice.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(mine), Tags: []types.Tag{{Key: aws.String("cost"), Value: aws.String("1")}}})
	wantAPIError(t, err, "AccessDenied", 403, "*")
	_, err = alice.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(theirs), Tags: env})
	wantAPIError(t, err, "AccessDenied", 403, "*")
}
