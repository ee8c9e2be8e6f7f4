package conformance

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// Texts of the model-driven validation errors (aws-facts §6: IAM names the
// member in lowerCamelCase and does not echo the value).
const (
	userNameNull    = "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"
	userNamePattern = `1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`
	userNameTooLong = "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"
	// AWS answers a malformed path with its own sentence rather than the
	// model's pattern (aws-facts §4, Virtual MFA; the same pathType).
	badPath      = "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."
	pathTooLong  = "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"
	tooManyTags  = "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
	tagKeyBad    = `1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	tagKeyLong   = "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"
	tagValueLong = "1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"
	dupTagKeys   = "Duplicate tag keys found. Please note that Tag keys are case insensitive."
	maxItemsZero = "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"
)

func userARN(path, name string) string { return "arn:aws:iam::" + account + ":user" + path + name }

func noSuchUser(name string) string { return "The user with name " + name + " cannot be found." }

// errorCode is the AWS error code of err, or "" for nil or a non-AWS error.
func errorCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// tags makes n tags k0=v0 … with keys prefixed by prefix.
func tags(prefix string, n int) []types.Tag {
	out := make([]types.Tag, n)
	for i := range out {
		out[i] = types.Tag{Key: aws.String(fmt.Sprintf("%s%d", prefix, i)), Value: aws.String(fmt.Sprintf("v%d", i))}
	}
	return out
}

func tagMap(ts []types.Tag) map[string]string {
	m := make(map[string]string, len(ts))
	for _, t := range ts {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// listUserNames lists every user name (all pages) under prefix.
func listUserNames(t testing.TB, c *iam.Client, prefix string) []string {
	t.Helper()
	var names []string
	in := &iam.ListUsersInput{}
	if prefix != "" {
		in.PathPrefix = aws.String(prefix)
	}
	for {
		out := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, in))
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
		if !out.IsTruncated {
			return names
		}
		in.Marker = out.Marker
	}
}

func TestUserLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	created := tg.createUser(t, "taro").User
	if got, want := aws.ToString(created.UserName), "taro"; got != want {
		t.Errorf("UserName=%q, want %q", got, want)
	}
	if got, want := aws.ToString(created.Path), "/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	if got, want := aws.ToString(created.Arn), userARN("/", "taro"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if id := aws.ToString(created.UserId); !strings.HasPrefix(id, "AIDA") || len(id) != 21 {
		t.Errorf("UserId=%q, want AIDA + 17 characters", id)
	}
	if created.CreateDate == nil {
		t.Errorf("CreateDate missing")
	}
	if created.Tags != nil {
		t.Errorf("Tags=%v, want none for a user created without tags", created.Tags)
	}

	got := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")})).User
	if got, want := aws.ToString(got.UserId), aws.ToString(created.UserId); got != want {
		t.Errorf("GetUser UserId=%q, want %q", got, want)
	}
	if got, want := aws.ToString(got.Arn), aws.ToString(created.Arn); got != want {
		t.Errorf("GetUser Arn=%q, want %q", got, want)
	}
	if got.CreateDate == nil || !got.CreateDate.Equal(*created.CreateDate) {
		t.Errorf("GetUser CreateDate=%v, want %v", got.CreateDate, created.CreateDate)
	}
	if got.Tags != nil {
		t.Errorf("GetUser Tags=%v, want none", got.Tags)
	}

	list := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{}))
	if got, want := len(list.Users), 1; got != want {
		t.Fatalf("ListUsers returned %d users, want %d", got, want)
	}
	if got, want := aws.ToString(list.Users[0].UserId), aws.ToString(created.UserId); got != want {
		t.Errorf("ListUsers UserId=%q, want %q", got, want)
	}
	if list.IsTruncated || list.Marker != nil {
		t.Errorf("ListUsers IsTruncated=%v Marker=%v, want false and no marker", list.IsTruncated, aws.ToString(list.Marker))
	}

	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")}))
	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("taro"))
	if got := listUserNames(t, c, ""); len(got) != 0 {
		t.Errorf("ListUsers after delete=%v, want none", got)
	}
}

func TestUserNamesKeepTheirCase(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "Taro")
	out := must[*iam.GetUserOutput](t)(tg.iam().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("TARO")}))
	if got, want := aws.ToString(out.User.UserName), "Taro"; got != want {
		t.Errorf("UserName=%q, want %q (lookups ignore case, names keep it)", got, want)
	}
	if got, want := aws.ToString(out.User.Arn), userARN("/", "Taro"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
}

func TestUserPath(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	out := must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{
		UserName: aws.String("pathy"), Path: aws.String("/test-lifecycle-path/"),
	}))
	if got, want := aws.ToString(out.User.Arn), userARN("/test-lifecycle-path/", "pathy"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(out.User.Path), "/test-lifecycle-path/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	tg.createUser(t, "rooted")

	for prefix, want := range map[string][]string{
		"/test-lifecycle-path/": {"pathy"},
		"/test-life":            {"pathy"}, // a raw string prefix, not a path segment (aws-facts §7.4)
		"/":                     {"pathy", "rooted"},
		"/other":                nil,
	} {
		got := listUserNames(t, c, prefix)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("ListUsers PathPrefix=%q: %v, want %v", prefix, got, want)
		}
	}
}

func TestUserTagsOnCreate(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	in := []types.Tag{
		{Key: aws.String("Environment"), Value: aws.String("Test")},
		{Key: aws.String("Team"), Value: aws.String("Platform")},
	}
	out := must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged"), Tags: in}))
	want := map[string]string{"Environment": "Test", "Team": "Platform"}
	if got := tagMap(out.User.Tags); !mapsEqual(got, want) {
		t.Errorf("CreateUser Tags=%v, want %v", got, want)
	}
	got := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("tagged")}))
	if got := tagMap(got.User.Tags); !mapsEqual(got, want) {
		t.Errorf("GetUser Tags=%v, want %v", got, want)
	}
	lt := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("tagged")}))
	if got := tagMap(lt.Tags); !mapsEqual(got, want) {
		t.Errorf("ListUserTags=%v, want %v", got, want)
	}
	if lt.IsTruncated || lt.Marker != nil {
		t.Errorf("ListUserTags IsTruncated=%v Marker=%v, want false and no marker", lt.IsTruncated, aws.ToString(lt.Marker))
	}
	list := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{}))
	for _, u := range list.Users {
		if u.Tags != nil {
			t.Errorf("ListUsers item %s has Tags %v, want none (AWS lists users without tags)", aws.ToString(u.UserName), u.Tags)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestGetUserWithoutName(t *testing.T) {
	tg := newTarget(t)

	t.Run("root", func(t *testing.T) {
		out := must[*iam.GetUserOutput](t)(tg.iam().GetUser(ctx, &iam.GetUserInput{}))
		if got, want := aws.ToString(out.User.UserId), account; got != want {
			t.Errorf("UserId=%q, want %q", got, want)
		}
		if got, want := aws.ToString(out.User.Arn), "arn:aws:iam::"+account+":root"; got != want {
			t.Errorf("Arn=%q, want %q", got, want)
		}
	})

	t.Run("user", func(t *testing.T) {
		u := tg.createUser(t, "self").User
		tg.allow(t, "self", "iam:GetUser")
		id, secret := tg.createKey(t, "self")
		self, _ := tg.as(id, secret, "")
		out := must[*iam.GetUserOutput](t)(self.GetUser(ctx, &iam.GetUserInput{}))
		if got, want := aws.ToString(out.User.UserName), "self"; got != want {
			t.Errorf("UserName=%q, want %q", got, want)
		}
		if got, want := aws.ToString(out.User.UserId), aws.ToString(u.UserId); got != want {
			t.Errorf("UserId=%q, want %q", got, want)
		}
		if got, want := aws.ToString(out.User.Arn), userARN("/", "self"); got != want {
			t.Errorf("Arn=%q, want %q", got, want)
		}
	})
}

func TestListUsersPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("pager-%d", i)
		tg.createUser(t, name)
		want = append(want, name)
	}
	// Users under another path, interleaved by name, must not disturb
	// paging under a prefix.
	for i := range 3 {
		must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{
			UserName: aws.String(fmt.Sprintf("pager-%d-x", i)), Path: aws.String("/elsewhere/"),
		}))
	}

	for _, prefix := range []string{"", "/elsewhere/"} {
		in := &iam.ListUsersInput{MaxItems: aws.Int32(2)}
		if prefix != "" {
			in.PathPrefix = aws.String(prefix)
		}
		var got []string
		for pages := 1; ; pages++ {
			if pages > 10 {
				t.Fatalf("ListUsers prefix %q: still truncated after 10 pages", prefix)
			}
			out := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, in))
			if len(out.Users) > 2 {
				t.Fatalf("page %d has %d users, want at most MaxItems=2", pages, len(out.Users))
			}
			for _, u := range out.Users {
				got = append(got, aws.ToString(u.UserName))
			}
			if !out.IsTruncated {
				if out.Marker != nil {
					t.Errorf("last page carries Marker %q, want none", *out.Marker)
				}
				break
			}
			if out.Marker == nil || *out.Marker == "" {
				t.Fatalf("page %d: IsTruncated without a Marker", pages)
			}
			in.Marker = out.Marker
		}
		wantHere := []string{"pager-0-x", "pager-1-x", "pager-2-x"}
		if prefix == "" {
			wantHere = append(wantHere, want...)
		}
		slices.Sort(got)
		slices.Sort(wantHere)
		if !slices.Equal(got, wantHere) {
			t.Errorf("paged ListUsers (prefix %q)=%v, want each of %v once", prefix, got, wantHere)
		}
	}

	// A page size that ends exactly on the last user is not truncated.
	out := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/elsewhere/"), MaxItems: aws.Int32(3)}))
	if got, want := len(out.Users), 3; got != want {
		t.Errorf("ListUsers MaxItems=3 returned %d users, want %d", got, want)
	}
	if out.IsTruncated || out.Marker != nil {
		t.Errorf("IsTruncated=%v Marker=%v, want false and no marker when the page holds the rest", out.IsTruncated, aws.ToString(out.Marker))
	}
}

func TestListUsersErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "one")

	t.Run("ValidationError invalid Marker", func(t *testing.T) {
		_, err := c.ListUsers(ctx, &iam.ListUsersInput{Marker: aws.String("not a marker!")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
	t.Run("ValidationError maxItems", func(t *testing.T) {
		_, err := c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(0)})
		wantAPIError(t, err, "ValidationError", 400, maxItemsZero)
	})
}

func TestCreateUserErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")

	create := func(in *iam.CreateUserInput) error {
		_, err := c.CreateUser(ctx, in)
		return err
	}
	for _, tc := range []struct {
		name    string
		in      *iam.CreateUserInput
		code    string
		status  int
		message string
	}{
		{"EntityAlreadyExists", &iam.CreateUserInput{UserName: aws.String("taro")},
			"EntityAlreadyExists", 409, "User with name taro already exists."},
		{"EntityAlreadyExists other case", &iam.CreateUserInput{UserName: aws.String("TARO")},
			"EntityAlreadyExists", 409, "User with name TARO already exists."},
		{"ValidationError userName null", &iam.CreateUserInput{},
			"ValidationError", 400, userNameNull},
		{"ValidationError userName length", &iam.CreateUserInput{UserName: aws.String(strings.Repeat("a", 65))},
			"ValidationError", 400, userNameTooLong},
		{"ValidationError userName pattern", &iam.CreateUserInput{UserName: aws.String("bad name!")},
			"ValidationError", 400, userNamePattern},
		{"ValidationError path", &iam.CreateUserInput{UserName: aws.String("p1"), Path: aws.String("no-slashes")},
			"ValidationError", 400, badPath},
		{"ValidationError path length", &iam.CreateUserInput{UserName: aws.String("p2"), Path: aws.String("/" + strings.Repeat("a", 511) + "/")},
			"ValidationError", 400, pathTooLong},
		{"ValidationError tags over 50", &iam.CreateUserInput{UserName: aws.String("t1"), Tags: tags("k", 51)},
			"ValidationError", 400, tooManyTags},
		{"ValidationError tag key pattern", &iam.CreateUserInput{UserName: aws.String("t2"), Tags: []types.Tag{{Key: aws.String("bad*key"), Value: aws.String("v")}}},
			"ValidationError", 400, tagKeyBad},
		{"ValidationError tag key length", &iam.CreateUserInput{UserName: aws.String("t3"), Tags: []types.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("v")}}},
			"ValidationError", 400, tagKeyLong},
		{"ValidationError tag value length", &iam.CreateUserInput{UserName: aws.String("t4"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 257))}}},
			"ValidationError", 400, tagValueLong},
		{"InvalidInput duplicate tag keys", &iam.CreateUserInput{UserName: aws.String("t5"), Tags: []types.Tag{
			{Key: aws.String("Team"), Value: aws.String("a")}, {Key: aws.String("team"), Value: aws.String("b")},
		}}, "InvalidInput", 400, dupTagKeys},
		{"NoSuchEntity permissions boundary", &iam.CreateUserInput{UserName: aws.String("b1"), PermissionsBoundary: aws.String("arn:aws:iam::" + account + ":policy/nope")},
			"NoSuchEntity", 404, "Scope ARN: arn:aws:iam::" + account + ":policy/nope does not exist or is not attachable."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, create(tc.in), tc.code, tc.status, tc.message)
		})
	}

	// None of the failed requests left anything behind.
	if got, want := listUserNames(t, c, ""), []string{"taro"}; !slices.Equal(got, want) {
		t.Errorf("users after failed CreateUser calls=%v, want %v", got, want)
	}
}

func TestUpdateUser(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	before := tg.createUser(t, "taro").User
	id, secret := tg.createKey(t, "taro")
	_, keySTS := tg.as(id, secret, "")

	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{
		UserName: aws.String("taro"), NewUserName: aws.String("jiro"), NewPath: aws.String("/dev/"),
	}))

	after := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("jiro")})).User
	if got, want := aws.ToString(after.Arn), userARN("/dev/", "jiro"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(after.Path), "/dev/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	if got, want := aws.ToString(after.UserId), aws.ToString(before.UserId); got != want {
		t.Errorf("UserId=%q, want %q (a rename keeps the id)", got, want)
	}
	if after.CreateDate == nil || !after.CreateDate.Equal(*before.CreateDate) {
		t.Errorf("CreateDate=%v, want %v", after.CreateDate, before.CreateDate)
	}
	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("taro"))

	// The key follows the user (aws-facts §5, §7.6).
	keys := must[*iam.ListAccessKeysOutput](t)(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("jiro")}))
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != id {
		t.Fatalf("jiro's keys=%v, want only %s", keys.AccessKeyMetadata, id)
	}
	if got, want := aws.ToString(keys.AccessKeyMetadata[0].UserName), "jiro"; got != want {
		t.Errorf("key UserName=%q, want %q", got, want)
	}
	who := must[*sts.GetCallerIdentityOutput](t)(keySTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), userARN("/dev/", "jiro"); got != want {
		t.Errorf("GetCallerIdentity Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(who.UserId), aws.ToString(before.UserId); got != want {
		t.Errorf("GetCallerIdentity UserId=%q, want %q", got, want)
	}

	// A new user under the old name is someone else; the old key still acts
	// as jiro.
	other := tg.createUser(t, "taro").User
	if aws.ToString(other.UserId) == aws.ToString(before.UserId) {
		t.Errorf("new taro reuses the id %s", aws.ToString(other.UserId))
	}
	who = must[*sts.GetCallerIdentityOutput](t)(keySTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(who.Arn), userARN("/dev/", "jiro"); got != want {
		t.Errorf("GetCallerIdentity Arn after a new taro=%q, want %q", got, want)
	}

	// Path only, then name only.
	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("jiro"), NewPath: aws.String("/")}))
	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("jiro"), NewUserName: aws.String("saburo")}))
	final := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("saburo")})).User
	if got, want := aws.ToString(final.Arn), userARN("/", "saburo"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
}

func TestUpdateUserErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createUser(t, "jiro")

	update := func(in *iam.UpdateUserInput) error {
		_, err := c.UpdateUser(ctx, in)
		return err
	}
	for _, tc := range []struct {
		name    string
		in      *iam.UpdateUserInput
		code    string
		status  int
		message string
	}{
		{"NoSuchEntity", &iam.UpdateUserInput{UserName: aws.String("nobody"), NewUserName: aws.String("somebody")},
			"NoSuchEntity", 404, noSuchUser("nobody")},
		{"EntityAlreadyExists", &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("jiro")},
			"EntityAlreadyExists", 409, "User with name jiro already exists."},
		{"EntityAlreadyExists other case", &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("JIRO")},
			"EntityAlreadyExists", 409, "User with name JIRO already exists."},
		{"ValidationError userName null", &iam.UpdateUserInput{NewUserName: aws.String("x")},
			"ValidationError", 400, userNameNull},
		{"ValidationError newUserName pattern", &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("no spaces")},
			"ValidationError", 400, `1 validation error detected: Value at 'newUserName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"ValidationError newPath length", &iam.UpdateUserInput{UserName: aws.String("taro"), NewPath: aws.String("/" + strings.Repeat("a", 511) + "/")},
			"ValidationError", 400, "1 validation error detected: Value at 'newPath' failed to satisfy constraint: Member must have length less than or equal to 512"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, update(tc.in), tc.code, tc.status, tc.message)
		})
	}

	got := listUserNames(t, c, "")
	slices.Sort(got)
	if want := []string{"jiro", "taro"}; !slices.Equal(got, want) {
		t.Errorf("users after failed UpdateUser calls=%v, want %v", got, want)
	}
	for _, name := range []string{"taro", "jiro"} {
		u := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})).User
		if got, want := aws.ToString(u.Arn), userARN("/", name); got != want {
			t.Errorf("%s Arn=%q, want %q", name, got, want)
		}
	}
}

