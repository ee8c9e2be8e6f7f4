package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Texts for groups (aws-facts §4 Groups; the DeleteConflict text was posted
// from real AWS for DeleteGroup and for DeleteUser alike).
const (
	groupNameNull    = "1 validation error detected: Value null at 'groupName' failed to satisfy constraint: Member must not be null"
	groupNamePattern = `1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`
	groupNameTooLong = "1 validation error detected: Value at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128"
	groupHasMembers  = "Cannot delete entity, must remove users from group first."
)

func groupARN(path, name string) string { return "arn:aws:iam::" + account + ":group" + path + name }

func noSuchGroup(name string) string { return "The group with name " + name + " cannot be found." }

func groupExists(name string) string { return "Group with name " + name + " already exists." }

// createGroup creates a group as root and returns it.
func (tg *target) createGroup(t testing.TB, name string) *iam.CreateGroupOutput {
	t.Helper()
	out, err := tg.iam().CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateGroup %s: %v", name, err)
	}
	return out
}

func (tg *target) addToGroup(t testing.TB, user, group string) {
	t.Helper()
	if _, err := tg.iam().AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(user), GroupName: aws.String(group)}); err != nil {
		t.Fatalf("AddUserToGroup %s %s: %v", user, group, err)
	}
}

// allPages calls list with each marker in turn, from none, and collects the
// names of every page: each page holds at most pageSize, and only the last
// is untruncated and without a marker.
func allPages(t testing.TB, action string, pageSize int32, list func(marker *string) (names []string, truncated bool, next *string)) []string {
	t.Helper()
	var all []string
	var marker *string
	for pages := 1; ; pages++ {
		names, truncated, next := list(marker)
		if len(names) > int(pageSize) {
			t.Fatalf("%s page %d has %d items, want at most %d", action, pages, len(names), pageSize)
		}
		all = append(all, names...)
		if !truncated {
			if next != nil {
				t.Errorf("last %s page carries Marker %q, want none", action, *next)
			}
			return all
		}
		if next == nil || pages > 50 {
			t.Fatalf("%s page %d: truncated with marker %v", action, pages, next)
		}
		marker = next
	}
}

func groupNames(groups []types.Group) []string {
	var names []string
	for _, g := range groups {
		names = append(names, aws.ToString(g.GroupName))
	}
	return names
}

// listGroupNames lists every group name under prefix, pageSize at a time.
func listGroupNames(t testing.TB, c *iam.Client, prefix string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "ListGroups", pageSize, func(marker *string) ([]string, bool, *string) {
		in := &iam.ListGroupsInput{MaxItems: aws.Int32(pageSize), Marker: marker}
		if prefix != "" {
			in.PathPrefix = aws.String(prefix)
		}
		out := must[*iam.ListGroupsOutput](t)(c.ListGroups(ctx, in))
		return groupNames(out.Groups), out.IsTruncated, out.Marker
	})
}

// groupUserNames lists the members of group, pageSize at a time.
func groupUserNames(t testing.TB, c *iam.Client, group string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "GetGroup", pageSize, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String(group), MaxItems: aws.Int32(pageSize), Marker: marker}))
		var names []string
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
		return names, out.IsTruncated, out.Marker
	})
}

// groupsOfUser lists the groups of user, pageSize at a time.
func groupsOfUser(t testing.TB, c *iam.Client, user string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "ListGroupsForUser", pageSize, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListGroupsForUserOutput](t)(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String(user), MaxItems: aws.Int32(pageSize), Marker: marker}))
		return groupNames(out.Groups), out.IsTruncated, out.Marker
	})
}

func groupSummary(t testing.TB, c *iam.Client) int32 {
	t.Helper()
	return must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap["Groups"]
}

func TestGroupLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	created := tg.createGroup(t, "Devs").Group
	if got, want := aws.ToString(created.GroupName), "Devs"; got != want {
		t.Errorf("GroupName=%q, want %q", got, want)
	}
	if got, want := aws.ToString(created.Path), "/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	if got, want := aws.ToString(created.Arn), groupARN("/", "Devs"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if id := aws.ToString(created.GroupId); !strings.HasPrefix(id, "AGPA") || len(id) != 21 {
		t.Errorf("GroupId=%q, want AGPA + 17 characters", id)
	}
	if created.CreateDate == nil {
		t.Errorf("CreateDate missing")
	}
	if got, want := groupSummary(t, c), int32(1); got != want {
		t.Errorf("GetAccountSummary Groups=%d, want %d", got, want)
	}

	got := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("DEVS")}))
	if got, want := aws.ToString(got.Group.GroupName), "Devs"; got != want {
		t.Errorf("GetGroup GroupName=%q, want %q (lookups ignore case, names keep it)", got, want)
	}
	if got, want := aws.ToString(got.Group.GroupId), aws.ToString(created.GroupId); got != want {
		t.Errorf("GetGroup GroupId=%q, want %q", got, want)
	}
	if got.Group.CreateDate == nil || !got.Group.CreateDate.Equal(*created.CreateDate) {
		t.Errorf("GetGroup CreateDate=%v, want %v", got.Group.CreateDate, created.CreateDate)
	}
	if got.Users == nil || len(got.Users) != 0 || got.IsTruncated || got.Marker != nil {
		t.Errorf("GetGroup Users=%v IsTruncated=%v Marker=%v, want an empty list, false, no marker", got.Users, got.IsTruncated, got.Marker)
	}

	list := must[*iam.ListGroupsOutput](t)(c.ListGroups(ctx, &iam.ListGroupsInput{}))
	if len(list.Groups) != 1 || aws.ToString(list.Groups[0].GroupId) != aws.ToString(created.GroupId) {
		t.Fatalf("ListGroups=%v, want the one group", list.Groups)
	}
	if got, want := aws.ToString(list.Groups[0].Arn), groupARN("/", "Devs"); got != want {
		t.Errorf("ListGroups Arn=%q, want %q", got, want)
	}

	must[*iam.DeleteGroupOutput](t)(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")}))
	_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("Devs")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("Devs"))
	if got := listGroupNames(t, c, "", 100); len(got) != 0 {
		t.Errorf("ListGroups after delete=%v, want none", got)
	}
	if got, want := groupSummary(t, c), int32(0); got != want {
		t.Errorf("GetAccountSummary Groups after delete=%d, want %d", got, want)
	}
}

func TestCreateGroupErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "devs")

	for _, tc := range []struct {
		name    string
		in      *iam.CreateGroupInput
		code    string
		status  int
		message string
	}{
		{"EntityAlreadyExists", &iam.CreateGroupInput{GroupName: aws.String("devs")},
			"EntityAlreadyExists", 409, groupExists("devs")},
		{"EntityAlreadyExists other case", &iam.CreateGroupInput{GroupName: aws.String("DEVS"), Path: aws.String("/other/")},
			"EntityAlreadyExists", 409, groupExists("DEVS")},
		{"ValidationError groupName null", &iam.CreateGroupInput{},
			"ValidationError", 400, groupNameNull},
		{"ValidationError groupName length", &iam.CreateGroupInput{GroupName: aws.String(strings.Repeat("g", 129))},
			"ValidationError", 400, groupNameTooLong},
		{"ValidationError groupName pattern", &iam.CreateGroupInput{GroupName: aws.String("bad name!")},
			"ValidationError", 400, groupNamePattern},
		{"ValidationError path", &iam.CreateGroupInput{GroupName: aws.String("p1"), Path: aws.String("no-slashes")},
			"ValidationError", 400, badPath},
		{"ValidationError path length", &iam.CreateGroupInput{GroupName: aws.String("p2"), Path: aws.String("/" + strings.Repeat("a", 511) + "/")},
			"ValidationError", 400, pathTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateGroup(ctx, tc.in)
			wantAPIError(t, err, tc.code, tc.status, tc.message)
		})
	}

	// A group name may be longer than a user name (128, not 64).
	long := strings.Repeat("g", 128)
	tg.createGroup(t, long)
	if got, want := listGroupNames(t, c, "", 100), []string{"devs", long}; !slices.Equal(got, want) {
		t.Errorf("groups after the failed CreateGroup calls=%v, want %v", got, want)
	}
}

