package conformance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	adminAccess      = "arn:aws:iam::aws:policy/AdministratorAccess"
	readOnlyAccess   = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	policiesAttached = "Cannot delete entity, must detach all policies first."
	// A service-linked role's policy, which only AWS attaches.
	serviceRolePolicy = "arn:aws:iam::aws:policy/aws-service-role/AmazonElasticsearchServiceRolePolicy"
)

func attachedNames(policies []types.AttachedPolicy) []string {
	var names []string
	for _, p := range policies {
		names = append(names, *p.PolicyName)
	}
	return names
}

// userPolicies lists the policies attached to user, pageSize at a time.
func userPolicies(t testing.TB, c *iam.Client, user, prefix string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "ListAttachedUserPolicies", pageSize, func(marker *string) ([]string, bool, *string) {
		in := &iam.ListAttachedUserPoliciesInput{UserName: aws.String(user), MaxItems: aws.Int32(pageSize), Marker: marker}
		if prefix != "" {
			in.PathPrefix = aws.String(prefix)
		}
		out := must[*iam.ListAttachedUserPoliciesOutput](t)(c.ListAttachedUserPolicies(ctx, in))
		return attachedNames(out.AttachedPolicies), out.IsTruncated, out.Marker
	})
}

func groupPolicies(t testing.TB, c *iam.Client, group string) []string {
	t.Helper()
	out := must[*iam.ListAttachedGroupPoliciesOutput](t)(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)}))
	return attachedNames(out.AttachedPolicies)
}

func policyCounts(t testing.TB, c *iam.Client, arn string) (attachments, boundaries int32) {
	t.Helper()
	p := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)})).Policy
	return aws.ToInt32(p.AttachmentCount), aws.ToInt32(p.PermissionsBoundaryUsageCount)
}

func TestAttachUserPolicy(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "alice")
	mine := tg.createPolicy(t, "mine", samplePolicy)
	attach := func(arn string) error {
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)})
		return err
	}
	for _, arn := range []string{mine, adminAccess, mine, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"} {
		if err := attach(arn); err != nil {
			t.Fatalf("AttachUserPolicy %s: %v", arn, err)
		}
	}
	if got, want := userPolicies(t, c, "alice", "", 1), []string{"AdministratorAccess", "AWSLambdaBasicExecutionRole", "mine"}; !slices.Equal(got, want) {
		t.Errorf("ListAttachedUserPolicies=%v, want %v (attaching twice attaches once; name order)", got, want)
	}
	if got, want := userPolicies(t, c, "alice", "/service-role/", 10), []string{"AWSLambdaBasicExecutionRole"}; !slices.Equal(got, want) {
		t.Errorf("ListAttachedUserPolicies PathPrefix=/service-role/ %v, want %v", got, want)
	}
	if n, _ := policyCounts(t, c, adminAccess); n != 1 {
		t.Errorf("AdministratorAccess AttachmentCount=%d, want 1 (counted in the account)", n)
	}
	if got, want := summaryOf(t, c, "PolicyVersionsInUse"), int32(3); got != want {
		t.Errorf("GetAccountSummary PolicyVersionsInUse=%d, want %d", got, want)
	}
	attached, _ := listPolicyNames(t, c, iam.ListPoliciesInput{OnlyAttached: true}, 7)
	if want := []string{"AWSLambdaBasicExecutionRole", "AdministratorAccess", "mine"}; !slices.Equal(slices.Sorted(slices.Values(attached)), want) {
		t.Errorf("ListPolicies OnlyAttached=%v, want %v", attached, want)
	}

	t.Run("DeleteConflict", func(t *testing.T) {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
		wantAPIError(t, err, "DeleteConflict", 409, policiesAttached)
		_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(mine)})
		wantAPIError(t, err, "DeleteConflict", 409, policyInUse)
	})
	t.Run("NoSuchEntity", func(t *testing.T) {
		missing := policyARN("/", "missing")
		wantAPIError(t, attach(missing), "NoSuchEntity", 404, notAttachable(missing))
		wantAPIError(t, attach("arn:aws:iam::aws:policy/NoSuchPolicy"), "NoSuchEntity", 404, notAttachable("arn:aws:iam::aws:policy/NoSuchPolicy"))
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ghost"), PolicyArn: aws.String(mine)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
		_, err = c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(readOnlyAccess)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(readOnlyAccess))
		_, err = c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("ghost")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
	})
	t.Run("ValidationError", func(t *testing.T) {
		wantAPIError(t, attach("longpolicynamebutnoarn"), "ValidationError", 400, "ARN longpolicynamebutnoarn is not valid.")
	})
	t.Run("PolicyNotAttachable", func(t *testing.T) {
		wantAPIError(t, attach(serviceRolePolicy), "PolicyNotAttachable", 400, "Cannot attach a Service Role Policy to a User.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		for i := range 7 {
			if err := attach(tg.createPolicy(t, fmt.Sprintf("extra%d", i), samplePolicy)); err != nil {
				t.Fatalf("attach the %dth: %v", i+4, err)
			}
		}
		eleventh := tg.createPolicy(t, "eleventh", samplePolicy)
		wantAPIError(t, attach(eleventh), "LimitExceeded", 409, "Cannot exceed quota for PoliciesPerUser: 10")
		if err := attach(mine); err != nil {
			t.Errorf("attaching an attached policy at the quota: %v, want success", err)
		}
	})

	for _, p := range userPolicies(t, c, "alice", "", 100) {
		arn := policyARN("/", p)
		switch p {
		case "AdministratorAccess":
			arn = adminAccess
		case "AWSLambdaBasicExecutionRole":
			arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
		}
		must[*iam.DetachUserPolicyOutput](t)(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	}
	if n, _ := policyCounts(t, c, mine); n != 0 {
		t.Errorf("AttachmentCount after detaching=%d, want 0", n)
	}
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")}))
	must[*iam.DeletePolicyOutput](t)(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(mine)}))
}

