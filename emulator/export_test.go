package emulator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

const (
	docAll     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	docIAM     = `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}`
	docS3      = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}"
	trustRoot  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	oidcIssuer = "https://token.example.com"
)

// must fails the test on err and otherwise gives v.
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// buildRichState makes one of everything an export carries, at dates an
// hour apart.
func buildRichState(t testing.TB, e *Emulator) {
	t.Helper()
	ctx := e.rootCtx()
	later := func() {
		if err := e.AdvanceClock(time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	tags := []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}, {Key: aws.String("cost"), Value: aws.String("42")}}
	must(e.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("round-trip")}))(t)
	must(e.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(10), RequireNumbers: true, MaxPasswordAge: aws.Int32(90)}))(t)
	pol := must(e.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Deploy"), Path: aws.String("/ops/"), Description: aws.String("deploys"), PolicyDocument: aws.String(docS3), Tags: tags}))(t)
	later()
	must(e.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(docIAM)}))(t)
	later()
	must(e.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(docAll), SetAsDefault: true}))(t)
	must(e.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: pol.Policy.Arn, VersionId: aws.String("v2")}))(t)
	later()
	must(e.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: pol.Policy.Arn, PolicyDocument: aws.String(docIAM)}))(t)
	must(e.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: pol.Policy.Arn, VersionId: aws.String("v4")}))(t)
	must(e.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("Boundary"), PolicyDocument: aws.String(docAll)}))(t)
	boundary := aws.String("arn:aws:iam::123456789012:policy/Boundary")
	later()
	must(e.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs"), Path: aws.String("/eng/")}))(t)
	must(e.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("Ops")}))(t)
	must(e.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: pol.Policy.Arn}))(t)
	must(e.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))(t)
	must(e.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("extra"), PolicyDocument: aws.String(docS3)}))(t)
	for i, name := range []string{"alice", "Bob", "carol"} {
		later()
		must(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Path: aws.String("/people/"), Tags: tags[:i%2+1]}))(t)
	}
	must(e.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("alice"), GroupName: aws.String("devs")}))(t)
	must(e.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("alice"), GroupName: aws.String("Ops")}))(t)
	must(e.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("Bob"), GroupName: aws.String("Ops")}))(t)
	must(e.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))(t)
	must(e.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("b"), PolicyDocument: aws.String(docIAM)}))(t)
	must(e.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("A"), PolicyDocument: aws.String(docS3)}))(t)
	must(e.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("Bob"), PermissionsBoundary: boundary}))(t)
	must(e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("correct horse 1"), PasswordResetRequired: true}))(t)
	later()
	key := must(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))(t)
	later()
	must(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))(t)
	must(e.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: key.AccessKey.AccessKeyId, Status: types.StatusTypeInactive}))(t)
	dev := must(e.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice-phone"), Tags: tags[:1]}))(t)
	later()
	now := stepOf(e.clock.Now())
	seed := string(dev.VirtualMFADevice.Base32StringSeed)
	must(e.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(codeAt(seed, now)), AuthenticationCode2: aws.String(codeAt(seed, now+1))}))(t)
	must(e.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("spare"), Path: aws.String("/spares/")}))(t)
	later()
	must(e.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"), Path: aws.String("/ci/"), Description: aws.String("CI deploys"),
		AssumeRolePolicyDocument: aws.String(trustRoot), MaxSessionDuration: aws.Int32(7200), Tags: tags, PermissionsBoundary: boundary}))(t)
	must(e.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("deployer"), PolicyArn: pol.Policy.Arn}))(t)
	must(e.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("deployer"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(docIAM)}))(t)
	must(e.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web"), Tags: tags[:1]}))(t)
	must(e.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("deployer")}))(t)
	later()
	must(e.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(oidcIssuer), ClientIDList: []string{"sts.amazonaws.com", "app"},
		ThumbprintList: []string{"9999999999999999999999999999999999999999"}, Tags: tags}))(t)
	later()
	buildCredentialState(t, e, later, tags)
}