func TestDeleteUser(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "keyed")
	id1, _ := tg.createKey(t, "keyed")
	id2, _ := tg.createKey(t, "keyed")
	must[*iam.UpdateAccessKeyOutput](t)(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{
		UserName: aws.String("keyed"), AccessKeyId: aws.String(id2), Status: types.StatusTypeInactive,
	}))

	t.Run("NoSuchEntity", func(t *testing.T) {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("nobody")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nobody"))
	})
	t.Run("ValidationError userName null", func(t *testing.T) {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{})
		wantAPIError(t, err, "ValidationError", 400, userNameNull)
	})
	t.Run("DeleteConflict", func(t *testing.T) {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("keyed")})
		wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.")
	})
	t.Run("DeleteConflict inactive key", func(t *testing.T) {
		must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(id1)}))
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("keyed")})
		wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.")
	})

	must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("keyed")}))
	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("keyed"), AccessKeyId: aws.String(id2)}))
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("keyed")}))
	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("keyed")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("keyed"))
	// The name is free again.
	tg.createUser(t, "keyed")
}

func TestGetUserErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	t.Run("NoSuchEntity", func(t *testing.T) {
		_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nonexistent-user")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("ValidationError userName pattern", func(t *testing.T) {
		_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("a b")})
		wantAPIError(t, err, "ValidationError", 400, userNamePattern)
	})
	t.Run("ValidationError userName length", func(t *testing.T) {
		// Lookups take existing names of up to 128 characters.
		_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(strings.Repeat("a", 129))})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128")
	})
}