func TestAttachGroupPolicy(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "Devs")
	mine := tg.createPolicy(t, "mine", samplePolicy)
	attach := func(group, arn string) error {
		_, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(group), PolicyArn: aws.String(arn)})
		return err
	}
	for _, arn := range []string{readOnlyAccess, mine, mine} {
		if err := attach("Devs", arn); err != nil {
			t.Fatalf("AttachGroupPolicy %s: %v", arn, err)
		}
	}
	must[*iam.UpdateGroupOutput](t)(c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("Devs"), NewGroupName: aws.String("Builders")}))
	if got, want := groupPolicies(t, c, "Builders"), []string{"mine", "ReadOnlyAccess"}; !slices.Equal(got, want) {
		t.Errorf("ListAttachedGroupPolicies after a rename=%v, want %v", got, want)
	}

	t.Run("DeleteConflict", func(t *testing.T) {
		_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("Builders")})
		wantAPIError(t, err, "DeleteConflict", 409, policiesAttached)
	})
	t.Run("NoSuchEntity", func(t *testing.T) {
		wantAPIError(t, attach("ghosts", mine), "NoSuchEntity", 404, noSuchGroup("ghosts"))
		missing := policyARN("/", "missing")
		wantAPIError(t, attach("Builders", missing), "NoSuchEntity", 404, notAttachable(missing))
		_, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("Builders"), PolicyArn: aws.String(adminAccess)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchPolicy(adminAccess))
		_, err = c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("ghosts")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("ghosts"))
	})
	t.Run("ValidationError", func(t *testing.T) {
		wantAPIError(t, attach("Builders", "longpolicynamebutnoarn"), "ValidationError", 400, "ARN longpolicynamebutnoarn is not valid.")
	})
	t.Run("PolicyNotAttachable", func(t *testing.T) {
		wantAPIError(t, attach("Builders", serviceRolePolicy), "PolicyNotAttachable", 400, "Cannot attach a Service Role Policy to a Group.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		tg.createGroup(t, "Full")
		for i := range 10 {
			if err := attach("Full", tg.createPolicy(t, fmt.Sprintf("g%d", i), samplePolicy)); err != nil {
				t.Fatalf("attach the %dth: %v", i+1, err)
			}
		}
		wantAPIError(t, attach("Full", mine), "LimitExceeded", 409, "Cannot exceed quota for PoliciesPerGroup: 10")
	})

	for _, arn := range []string{readOnlyAccess, mine} {
		must[*iam.DetachGroupPolicyOutput](t)(c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("Builders"), PolicyArn: aws.String(arn)}))
	}
	if got := groupPolicies(t, c, "Builders"); len(got) != 0 {
		t.Errorf("ListAttachedGroupPolicies after detaching=%v, want none", got)
	}
	must[*iam.DeleteGroupOutput](t)(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("Builders")}))
}