// TestGroupsQuota: an account holds at most 300 groups; the 301st is
// refused and a deleted one frees its place.
func TestGroupsQuota(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	for i := range 300 {
		tg.createGroup(t, fmt.Sprintf("g%03d", i))
	}
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("one-too-many")})
	wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for GroupsPerAccount: 300")
	if got, want := groupSummary(t, c), int32(300); got != want {
		t.Errorf("GetAccountSummary Groups=%d, want %d", got, want)
	}
	must[*iam.DeleteGroupOutput](t)(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("g000")}))
	tg.createGroup(t, "one-too-many")
}

func TestGroupPath(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	out := must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{
		GroupName: aws.String("located"), Path: aws.String("/some/location/"),
	}))
	if got, want := aws.ToString(out.Group.Arn), groupARN("/some/location/", "located"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(out.Group.Path), "/some/location/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	tg.createGroup(t, "rooted")

	for prefix, want := range map[string][]string{
		"/some/location/": {"located"},
		"/some/loc":       {"located"}, // a raw string prefix, not a path segment (aws-facts §7.4)
		"/":               {"located", "rooted"},
		"/other":          nil,
	} {
		if got := listGroupNames(t, c, prefix, 100); !slices.Equal(got, want) {
			t.Errorf("ListGroups PathPrefix=%q: %v, want %v", prefix, got, want)
		}
	}
}

func TestListGroupsPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	var all, elsewhere []string
	for i := range 5 {
		name := fmt.Sprintf("pager-%d", i)
		tg.createGroup(t, name)
		all = append(all, name)
		if i < 3 {
			// Groups under another path, interleaved by name, must not
			// disturb paging under a prefix.
			name := fmt.Sprintf("pager-%d-x", i)
			must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name), Path: aws.String("/elsewhere/")}))
			all = append(all, name)
			elsewhere = append(elsewhere, name)
		}
	}
	if got := listGroupNames(t, c, "", 2); !slices.Equal(got, all) {
		t.Errorf("paged ListGroups=%v, want %v", got, all)
	}
	if got := listGroupNames(t, c, "/elsewhere/", 2); !slices.Equal(got, elsewhere) {
		t.Errorf("paged ListGroups under /elsewhere/=%v, want %v", got, elsewhere)
	}
	out := must[*iam.ListGroupsOutput](t)(c.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/elsewhere/"), MaxItems: aws.Int32(3)}))
	if len(out.Groups) != 3 || out.IsTruncated || out.Marker != nil {
		t.Errorf("ListGroups MaxItems=3 of 3: %d groups, IsTruncated=%v, Marker=%v; want 3, false, none", len(out.Groups), out.IsTruncated, aws.ToString(out.Marker))
	}

	t.Run("ValidationError invalid Marker", func(t *testing.T) {
		_, err := c.ListGroups(ctx, &iam.ListGroupsInput{Marker: aws.String("not a marker!")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
	t.Run("ValidationError a ListUsers marker", func(t *testing.T) {
		tg.createUser(t, "u1")
		tg.createUser(t, "u2")
		users := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1)}))
		_, err := c.ListGroups(ctx, &iam.ListGroupsInput{Marker: users.Marker})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
	t.Run("ValidationError maxItems", func(t *testing.T) {
		_, err := c.ListGroups(ctx, &iam.ListGroupsInput{MaxItems: aws.Int32(0)})
		wantAPIError(t, err, "ValidationError", 400, maxItemsZero)
	})
}

func TestUpdateGroup(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	before := tg.createGroup(t, "devs").Group
	tg.createGroup(t, "ops")
	tg.createUser(t, "taro")
	tg.addToGroup(t, "taro", "devs")

	must[*iam.UpdateGroupOutput](t)(c.UpdateGroup(ctx, &iam.UpdateGroupInput{
		GroupName: aws.String("devs"), NewGroupName: aws.String("builders"), NewPath: aws.String("/eng/"),
	}))
	_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("devs"))
	after := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("builders")}))
	if got, want := aws.ToString(after.Group.GroupId), aws.ToString(before.GroupId); got != want {
		t.Errorf("GroupId after rename=%q, want %q (the id stays)", got, want)
	}
	if got, want := aws.ToString(after.Group.Arn), groupARN("/eng/", "builders"); got != want {
		t.Errorf("Arn after rename=%q, want %q", got, want)
	}
	if got, want := groupUserNames(t, c, "builders", 100), []string{"taro"}; !slices.Equal(got, want) {
		t.Errorf("members after rename=%v, want %v (membership follows the rename)", got, want)
	}
	if got, want := groupsOfUser(t, c, "taro", 100), []string{"builders"}; !slices.Equal(got, want) {
		t.Errorf("ListGroupsForUser after rename=%v, want %v", got, want)
	}

	// Only the path, then only the case of the name.
	must[*iam.UpdateGroupOutput](t)(c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("builders"), NewPath: aws.String("/")}))
	must[*iam.UpdateGroupOutput](t)(c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("builders"), NewGroupName: aws.String("Builders")}))
	got := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("builders")})).Group
	if aws.ToString(got.GroupName) != "Builders" || aws.ToString(got.Path) != "/" {
		t.Errorf("after path and case changes: %s under %s, want Builders under /", aws.ToString(got.GroupName), aws.ToString(got.Path))
	}

	for _, tc := range []struct {
		name    string
		in      *iam.UpdateGroupInput
		code    string
		status  int
		message string
	}{
		{"NoSuchEntity", &iam.UpdateGroupInput{GroupName: aws.String("nonexisting"), NewGroupName: aws.String("new-name")},
			"NoSuchEntity", 404, noSuchGroup("nonexisting")},
		{"EntityAlreadyExists", &iam.UpdateGroupInput{GroupName: aws.String("Builders"), NewGroupName: aws.String("ops")},
			"EntityAlreadyExists", 409, groupExists("ops")},
		{"EntityAlreadyExists other case", &iam.UpdateGroupInput{GroupName: aws.String("Builders"), NewGroupName: aws.String("OPS")},
			"EntityAlreadyExists", 409, groupExists("OPS")},
		{"ValidationError groupName null", &iam.UpdateGroupInput{NewGroupName: aws.String("x")},
			"ValidationError", 400, groupNameNull},
		{"ValidationError newGroupName pattern", &iam.UpdateGroupInput{GroupName: aws.String("Builders"), NewGroupName: aws.String("bad name!")},
			"ValidationError", 400, strings.Replace(groupNamePattern, "'groupName'", "'newGroupName'", 1)},
		{"ValidationError newPath", &iam.UpdateGroupInput{GroupName: aws.String("Builders"), NewPath: aws.String("no-slashes")},
			"ValidationError", 400, badPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.UpdateGroup(ctx, tc.in)
			wantAPIError(t, err, tc.code, tc.status, tc.message)
		})
	}
	if got, want := listGroupNames(t, c, "", 100), []string{"Builders", "ops"}; !slices.Equal(got, want) {
		t.Errorf("groups after the failed UpdateGroup calls=%v, want %v", got, want)
	}
}

