package emulator

import (
	"regexp"
	"slices"
	"testing"

	"github.com/iamlocal/iamlocal/wire"
)

// modelOperations are every operation of the IAM and STS models wire is
// generated from.
func modelOperations(t testing.TB) []wire.Operation {
	t.Helper()
	var ops []wire.Operation
	for _, member := range []string{"CreateUser", "GetCallerIdentity"} {
		op := wire.LookupOperation(member)
		if op == nil {
			t.Fatalf("wire.LookupOperation(%s)=nil", member)
		}
		ops = append(ops, op.Service.Operations...)
	}
	return ops
}

func TestActionsCoverEveryModelOperation(t *testing.T) {
	ops := modelOperations(t)
	for _, op := range ops {
		if _, ok := actionOf(op.Name); !ok {
			t.Errorf("actionOf(%s): no entry", op.Name)
		}
	}
	for name := range actions {
		if wire.LookupOperation(name) == nil {
			t.Errorf("actions[%s]: not an operation of the models", name)
		}
	}
	if got, want := len(actions), len(ops); got != want {
		t.Fatalf("len(actions)=%d, want %d", got, want)
	}
}

var permissionName = regexp.MustCompile(`^(iam|sts):[A-Z][A-Za-z0-9]+$`)

func TestActionPermissionsNameTheirService(t *testing.T) {
	noPermission := []string{"GetCallerIdentity", "GetSessionToken"}
	for _, op := range modelOperations(t) {
		a, _ := actionOf(op.Name)
		if slices.Contains(noPermission, op.Name) {
			if a.Permission != "" {
				t.Errorf("actions[%s].Permission=%q, want none", op.Name, a.Permission)
			}
			continue
		}
		if got, want := a.Permission, op.Service.Name+":"+op.Name; got != want {
			t.Errorf("actions[%s].Permission=%q, want %q", op.Name, got, want)
		}
		if !permissionName.MatchString(a.Permission) {
			t.Errorf("actions[%s].Permission=%q, want service:Name", op.Name, a.Permission)
		}
		for _, p := range a.Also {
			if _, ok := permissionOnly[p]; !ok {
				t.Errorf("actions[%s].Also has %s, which permissionOnly lacks", op.Name, p)
			}
		}
		if a.Level == 0 {
			t.Errorf("actions[%s].Level unset", op.Name)
		}
	}
	for p, a := range permissionOnly {
		if a.Permission != p || !permissionName.MatchString(p) {
			t.Errorf("permissionOnly[%s].Permission=%q", p, a.Permission)
		}
	}
}

// TestActionsMatchTheReference spot-checks entries against the Service
// Authorization Reference's IAM and STS pages.
func TestActionsMatchTheReference(t *testing.T) {
	tests := []struct {
		action   string
		resource resourceType
		level    accessLevel
		keys     []string
	}{
		{"CreateUser", resUser, levelWrite, []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:PermissionsBoundary"}},
		{"AttachUserPolicy", resUser, levelPermissions, []string{"iam:PermissionsBoundary", "iam:PolicyARN"}},
		{"AttachGroupPolicy", resGroup, levelPermissions, []string{"iam:PolicyARN"}},
		{"PutUserPermissionsBoundary", resUser, levelPermissions, []string{"iam:PermissionsBoundary"}},
		{"ListUsers", resAll, levelList, nil},
		{"GetAccountSummary", resAll, levelList, nil},
		{"GetUserPolicy", resUser, levelRead, nil},
		{"TagUser", resUser, levelTagging, []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
		{"CreateServiceLinkedRole", resRole, levelWrite, []string{"iam:AWSServiceName"}},
		{"DeleteServerCertificate", resServerCertificate, levelWrite, nil},
		{"CreateVirtualMFADevice", resMFA, levelWrite, []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
		{"GetPolicy", resPolicy, levelRead, nil},
		{"GetAccessKeyLastUsed", resUser, levelRead, nil},
		{"AssumeRole", resRole, levelWrite, []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys"}},
		{"GetCallerIdentity", resAll, levelRead, nil},
	}
	for _, tt := range tests {
		a, ok := actionOf(tt.action)
		if !ok {
			t.Fatalf("actionOf(%s): no entry", tt.action)
		}
		if got, want := a.Resource, tt.resource; got != want {
			t.Errorf("actions[%s].Resource=%v, want %v", tt.action, got, want)
		}
		if got, want := a.Level, tt.level; got != want {
			t.Errorf("actions[%s].Level=%v, want %v", tt.action, got, want)
		}
		for _, k := range tt.keys {
			if !slices.Contains(a.ConditionKeys, k) {
				t.Errorf("actions[%s].ConditionKeys=%v, want %s among them", tt.action, a.ConditionKeys, k)
			}
		}
		if tt.keys == nil && len(a.ConditionKeys) != 0 {
			t.Errorf("actions[%s].ConditionKeys=%v, want none", tt.action, a.ConditionKeys)
		}
	}
	if got, want := slices.Concat(resUser.conditionKeys(), resRole.conditionKeys()), []string{
		"aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}", "aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}",
	}; !slices.Equal(got, want) {
		t.Fatalf("user and role resource keys=%v, want %v", got, want)
	}
	if got, want := actions["AssumeRole"].Also, []string{"sts:SetContext", "sts:SetSourceIdentity", "sts:TagSession"}; !slices.Equal(got, want) {
		t.Fatalf("actions[AssumeRole].Also=%v, want %v", got, want)
	}
}

func TestResourceTypesHaveTheirARNs(t *testing.T) {
	for r := range resourceType(len(resourceTypes)) {
		if r.String() == "" {
			t.Errorf("resourceType(%d) has no name", r)
		}
		if r == resAll {
			if r.String() != "*" || r.arnTemplate() != "" {
				t.Errorf("resAll=%q %q, want * and no ARN", r, r.arnTemplate())
			}
			continue
		}
		if !regexp.MustCompile(`^arn:\$\{Partition\}:(iam|sts)::(\$\{Account\}|aws):`).MatchString(r.arnTemplate()) {
			t.Errorf("%s ARN template=%q", r, r.arnTemplate())
		}
	}
	if got, want := resUser.arnTemplate(), "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"; got != want {
		t.Fatalf("user ARN template=%q, want %q", got, want)
	}
}

func TestDenialForms(t *testing.T) {
	for name, a := range actions {
		switch a.DeniedAs {
		case deniedAsName:
			if !slices.Contains([]resourceType{resUser, resRole, resGroup, resPolicy}, a.Resource) || len(a.OrResources) != 0 {
				t.Errorf("actions[%s] named in words on %v%v", name, a.Resource, a.OrResources)
			}
		case deniedAsPath:
			if a.Resource != resAll || a.Lists == resAll {
				t.Errorf("actions[%s] named by path: resource %v, lists %v", name, a.Resource, a.Lists)
			}
		}
		if a.Permission == "" && a.DeniedAsSeen {
			t.Errorf("actions[%s] needs no permission but has a denial seen", name)
		}
	}
	seen := map[string]denialForm{
		"GetUserPolicy":        deniedAsName,
		"GetRole":              deniedAsName,
		"CreateUser":           deniedAsARN,
		"ListPolicies":         deniedAsPath,
		"GetAccessKeyLastUsed": deniedAsAccessKey,
		"AssumeRole":           deniedAsARN,
	}
	for name, want := range seen {
		if a := actions[name]; a.DeniedAs != want || !a.DeniedAsSeen {
			t.Errorf("actions[%s] denied as %v (seen %v), want %v seen", name, a.DeniedAs, a.DeniedAsSeen, want)
		}
	}
}