func TestUserTags(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "tagged")
	name := aws.String("tagged")

	empty := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: name}))
	if len(empty.Tags) != 0 || empty.IsTruncated {
		t.Errorf("ListUserTags before tagging=%v truncated=%v, want none", empty.Tags, empty.IsTruncated)
	}

	must[*iam.TagUserOutput](t)(c.TagUser(ctx, &iam.TagUserInput{UserName: name, Tags: []types.Tag{
		{Key: aws.String("key-1"), Value: aws.String("value-1")},
		{Key: aws.String("key-2"), Value: aws.String("value-2")},
	}}))
	must[*iam.TagUserOutput](t)(c.TagUser(ctx, &iam.TagUserInput{UserName: name, Tags: []types.Tag{
		{Key: aws.String("key-2"), Value: aws.String("changed")},
		{Key: aws.String("key-3"), Value: aws.String("")},
	}}))
	want := map[string]string{"key-1": "value-1", "key-2": "changed", "key-3": ""}
	lt := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: name}))
	if got := tagMap(lt.Tags); !mapsEqual(got, want) {
		t.Errorf("ListUserTags=%v, want %v", got, want)
	}
	u := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: name}))
	if got := tagMap(u.User.Tags); !mapsEqual(got, want) {
		t.Errorf("GetUser Tags=%v, want %v", got, want)
	}

	// Paging.
	page := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: name, MaxItems: aws.Int32(2)}))
	if got, want := len(page.Tags), 2; got != want {
		t.Fatalf("first page has %d tags, want %d", got, want)
	}
	if !page.IsTruncated || page.Marker == nil {
		t.Fatalf("IsTruncated=%v Marker=%v, want a truncated page with a marker", page.IsTruncated, page.Marker)
	}
	rest := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: name, MaxItems: aws.Int32(2), Marker: page.Marker}))
	if got, want := len(rest.Tags), 1; got != want {
		t.Fatalf("second page has %d tags, want %d", got, want)
	}
	if rest.IsTruncated || rest.Marker != nil {
		t.Errorf("last page IsTruncated=%v Marker=%v, want false and no marker", rest.IsTruncated, aws.ToString(rest.Marker))
	}
	if got := tagMap(append(page.Tags, rest.Tags...)); !mapsEqual(got, want) {
		t.Errorf("paged tags=%v, want %v", got, want)
	}

	// Untagging a key that is not there is not an error.
	must[*iam.UntagUserOutput](t)(c.UntagUser(ctx, &iam.UntagUserInput{UserName: name, TagKeys: []string{"key-2", "absent"}}))
	lt = must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: name}))
	if got, want := tagMap(lt.Tags), map[string]string{"key-1": "value-1", "key-3": ""}; !mapsEqual(got, want) {
		t.Errorf("ListUserTags after untag=%v, want %v", got, want)
	}
	must[*iam.UntagUserOutput](t)(c.UntagUser(ctx, &iam.UntagUserInput{UserName: name, TagKeys: []string{"key-1", "key-3"}}))
	u = must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: name}))
	if u.User.Tags != nil {
		t.Errorf("GetUser Tags after removing all=%v, want none", u.User.Tags)
	}
}

func TestUserTagErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("full"), Tags: tags("k", 50)}))
	tg.createUser(t, "plain")
	nobody := aws.String("nonexistent-user")

	t.Run("NoSuchEntity TagUser", func(t *testing.T) {
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: nobody, Tags: tags("k", 1)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("NoSuchEntity UntagUser", func(t *testing.T) {
		_, err := c.UntagUser(ctx, &iam.UntagUserInput{UserName: nobody, TagKeys: []string{"k0"}})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("NoSuchEntity ListUserTags", func(t *testing.T) {
		_, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: nobody})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("nonexistent-user"))
	})
	t.Run("InvalidInput duplicate tag keys", func(t *testing.T) {
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("plain"), Tags: []types.Tag{
			{Key: aws.String("Env"), Value: aws.String("a")}, {Key: aws.String("ENV"), Value: aws.String("b")},
		}})
		wantAPIError(t, err, "InvalidInput", 400, dupTagKeys)
	})
	t.Run("ValidationError tags over 50", func(t *testing.T) {
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("plain"), Tags: tags("k", 51)})
		wantAPIError(t, err, "ValidationError", 400, tooManyTags)
	})
	t.Run("ValidationError tags null", func(t *testing.T) {
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("plain")})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ValidationError tagKeys null", func(t *testing.T) {
		_, err := c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("plain")})
		wantAPIError(t, err, "ValidationError", 400, "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	})
	t.Run("ValidationError userName null", func(t *testing.T) {
		_, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{})
		wantAPIError(t, err, "ValidationError", 400, userNameNull)
	})
	t.Run("ValidationError invalid Marker", func(t *testing.T) {
		_, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("full"), Marker: aws.String("not a marker!")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("full"), Tags: []types.Tag{{Key: aws.String("one-more"), Value: aws.String("v")}}})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for TagsPerUser: 50")
	})

	// The refused merge changed nothing; overwriting keys that are already
	// there stays within the quota.
	lt := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("full")}))
	if got, want := len(lt.Tags), 50; got != want {
		t.Fatalf("full has %d tags after a refused TagUser, want %d", got, want)
	}
	if _, ok := tagMap(lt.Tags)["one-more"]; ok {
		t.Errorf("refused tag one-more was stored")
	}
	must[*iam.TagUserOutput](t)(c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("full"), Tags: []types.Tag{{Key: aws.String("k7"), Value: aws.String("new")}}}))
	lt = must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("full")}))
	if got, want := tagMap(lt.Tags)["k7"], "new"; got != want {
		t.Errorf("k7=%q, want %q", got, want)
	}
	plain := must[*iam.ListUserTagsOutput](t)(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("plain")}))
	if len(plain.Tags) != 0 {
		t.Errorf("plain has tags %v after refused TagUser calls, want none", plain.Tags)
	}
}

func TestConcurrentCreateUser(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	const n = 16
	outcomes := concurrently(n, func() error {
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("racer")})
		return err
	})
	if outcomes[""] != 1 || outcomes["EntityAlreadyExists"] != n-1 || len(outcomes) != 2 {
		t.Errorf("outcomes %v, want 1 created and %d EntityAlreadyExists", outcomes, n-1)
	}
	if got, want := listUserNames(t, c, ""), []string{"racer"}; !slices.Equal(got, want) {
		t.Errorf("users=%v, want %v", got, want)
	}
}