// TestUserRenameCarriesMembership: UpdateUser keeps the user's groups
// (aws-facts §7.6).
func TestUserRenameCarriesMembership(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	tg.createGroup(t, "ops")
	tg.addToGroup(t, "taro", "devs")
	tg.addToGroup(t, "taro", "ops")

	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{
		UserName: aws.String("taro"), NewUserName: aws.String("jiro"), NewPath: aws.String("/dev/"),
	}))
	if got, want := groupsOfUser(t, c, "jiro", 100), []string{"devs", "ops"}; !slices.Equal(got, want) {
		t.Errorf("ListGroupsForUser jiro=%v, want %v", got, want)
	}
	members := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")})).Users
	if len(members) != 1 || aws.ToString(members[0].UserName) != "jiro" || aws.ToString(members[0].Arn) != userARN("/dev/", "jiro") {
		t.Errorf("GetGroup devs Users=%v, want jiro under /dev/", members)
	}
	_, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("taro"))
}

func TestGroupMembership(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "devs")
	tg.createUser(t, "taro")

	// Adding twice is 200 and one membership.
	tg.addToGroup(t, "taro", "devs")
	tg.addToGroup(t, "TARO", "DEVS")
	got := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")}))
	if len(got.Users) != 1 {
		t.Fatalf("GetGroup Users=%v, want taro once", got.Users)
	}
	u := got.Users[0]
	if aws.ToString(u.UserName) != "taro" || aws.ToString(u.Arn) != userARN("/", "taro") || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") || u.CreateDate == nil {
		t.Errorf("GetGroup user=%+v, want taro with its ARN, id and date", u)
	}
	if got, want := groupsOfUser(t, c, "taro", 100), []string{"devs"}; !slices.Equal(got, want) {
		t.Errorf("ListGroupsForUser=%v, want %v", got, want)
	}

	// Removing once leaves none; removing a non-member is 200.
	for range 2 {
		must[*iam.RemoveUserFromGroupOutput](t)(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String("taro"), GroupName: aws.String("devs")}))
	}
	if got := groupUserNames(t, c, "devs", 100); len(got) != 0 {
		t.Errorf("members after remove=%v, want none", got)
	}
	lg := must[*iam.ListGroupsForUserOutput](t)(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("taro")}))
	if lg.Groups == nil || len(lg.Groups) != 0 || lg.IsTruncated || lg.Marker != nil {
		t.Errorf("ListGroupsForUser after remove=%v IsTruncated=%v, want an empty list", lg.Groups, lg.IsTruncated)
	}
}

func TestGroupMembershipErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "devs")
	tg.createUser(t, "taro")

	add := func(user, group string) error {
		_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	remove := func(user, group string) error {
		_, err := c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String(user), GroupName: aws.String(group)})
		return err
	}
	for _, tc := range []struct {
		name    string
		call    func() error
		code    string
		status  int
		message string
	}{
		{"AddUserToGroup NoSuchEntity user", func() error { return add("non-existent-user", "devs") },
			"NoSuchEntity", 404, noSuchUser("non-existent-user")},
		{"AddUserToGroup NoSuchEntity group", func() error { return add("taro", "non-existent-group") },
			"NoSuchEntity", 404, noSuchGroup("non-existent-group")},
		{"AddUserToGroup NoSuchEntity both reports the user", func() error { return add("any-user", "non-existent-group") },
			"NoSuchEntity", 404, noSuchUser("any-user")},
		{"RemoveUserFromGroup NoSuchEntity user", func() error { return remove("non-existent-user", "devs") },
			"NoSuchEntity", 404, noSuchUser("non-existent-user")},
		{"RemoveUserFromGroup NoSuchEntity group", func() error { return remove("taro", "non-existent-group") },
			"NoSuchEntity", 404, noSuchGroup("non-existent-group")},
		{"RemoveUserFromGroup NoSuchEntity both reports the user", func() error { return remove("any-user", "non-existent-group") },
			"NoSuchEntity", 404, noSuchUser("any-user")},
		{"AddUserToGroup ValidationError groupName null", func() error {
			_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("taro")})
			return err
		}, "ValidationError", 400, groupNameNull},
		{"AddUserToGroup ValidationError userName pattern", func() error { return add("bad name!", "devs") },
			"ValidationError", 400, userNamePattern},
		{"ListGroupsForUser NoSuchEntity", func() error {
			_, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity", 404, noSuchUser("nobody")},
		{"GetGroup NoSuchEntity", func() error {
			_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("non-existent-group")})
			return err
		}, "NoSuchEntity", 404, noSuchGroup("non-existent-group")},
		{"GetGroup ValidationError groupName pattern", func() error {
			_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("bad name!")})
			return err
		}, "ValidationError", 400, groupNamePattern},
		{"DeleteGroup NoSuchEntity", func() error {
			_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("unknown-group")})
			return err
		}, "NoSuchEntity", 404, noSuchGroup("unknown-group")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, tc.call(), tc.code, tc.status, tc.message)
		})
	}
	if got := groupUserNames(t, c, "devs", 100); len(got) != 0 {
		t.Errorf("members after the failed calls=%v, want none", got)
	}
}

// TestGroupsPerUserQuota: a user is in at most 10 groups; adding it to one
// of them again is still a success.
func TestGroupsPerUserQuota(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	for i := range 11 {
		tg.createGroup(t, fmt.Sprintf("g%02d", i))
	}
	for i := range 10 {
		tg.addToGroup(t, "taro", fmt.Sprintf("g%02d", i))
	}
	_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("taro"), GroupName: aws.String("g10")})
	wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for GroupsPerUser: 10")
	tg.addToGroup(t, "taro", "g03")
	if got := groupUserNames(t, c, "g10", 100); len(got) != 0 {
		t.Errorf("g10 members after the refusal=%v, want none", got)
	}
	if got := groupsOfUser(t, c, "taro", 100); len(got) != 10 {
		t.Errorf("taro is in %d groups, want 10", len(got))
	}
}

func TestGroupMembershipPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "crowd")
	for _, name := range []string{"eiko", "Aki", "dai", "chie", "bun"} {
		tg.createUser(t, name)
		tg.addToGroup(t, name, "crowd")
	}
	users := []string{"Aki", "bun", "chie", "dai", "eiko"} // name order, case-folded
	if got := groupUserNames(t, c, "crowd", 2); !slices.Equal(got, users) {
		t.Errorf("paged GetGroup users=%v, want %v", got, users)
	}
	for _, name := range []string{"g3", "G1", "g2"} {
		tg.createGroup(t, name)
		tg.addToGroup(t, "bun", name)
	}
	groups := []string{"crowd", "G1", "g2", "g3"}
	if got := groupsOfUser(t, c, "bun", 1); !slices.Equal(got, groups) {
		t.Errorf("paged ListGroupsForUser=%v, want %v", got, groups)
	}

	first := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("crowd"), MaxItems: aws.Int32(1)}))
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"GetGroup made-up marker", func() error {
			_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("crowd"), Marker: aws.String("not a marker!")})
			return err
		}},
		{"ListGroupsForUser a GetGroup marker", func() error {
			_, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("bun"), Marker: first.Marker})
			return err
		}},
	} {
		t.Run("ValidationError "+tc.name, func(t *testing.T) {
			wantAPIError(t, tc.call(), "ValidationError", 400, "Invalid Marker.")
		})
	}
	t.Run("ValidationError maxItems", func(t *testing.T) {
		_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("crowd"), MaxItems: aws.Int32(0)})
		wantAPIError(t, err, "ValidationError", 400, maxItemsZero)
	})
}

// TestDeleteConflictsOfMembership: neither a group with members nor a user
// in a group can be deleted; membership is the user's last dependent.
func TestDeleteConflictsOfMembership(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "devs")
	tg.createUser(t, "taro")
	tg.addToGroup(t, "taro", "devs")
	id, _ := tg.createKey(t, "taro")

	_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantAPIError(t, err, "DeleteConflict", 409, groupHasMembers)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.")
	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("taro"), AccessKeyId: aws.String(id)}))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")})
	wantAPIError(t, err, "DeleteConflict", 409, groupHasMembers)

	must[*iam.RemoveUserFromGroupOutput](t)(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String("taro"), GroupName: aws.String("devs")}))
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")}))
	must[*iam.DeleteGroupOutput](t)(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")}))
	if got := listGroupNames(t, c, "", 100); len(got) != 0 {
		t.Errorf("groups after delete=%v, want none", got)
	}
}

// TestGroupARNsFollowPartition: group ARNs, in every answer that carries
// them, name the partition of the region the request is signed for.
func TestGroupARNsFollowPartition(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	tg.addToGroup(t, "taro", "devs")
	cfg := tg.Config.Copy()
	cfg.Region = "cn-north-1"
	c := iam.NewFromConfig(cfg, noRetry, noClientValidation)
	want := "arn:aws-cn:iam::" + account + ":group/devs"
	got := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")}))
	if got := aws.ToString(got.Group.Arn); got != want {
		t.Errorf("GetGroup Arn=%q, want %q", got, want)
	}
	if got, want := aws.ToString(got.Users[0].Arn), "arn:aws-cn:iam::"+account+":user/taro"; got != want {
		t.Errorf("GetGroup user Arn=%q, want %q", got, want)
	}
	for action, groups := range map[string][]types.Group{
		"ListGroups":        must[*iam.ListGroupsOutput](t)(c.ListGroups(ctx, &iam.ListGroupsInput{})).Groups,
		"ListGroupsForUser": must[*iam.ListGroupsForUserOutput](t)(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("taro")})).Groups,
	} {
		if len(groups) != 1 || aws.ToString(groups[0].Arn) != want {
			t.Errorf("%s=%v, want devs with Arn %q", action, groups, want)
		}
	}
	created := must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops"), Path: aws.String("/x/")}))
	if got, want := aws.ToString(created.Group.Arn), "arn:aws-cn:iam::"+account+":group/x/ops"; got != want {
		t.Errorf("CreateGroup Arn=%q, want %q", got, want)
	}
}