func TestListEntitiesForPolicy(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	arn := tg.createPolicy(t, "shared", samplePolicy)
	list := func(in iam.ListEntitiesForPolicyInput) (users, groups []string) {
		in.PolicyArn = aws.String(arn)
		out := must[*iam.ListEntitiesForPolicyOutput](t)(c.ListEntitiesForPolicy(ctx, &in))
		if out.PolicyUsers == nil || out.PolicyGroups == nil || out.PolicyRoles == nil {
			t.Errorf("ListEntitiesForPolicy=%+v, want all three lists, empty or not", out)
		}
		for _, u := range out.PolicyUsers {
			users = append(users, *u.UserName)
		}
		for _, g := range out.PolicyGroups {
			groups = append(groups, *g.GroupName)
		}
		return users, groups
	}
	if users, groups := list(iam.ListEntitiesForPolicyInput{}); len(users)+len(groups) != 0 {
		t.Errorf("entities before any attachment=%v %v, want none", users, groups)
	}
	tg.createUser(t, "bob")
	tg.createUser(t, "alice")
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol"), Path: aws.String("/ops/"), PermissionsBoundary: aws.String(arn)}))
	tg.createGroup(t, "Devs")
	for _, u := range []string{"bob", "alice"} {
		must[*iam.AttachUserPolicyOutput](t)(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(u), PolicyArn: aws.String(arn)}))
	}
	must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("Devs"), PolicyArn: aws.String(arn)}))

	for name, tc := range map[string]struct {
		in            iam.ListEntitiesForPolicyInput
		users, groups []string
	}{
		"all":                 {iam.ListEntitiesForPolicyInput{}, []string{"alice", "bob", "carol"}, []string{"Devs"}},
		"User":                {iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeUser}, []string{"alice", "bob", "carol"}, nil},
		"Group":               {iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeGroup}, nil, []string{"Devs"}},
		"Role":                {iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeRole}, nil, nil},
		"LocalManagedPolicy":  {iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeLocalManagedPolicy}, nil, nil},
		"PermissionsPolicy":   {iam.ListEntitiesForPolicyInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsPolicy}, []string{"alice", "bob"}, []string{"Devs"}},
		"PermissionsBoundary": {iam.ListEntitiesForPolicyInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}, []string{"carol"}, nil},
		"PathPrefix":          {iam.ListEntitiesForPolicyInput{PathPrefix: aws.String("/ops/")}, []string{"carol"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			users, groups := list(tc.in)
			if !slices.Equal(users, tc.users) || !slices.Equal(groups, tc.groups) {
				t.Errorf("ListEntitiesForPolicy users=%v groups=%v, want %v %v", users, groups, tc.users, tc.groups)
			}
		})
	}
	pages := allPages(t, "ListEntitiesForPolicy", 1, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListEntitiesForPolicyOutput](t)(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn), MaxItems: aws.Int32(1), Marker: marker}))
		var names []string
		for _, u := range out.PolicyUsers {
			names = append(names, *u.UserName)
		}
		for _, g := range out.PolicyGroups {
			names = append(names, *g.GroupName)
		}
		return names, out.IsTruncated, out.Marker
	})
	if want := []string{"alice", "bob", "carol", "Devs"}; !slices.Equal(pages, want) {
		t.Errorf("ListEntitiesForPolicy pages=%v, want %v", pages, want)
	}
	t.Run("NoSuchEntity", func(t *testing.T) {
		missing := policyARN("/", "NonExistentPolicy")
		_, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(missing)})
		wantAPIError(t, err, "NoSuchEntity", 404, notAttachable(missing))
	})
}