// snapshot is every List and Get answer about the state, by call, plus
// the secrets no answer shows: key secrets, password hashes, MFA seeds.
func snapshot(t testing.TB, e *Emulator) map[string]any {
	t.Helper()
	ctx := e.rootCtx()
	s := map[string]any{}
	put := func(name string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s[name] = v
	}
	v1, err := e.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	put("GetAccountAuthorizationDetails", v1, err)
	v2, err := e.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	put("GetAccountPasswordPolicy", v2, err)
	v3, err := e.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	put("GetAccountSummary", v3, err)
	v4, err := e.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	put("ListAccountAliases", v4, err)
	users, err := e.ListUsers(ctx, &iam.ListUsersInput{})
	put("ListUsers", users, err)
	for _, u := range users.Users {
		n := u.UserName
		v, err := e.GetUser(ctx, &iam.GetUserInput{UserName: n})
		put("GetUser "+*n, v, err)
		keys, err := e.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: n})
		put("ListAccessKeys "+*n, keys, err)
		for _, k := range keys.AccessKeyMetadata {
			var secret string
			err := e.db.View(func(tx *store.Tx) error {
				key, err := tx.AccessKey(*k.AccessKeyId)
				if err == nil {
					secret = key.Secret
				}
				return err
			})
			put("secret "+*k.AccessKeyId, secret, err)
		}
		v5, err := e.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: n})
		put("ListMFADevices "+*n, v5, err)
		v6, err := e.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: n})
		put("ListGroupsForUser "+*n, v6, err)
		v7, err := e.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: n})
		put("ListAttachedUserPolicies "+*n, v7, err)
		v8, err := e.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: n})
		put("ListUserPolicies "+*n, v8, err)
		v9, err := e.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: n})
		put("ListUserTags "+*n, v9, err)
		lp, err := e.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: n})
		if err != nil {
			s["GetLoginProfile "+*n] = err.Error()
		} else {
			s["GetLoginProfile "+*n] = lp
		}
	}
	e.db.View(func(tx *store.Tx) error {
		return tx.Users(DefaultAccount, "", func(u *store.User) (bool, error) {
			s["login "+u.Name] = u.Login
			return true, nil
		})
	})
	devices, err := e.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})
	put("ListVirtualMFADevices", devices, err)
	for _, d := range devices.VirtualMFADevices {
		tags, err := e.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: d.SerialNumber})
		put("ListMFADeviceTags "+*d.SerialNumber, tags, err)
		var seed string
		e.db.View(func(tx *store.Tx) error {
			d, err := deviceBySerial(tx, "aws", DefaultAccount, *d.SerialNumber)
			if err == nil {
				seed = d.Seed
			}
			return err
		})
		s["seed "+*d.SerialNumber] = seed
	}
	groups, err := e.ListGroups(ctx, &iam.ListGroupsInput{})
	put("ListGroups", groups, err)
	for _, g := range groups.Groups {
		v, err := e.GetGroup(ctx, &iam.GetGroupInput{GroupName: g.GroupName})
		put("GetGroup "+*g.GroupName, v, err)
		v2, err := e.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: g.GroupName})
		put("ListAttachedGroupPolicies "+*g.GroupName, v2, err)
		v3, err := e.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: g.GroupName})
		put("ListGroupPolicies "+*g.GroupName, v3, err)
	}
	policies, err := e.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	put("ListPolicies", policies, err)
	for _, p := range policies.Policies {
		v, err := e.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn})
		put("GetPolicy "+*p.Arn, v, err)
		versions, err := e.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: p.Arn})
		put("ListPolicyVersions "+*p.Arn, versions, err)
		for _, pv := range versions.Versions {
			v, err := e.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: pv.VersionId})
			put("GetPolicyVersion "+*p.Arn+" "+*pv.VersionId, v, err)
		}
		v2, err := e.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: p.Arn})
		put("ListEntitiesForPolicy "+*p.Arn, v2, err)
		v3, err := e.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: p.Arn})
		put("ListPolicyTags "+*p.Arn, v3, err)
	}
	roles, err := e.ListRoles(ctx, &iam.ListRolesInput{})
	put("ListRoles", roles, err)
	for _, r := range roles.Roles {
		v, err := e.GetRole(ctx, &iam.GetRoleInput{RoleName: r.RoleName})
		put("GetRole "+*r.RoleName, v, err)
		v2, err := e.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})
		put("ListAttachedRolePolicies "+*r.RoleName, v2, err)
		v3, err := e.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: r.RoleName})
		put("ListRolePolicies "+*r.RoleName, v3, err)
		v4, err := e.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: r.RoleName})
		put("ListInstanceProfilesForRole "+*r.RoleName, v4, err)
		v5, err := e.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: r.RoleName})
		put("ListRoleTags "+*r.RoleName, v5, err)
	}
	profiles, err := e.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})
	put("ListInstanceProfiles", profiles, err)
	for _, p := range profiles.InstanceProfiles {
		v, err := e.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: p.InstanceProfileName})
		put("GetInstanceProfile "+*p.InstanceProfileName, v, err)
		v2, err := e.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: p.InstanceProfileName})
		put("ListInstanceProfileTags "+*p.InstanceProfileName, v2, err)
	}
	providers, err := e.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
	put("ListOpenIDConnectProviders", providers, err)
	for _, p := range providers.OpenIDConnectProviderList {
		v, err := e.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: p.Arn})
		put("GetOpenIDConnectProvider "+*p.Arn, v, err)
		v2, err := e.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: p.Arn})
		put("ListOpenIDConnectProviderTags "+*p.Arn, v2, err)
	}
	snapshotCredentials(t, e, users.Users, put)
	return s
}

