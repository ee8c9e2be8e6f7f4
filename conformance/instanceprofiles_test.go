package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Texts for instance profiles (LocalStack's test_iam_instance_profiles
// snapshot, recorded on AWS 2026-02).
func noSuchInstanceProfile(name string) string {
	return "Instance Profile " + name + " cannot be found."
}

const roleInInstanceProfile = "Cannot delete entity, must remove roles from instance profile first."

func (tg *target) createInstanceProfile(t testing.TB, name string) *types.InstanceProfile {
	t.Helper()
	out, err := tg.iam().CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateInstanceProfile %s: %v", name, err)
	}
	return out.InstanceProfile
}

func TestInstanceProfileLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	created := must[*iam.CreateInstanceProfileOutput](t)(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{
		InstanceProfileName: aws.String("web"), Path: aws.String("/tier/"),
		Tags: []types.Tag{{Key: aws.String("InitialKey"), Value: aws.String("InitialValue")}},
	})).InstanceProfile
	if got, want := aws.ToString(created.Arn), "arn:aws:iam::"+account+":instance-profile/tier/web"; got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if id := aws.ToString(created.InstanceProfileId); !strings.HasPrefix(id, "AIPA") || len(id) != 21 {
		t.Errorf("InstanceProfileId=%q, want AIPA + 17 characters", id)
	}
	if created.Roles == nil || len(created.Roles) != 0 || len(created.Tags) != 1 {
		t.Errorf("created Roles=%v Tags=%v, want [] and one tag", created.Roles, created.Tags)
	}
	role := tg.createRole(t, "app")
	must[*iam.AddRoleToInstanceProfileOutput](t)(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")}))

	got := must[*iam.GetInstanceProfileOutput](t)(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("WEB")})).InstanceProfile
	if len(got.Roles) != 1 || aws.ToString(got.Roles[0].RoleId) != aws.ToString(role.RoleId) {
		t.Fatalf("Roles=%+v, want app", got.Roles)
	}
	if r := got.Roles[0]; r.AssumeRolePolicyDocument == nil || r.MaxSessionDuration != nil || r.Tags != nil {
		t.Errorf("nested role=%+v, want its trust policy and no MaxSessionDuration or Tags", r)
	}

	listed := must[*iam.ListInstanceProfilesOutput](t)(c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{PathPrefix: aws.String("/ti")})).InstanceProfiles
	if len(listed) != 1 || len(listed[0].Roles) != 1 || listed[0].Tags != nil {
		t.Errorf("ListInstanceProfiles=%+v, want web with its role and no tags", listed)
	}
	forRole := must[*iam.ListInstanceProfilesForRoleOutput](t)(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("app")})).InstanceProfiles
	if len(forRole) != 1 || aws.ToString(forRole[0].InstanceProfileName) != "web" {
		t.Errorf("ListInstanceProfilesForRole=%+v, want [web]", forRole)
	}

	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantAPIError(t, err, "DeleteConflict", 409, roleInInstanceProfile)
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantAPIError(t, err, "DeleteConflict", 409, roleInInstanceProfile)

	must[*iam.RemoveRoleFromInstanceProfileOutput](t)(c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("app")}))
	empty := must[*iam.ListInstanceProfilesForRoleOutput](t)(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("app")})).InstanceProfiles
	if empty == nil || len(empty) != 0 {
		t.Errorf("ListInstanceProfilesForRole after remove=%v, want []", empty)
	}

	must[*iam.TagInstanceProfileOutput](t)(c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String("web"), Tags: []types.Tag{{Key: aws.String("MyKey2"), Value: aws.String("v")}}}))
	must[*iam.UntagInstanceProfileOutput](t)(c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String("web"), TagKeys: []string{"initialkey"}}))
	tags := must[*iam.ListInstanceProfileTagsOutput](t)(c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String("web")})).Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "MyKey2" {
		t.Errorf("ListInstanceProfileTags=%+v, want [MyKey2]", tags)
	}

	must[*iam.DeleteInstanceProfileOutput](t)(c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	_, err = c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchInstanceProfile("web"))
	must[*iam.DeleteRoleOutput](t)(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")}))
}

func TestInstanceProfileErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createInstanceProfile(t, "web")
	tg.createRole(t, "app")
	tg.createRole(t, "other")
	profile, missing := aws.String("web"), aws.String("nonexistent-profile")

	t.Run("EntityAlreadyExists", func(t *testing.T) {
		_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("Web")})
		wantAPIError(t, err, "EntityAlreadyExists", 409, "Instance Profile Web already exists.")
	})
	for name, call := range map[string]func() error{
		"GetInstanceProfile": func() error {
			_, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: missing})
			return err
		},
		"DeleteInstanceProfile": func() error {
			_, err := c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: missing})
			return err
		},
		"AddRoleToInstanceProfile": func() error {
			_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: missing, RoleName: aws.String("app")})
			return err
		},
		"RemoveRoleFromInstanceProfile": func() error {
			_, err := c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: missing, RoleName: aws.String("app")})
			return err
		},
		"TagInstanceProfile": func() error {
			_, err := c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: missing, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
		"UntagInstanceProfile": func() error {
			_, err := c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: missing, TagKeys: []string{"k"}})
			return err
		},
		"ListInstanceProfileTags": func() error {
			_, err := c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: missing})
			return err
		},
	} {
		t.Run("NoSuchEntity/"+name, func(t *testing.T) {
			wantAPIError(t, call(), "NoSuchEntity", 404, noSuchInstanceProfile("nonexistent-profile"))
		})
	}
	t.Run("NoSuchEntity/role", func(t *testing.T) {
		_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: profile, RoleName: aws.String("nonexistent-role")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("nonexistent-role"))
		_, err = c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: profile, RoleName: aws.String("nonexistent-role")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("nonexistent-role"))
		_, err = c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("nonexistent-role")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchRole("nonexistent-role"))
	})
	t.Run("NoSuchEntity/role not in profile", func(t *testing.T) {
		_, err := c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: profile, RoleName: aws.String("app")})
		wantAPIError(t, err, "NoSuchEntity", 404, "Role app in Instance Profile web cannot be found.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		must[*iam.AddRoleToInstanceProfileOutput](t)(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: profile, RoleName: aws.String("app")}))
		_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: profile, RoleName: aws.String("other")})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	})
	t.Run("ValidationError/Marker", func(t *testing.T) {
		_, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{Marker: aws.String("bogus")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
}