func TestUserPermissionsBoundary(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	mine := tg.createPolicy(t, "boundary", samplePolicy)
	boundaryOf := func(user string) string {
		u := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(user)})).User
		if u.PermissionsBoundary == nil {
			return ""
		}
		if got := u.PermissionsBoundary.PermissionsBoundaryType; got != types.PermissionsBoundaryAttachmentTypePolicy {
			t.Errorf("PermissionsBoundaryType=%q, want %q", got, types.PermissionsBoundaryAttachmentTypePolicy)
		}
		return aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn)
	}

	created := must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(mine)})).User
	if created.PermissionsBoundary == nil || aws.ToString(created.PermissionsBoundary.PermissionsBoundaryArn) != mine {
		t.Errorf("CreateUser PermissionsBoundary=%+v, want %s", created.PermissionsBoundary, mine)
	}
	if got := boundaryOf("bounded"); got != mine {
		t.Errorf("GetUser boundary=%q, want %q", got, mine)
	}
	for _, u := range must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{})).Users {
		if u.PermissionsBoundary != nil {
			t.Errorf("ListUsers shows %s's boundary, want none listed, as AWS lists users", *u.UserName)
		}
	}
	if _, n := policyCounts(t, c, mine); n != 1 {
		t.Errorf("PermissionsBoundaryUsageCount=%d, want 1", n)
	}
	bounded, _ := listPolicyNames(t, c, iam.ListPoliciesInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}, 7)
	if !slices.Equal(bounded, []string{"boundary"}) {
		t.Errorf("ListPolicies PolicyUsageFilter=PermissionsBoundary %v, want [boundary]", bounded)
	}
	_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(mine)})
	wantAPIError(t, err, "DeleteConflict", 409, policyInUse)

	must[*iam.PutUserPermissionsBoundaryOutput](t)(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(adminAccess)}))
	if got := boundaryOf("bounded"); got != adminAccess {
		t.Errorf("boundary after PutUserPermissionsBoundary=%q, want %q", got, adminAccess)
	}
	if _, n := policyCounts(t, c, mine); n != 0 {
		t.Errorf("the replaced boundary's PermissionsBoundaryUsageCount=%d, want 0", n)
	}
	if _, n := policyCounts(t, c, adminAccess); n != 1 {
		t.Errorf("AdministratorAccess PermissionsBoundaryUsageCount=%d, want 1", n)
	}
	must[*iam.DeleteUserPermissionsBoundaryOutput](t)(c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bounded")}))
	if got := boundaryOf("bounded"); got != "" {
		t.Errorf("boundary after DeleteUserPermissionsBoundary=%q, want none", got)
	}
	must[*iam.PutUserPermissionsBoundaryOutput](t)(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bounded"), PermissionsBoundary: aws.String(mine)}))
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bounded")}))
	if _, n := policyCounts(t, c, mine); n != 0 {
		t.Errorf("PermissionsBoundaryUsageCount after deleting the user=%d, want 0", n)
	}

	tg.createUser(t, "plain")
	put := func(arn string) error {
		_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("plain"), PermissionsBoundary: aws.String(arn)})
		return err
	}
	t.Run("InvalidInput", func(t *testing.T) {
		notPolicy := "arn:aws:iam::" + account + ":user/plain"
		wantAPIError(t, put(notPolicy), "InvalidInput", 400, "ARN "+notPolicy+" is not valid.")
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("b2"), PermissionsBoundary: aws.String(notPolicy)})
		wantAPIError(t, err, "InvalidInput", 400, "ARN "+notPolicy+" is not valid.")
	})
	t.Run("NoSuchEntity", func(t *testing.T) {
		missing := policyARN("/", "nope")
		wantAPIError(t, put(missing), "NoSuchEntity", 404, "Scope ARN: "+missing+" does not exist or is not attachable.")
		_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("ghost"), PermissionsBoundary: aws.String(mine)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
		_, err = c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("ghost")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
	})
}