// TestExportImportRoundTrip: an export with secrets, written and read as
// JSON and applied to another server, answers every List and Get as the
// original does.
func TestExportImportRoundTrip(t *testing.T) {
	from := newTest(t)
	buildRichState(t, from)
	want := snapshot(t, from)
	exported := must(from.Export(true))(t)
	text := must(json.Marshal(exported))(t)
	to := newTest(t)
	if err := to.ApplyInit(must(initstate.Decode(bytes.NewReader(text)))(t)); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, to)
	for name, w := range want {
		if !reflect.DeepEqual(got[name], w) {
			t.Errorf("%s after import:\n%s\nwant\n%s", name, jsonOf(got[name]), jsonOf(w))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d answers after import, want %d", len(got), len(want))
	}
	again := must(json.Marshal(must(to.Export(true))(t)))(t)
	if !bytes.Equal(again, text) {
		t.Errorf("export after import:\n%s\nwant\n%s", again, text)
	}
}

func jsonOf(v any) string {
	b, _ := json.MarshalIndent(v, "", " ")
	return string(b)
}

// TestExportWithoutSecrets: an export without secrets carries no key
// secret, password hash, seed or service credential digest (and never a
// server certificate's private key), and still loads: the keys,
// passwords, devices and service credentials come back with random
// secrets.
func TestExportWithoutSecrets(t *testing.T) {
	from := newTest(t)
	buildRichState(t, from)
	want := snapshot(t, from)
	text := must(json.Marshal(must(from.Export(false))(t)))(t)
	for _, secret := range []string{want["seed arn:aws:iam::123456789012:mfa/alice-phone"].(string), "passwordHash", `"secret"`, `"seed"`, "secretHash", "PRIVATE KEY"} {
		if bytes.Contains(text, []byte(secret)) {
			t.Fatalf("the export holds %s", secret)
		}
	}
	to := newTest(t)
	if err := to.ApplyInit(must(initstate.Decode(bytes.NewReader(text)))(t)); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, to)
	for _, name := range []string{"ListAccessKeys alice", "ListVirtualMFADevices", "GetLoginProfile alice", "GetAccountAuthorizationDetails",
		"ListServiceSpecificCredentials of all users", "ListAccessKeys of root", "GetServerCertificate www"} {
		if !reflect.DeepEqual(got[name], want[name]) {
			t.Errorf("%s after import:\n%s\nwant\n%s", name, jsonOf(got[name]), jsonOf(want[name]))
		}
	}
	for name, w := range want {
		if strings.HasPrefix(name, "secret ") && got[name] == w {
			t.Errorf("%s came back without an export of it", name)
		}
	}
}

// BenchmarkImportRichState is an import of buildRichState's export with
// secrets: every family, server certificates through their stand-in.
func BenchmarkImportRichState(b *testing.B) {
	from := newTest(b)
	buildRichState(b, from)
	state := must(from.Export(true))(b)
	to := newTest(b)
	for b.Loop() {
		if err := to.ApplyInit(state); err != nil {
			b.Fatal(err)
		}
	}
}