// TestAttachInPartition: a caller in AWS China names AWS managed policies
// and its own in the aws-cn partition; aws ARNs name nothing there.
func TestAttachInPartition(t *testing.T) {
	tg := newTarget(t)
	cfg := tg.Config.Copy()
	cfg.Region = "cn-north-1"
	c := iam.NewFromConfig(cfg, noRetry, noClientValidation)
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("li")}))
	created := must[*iam.CreatePolicyOutput](t)(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("cn"), PolicyDocument: aws.String(samplePolicy)})).Policy
	const readOnlyCN = "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"
	if got, want := aws.ToString(created.Arn), "arn:aws-cn:iam::"+account+":policy/cn"; got != want {
		t.Errorf("CreatePolicy Arn=%q, want %q", got, want)
	}
	for _, arn := range []string{readOnlyCN, *created.Arn} {
		must[*iam.AttachUserPolicyOutput](t)(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("li"), PolicyArn: aws.String(arn)}))
	}
	out := must[*iam.ListAttachedUserPoliciesOutput](t)(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("li")}))
	var arns []string
	for _, p := range out.AttachedPolicies {
		arns = append(arns, *p.PolicyArn)
	}
	if want := []string{*created.Arn, readOnlyCN}; !slices.Equal(arns, want) {
		t.Errorf("ListAttachedUserPolicies=%v, want %v", arns, want)
	}
	if p := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(readOnlyCN)})).Policy; aws.ToInt32(p.AttachmentCount) != 1 {
		t.Errorf("GetPolicy %s AttachmentCount=%d, want 1", readOnlyCN, aws.ToInt32(p.AttachmentCount))
	}
	if got := userPolicies(t, tg.iam(), "li", "", 10); !slices.Equal(got, []string{"cn", "ReadOnlyAccess"}) {
		t.Errorf("the same attachments through us-east-1=%v, want [cn ReadOnlyAccess]", got)
	}
	_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("li"), PolicyArn: aws.String(adminAccess)})
	wantAPIError(t, err, "NoSuchEntity", 404, notAttachable(adminAccess))
}

// TestPolicyListsRefuseMarkersNotIssued: the policy lists answer a marker
// they did not issue with `Invalid Marker.`, as every list does.
func TestPolicyListsRefuseMarkersNotIssued(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "aki")
	tg.createUser(t, "bun")
	tg.createGroup(t, "Devs")
	arn := aws.String(tg.createPolicy(t, "p", samplePolicy))
	users := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1)}))
	for marker, what := range map[*string]string{aws.String("bWFkZS11cA"): "made up", users.Marker: "ListUsers'"} {
		calls := map[string]func() error{
			"ListPolicies": func() error { _, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Marker: marker}); return err },
			"ListPolicyVersions": func() error {
				_, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: arn, Marker: marker})
				return err
			},
			"ListPolicyTags": func() error {
				_, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn, Marker: marker})
				return err
			},
			"ListEntitiesForPolicy": func() error {
				_, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn, Marker: marker})
				return err
			},
			"ListAttachedUserPolicies": func() error {
				_, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("aki"), Marker: marker})
				return err
			},
			"ListAttachedGroupPolicies": func() error {
				_, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("Devs"), Marker: marker})
				return err
			},
		}
		for action, call := range calls {
			t.Run(action+" with a "+what+" marker", func(t *testing.T) {
				wantAPIError(t, call(), "ValidationError", 400, "Invalid Marker.")
			})
		}
	}
}
