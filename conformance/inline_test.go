package conformance

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Texts for inline policies (aws-facts §4 Users and Groups; the size texts
// are real-aws-reports, see emulator/errors.go).
const (
	mustDeletePolicies = "Cannot delete entity, must delete policies first."
	allowList          = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}`
)

func noUserPolicy(name string) string {
	return "The user policy with name " + name + " cannot be found."
}
func noGroupPolicy(name string) string {
	return "The group policy with name " + name + " cannot be found."
}

func (tg *target) putUserPolicy(t testing.TB, user, name, doc string) {
	t.Helper()
	if _, err := tg.iam().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatalf("PutUserPolicy %s %s: %v", user, name, err)
	}
}

func (tg *target) putGroupPolicy(t testing.TB, group, name, doc string) {
	t.Helper()
	if _, err := tg.iam().PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatalf("PutGroupPolicy %s %s: %v", group, name, err)
	}
}

// userPolicyDocument is the document GetUserPolicy answers, decoded as an
// SDK caller decodes it.
func userPolicyDocument(t testing.TB, c *iam.Client, user, name string) string {
	t.Helper()
	out := must[*iam.GetUserPolicyOutput](t)(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name)}))
	doc, err := url.QueryUnescape(aws.ToString(out.PolicyDocument))
	if err != nil {
		t.Fatalf("GetUserPolicy %s %s: document %q is not URL-encoded: %v", user, name, aws.ToString(out.PolicyDocument), err)
	}
	return doc
}

func userPolicyNames(t testing.TB, c *iam.Client, user string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "ListUserPolicies", pageSize, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListUserPoliciesOutput](t)(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String(user), Marker: marker, MaxItems: aws.Int32(pageSize)}))
		return out.PolicyNames, out.IsTruncated, out.Marker
	})
}

func groupPolicyNames(t testing.TB, c *iam.Client, group string, pageSize int32) []string {
	t.Helper()
	return allPages(t, "ListGroupPolicies", pageSize, func(marker *string) ([]string, bool, *string) {
		out := must[*iam.ListGroupPoliciesOutput](t)(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String(group), Marker: marker, MaxItems: aws.Int32(pageSize)}))
		return out.PolicyNames, out.IsTruncated, out.Marker
	})
}

// documentOfSize is a valid identity policy of exactly n characters as IAM
// counts them (white space not counted), laid out over several lines.
func documentOfSize(t testing.TB, n int) string {
	t.Helper()
	head := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::"
	tail := "/*\"\n    }\n  ]\n}\n"
	pad := n - counted(head) - counted(tail)
	if pad < 1 {
		t.Fatalf("no document of %d characters", n)
	}
	doc := head + strings.Repeat("b", pad) + tail
	if got := counted(doc); got != n {
		t.Fatalf("document counts %d, want %d", got, n)
	}
	return doc
}

func counted(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// TestJourneyUserInlinePolicies: put, list, get, replace and delete a
// user's inline policies; the document comes back exactly as it was sent.
func TestJourneyUserInlinePolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")

	if got := userPolicyNames(t, c, "taro", 100); len(got) != 0 {
		t.Fatalf("ListUserPolicies of a new user=%v, want none", got)
	}
	tg.putUserPolicy(t, "taro", "ReadOnly", allowList)
	tg.putUserPolicy(t, "taro", "Billing", allowList)
	if got, want := userPolicyNames(t, c, "taro", 100), []string{"Billing", "ReadOnly"}; !slices.Equal(got, want) {
		t.Errorf("ListUserPolicies=%v, want %v", got, want)
	}
	got := must[*iam.GetUserPolicyOutput](t)(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("TARO"), PolicyName: aws.String("readonly")}))
	if aws.ToString(got.UserName) != "taro" || aws.ToString(got.PolicyName) != "ReadOnly" {
		t.Errorf("GetUserPolicy names=%q %q, want taro ReadOnly (as created)", aws.ToString(got.UserName), aws.ToString(got.PolicyName))
	}

	replaced := strings.Replace(allowList, "iam:ListUsers", "iam:GetUser", 1)
	tg.putUserPolicy(t, "taro", "READONLY", replaced)
	if got, want := userPolicyNames(t, c, "taro", 100), []string{"Billing", "READONLY"}; !slices.Equal(got, want) {
		t.Errorf("ListUserPolicies after a put in another case=%v, want %v (one policy per name in any case)", got, want)
	}
	if got := userPolicyDocument(t, c, "taro", "ReadOnly"); got != replaced {
		t.Errorf("document after replacing=%q, want %q", got, replaced)
	}

	must[*iam.DeleteUserPolicyOutput](t)(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("readonly")}))
	must[*iam.DeleteUserPolicyOutput](t)(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("Billing")}))
	if got := userPolicyNames(t, c, "taro", 100); len(got) != 0 {
		t.Errorf("ListUserPolicies after deleting both=%v, want none", got)
	}
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")}))
}

// TestInlinePolicyDocumentEncoding: GetUserPolicy and GetGroupPolicy answer
// the document URL-encoded as AWS does (%20 for a space, %2A for "*"), and
// an SDK caller who decodes it gets back exactly the text it sent: white
// space, "+", "%" and Latin-1 letters included.
func TestInlinePolicyDocumentEncoding(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	doc := "{\r\n\t\"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Sid\": \"a+b\", \"Effect\": \"Allow\", \"Action\": \"s3:*\",\n" +
		"   \"Resource\": \"arn:aws:s3:::bucket/100%/a b&c=d?é\",\n   \"Condition\": {\"StringLike\": {\"s3:prefix\": [\"x+y\", \"~home/<me>#\"]}}}]}  \n"
	tg.putUserPolicy(t, "taro", "p", doc)
	tg.putGroupPolicy(t, "devs", "p", doc)

	user := must[*iam.GetUserPolicyOutput](t)(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("p")}))
	group := must[*iam.GetGroupPolicyOutput](t)(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("p")}))
	for action, raw := range map[string]string{"GetUserPolicy": aws.ToString(user.PolicyDocument), "GetGroupPolicy": aws.ToString(group.PolicyDocument)} {
		if !strings.HasPrefix(raw, "%7B%0D%0A%09%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20") || !strings.Contains(raw, "s3%3A%2A") {
			t.Errorf("%s document=%q, want it URL-encoded as AWS does", action, raw)
		}
		if strings.ContainsAny(raw, " +*{\"") {
			t.Errorf("%s document=%q carries characters AWS encodes", action, raw)
		}
		decoded, err := url.QueryUnescape(raw)
		if err != nil || decoded != doc {
			t.Errorf("%s document decoded=%q,%v, want exactly %q", action, decoded, err, doc)
		}
	}
}

// TestUserInlinePolicyErrors: every action's refusals, with AWS's code,
// status and text.
func TestUserInlinePolicyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.putUserPolicy(t, "taro", "kept", allowList)
	put := func(user, name, doc string) error {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)})
		return err
	}

	t.Run("NoSuchEntity user", func(t *testing.T) {
		wantAPIError(t, put("ghost", "p", allowList), "NoSuchEntity", 404, noSuchUser("ghost"))
		wantAPIError(t, put("ghost", "p", "not json"), "NoSuchEntity", 404, noSuchUser("ghost"))
		_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ghost"), PolicyName: aws.String("kept")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
		_, err = c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ghost")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
		_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("ghost"), PolicyName: aws.String("kept")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
	})
	t.Run("NoSuchEntity policy", func(t *testing.T) {
		_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("Gone")})
		wantAPIError(t, err, "NoSuchEntity", 404, noUserPolicy("Gone"))
		_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("Gone")})
		wantAPIError(t, err, "NoSuchEntity", 404, noUserPolicy("Gone"))
	})
	t.Run("MalformedPolicyDocument", func(t *testing.T) {
		for doc, message := range map[string]string{
			"This is not a json document": "Syntax errors in policy.",
			`{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`:                       "Policy document must be version 2012-10-17 or greater.",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"invalid","Resource":"arn:aws:s3:::example_bucket"}}`:      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"invalid resource"}}`:           `Resource invalid resource must be in ARN format or "*".`,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket"}}`:                                         "Policy statement must contain resources.",
			`{"Version":"2012-10-17","Statement":{"Effect":"denY","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket"}}`: "The policy failed legacy parsing",
		} {
			wantAPIError(t, put("taro", "bad", doc), "MalformedPolicyDocument", 400, message)
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("nobody"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(doc)})
			wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("nobody"))
		}
		if got, want := userPolicyNames(t, c, "taro", 100), []string{"kept"}; !slices.Equal(got, want) {
			t.Errorf("ListUserPolicies after refusals=%v, want %v", got, want)
		}
	})
	t.Run("ValidationError", func(t *testing.T) {
		wantAPIError(t, put("taro", "no spaces", allowList), "ValidationError", 400,
			`1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)
		wantAPIError(t, put("taro", strings.Repeat("p", 129), allowList), "ValidationError", 400,
			"1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must have length less than or equal to 128")
	})
	t.Run("Invalid Marker", func(t *testing.T) {
		tg.createGroup(t, "devs")
		tg.putGroupPolicy(t, "devs", "a", allowList)
		tg.putGroupPolicy(t, "devs", "b", allowList)
		groups := must[*iam.ListGroupPoliciesOutput](t)(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("devs"), MaxItems: aws.Int32(1)}))
		_, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("taro"), Marker: groups.Marker})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
}

// TestInlinePolicySizeQuota: a user's inline policies together may count
// 2,048 characters and a group's 5,120, white space not counted; one more
// is LimitExceeded, and replacing a policy counts the new document instead
// of the old.
func TestInlinePolicySizeQuota(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	userLimit := "Maximum policy size of 2048 bytes exceeded for user taro"
	groupLimit := "Maximum policy size of 5120 bytes exceeded for group devs"

	_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("big"), PolicyDocument: aws.String(documentOfSize(t, 2049))})
	wantAPIError(t, err, "LimitExceeded", 409, userLimit)
	tg.putUserPolicy(t, "taro", "big", documentOfSize(t, 2048))
	tg.putUserPolicy(t, "taro", "BIG", documentOfSize(t, 2048))

	tg.putUserPolicy(t, "taro", "big", documentOfSize(t, 1000))
	tg.putUserPolicy(t, "taro", "second", documentOfSize(t, 1048))
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("third"), PolicyDocument: aws.String(documentOfSize(t, 200))})
	wantAPIError(t, err, "LimitExceeded", 409, userLimit)
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("Second"), PolicyDocument: aws.String(documentOfSize(t, 1049))})
	wantAPIError(t, err, "LimitExceeded", 409, userLimit)
	tg.putUserPolicy(t, "taro", "second", documentOfSize(t, 500))
	tg.putUserPolicy(t, "taro", "third", documentOfSize(t, 548))
	if got, want := userPolicyNames(t, c, "taro", 100), []string{"big", "second", "third"}; !slices.Equal(got, want) {
		t.Errorf("ListUserPolicies=%v, want %v", got, want)
	}
	if got, want := userPolicyDocument(t, c, "taro", "second"), documentOfSize(t, 500); got != want {
		t.Errorf("second after refusals=%q, want the last accepted %q", got, want)
	}

	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("big"), PolicyDocument: aws.String(documentOfSize(t, 5121))})
	wantAPIError(t, err, "LimitExceeded", 409, groupLimit)
	tg.putGroupPolicy(t, "devs", "big", documentOfSize(t, 4900))
	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("small"), PolicyDocument: aws.String(documentOfSize(t, 221))})
	wantAPIError(t, err, "LimitExceeded", 409, groupLimit)
	tg.putGroupPolicy(t, "devs", "small", documentOfSize(t, 220))
}

// TestGroupInlinePolicies: the group actions, success and refusals.
func TestGroupInlinePolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createGroup(t, "Devs")
	tg.putGroupPolicy(t, "devs", "Deploy", allowList)
	tg.putGroupPolicy(t, "devs", "audit", allowList)
	if got, want := groupPolicyNames(t, c, "devs", 100), []string{"audit", "Deploy"}; !slices.Equal(got, want) {
		t.Errorf("ListGroupPolicies=%v, want %v", got, want)
	}
	got := must[*iam.GetGroupPolicyOutput](t)(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("deploy")}))
	if aws.ToString(got.GroupName) != "Devs" || aws.ToString(got.PolicyName) != "Deploy" {
		t.Errorf("GetGroupPolicy names=%q %q, want Devs Deploy", aws.ToString(got.GroupName), aws.ToString(got.PolicyName))
	}
	if doc, err := url.QueryUnescape(aws.ToString(got.PolicyDocument)); err != nil || doc != allowList {
		t.Errorf("GetGroupPolicy document=%q,%v, want %q", doc, err, allowList)
	}

	t.Run("NoSuchEntity group", func(t *testing.T) {
		_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("ghosts"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowList)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("ghosts"))
		_, err = c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("ghosts"), PolicyName: aws.String("p")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("ghosts"))
		_, err = c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("ghosts")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("ghosts"))
		_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("ghosts"), PolicyName: aws.String("p")})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("ghosts"))
	})
	t.Run("NoSuchEntity policy", func(t *testing.T) {
		_, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("Gone")})
		wantAPIError(t, err, "NoSuchEntity", 404, noGroupPolicy("Gone"))
		_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("Gone")})
		wantAPIError(t, err, "NoSuchEntity", 404, noGroupPolicy("Gone"))
	})
	t.Run("MalformedPolicyDocument", func(t *testing.T) {
		_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("bad"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"a","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
		wantAPIError(t, err, "MalformedPolicyDocument", 400, "Statement IDs (SID) in a single policy must be unique.")
		_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("bad"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`)})
		wantAPIError(t, err, "MalformedPolicyDocument", 400, "Policy document should not specify a principal.")
	})

	must[*iam.DeleteGroupPolicyOutput](t)(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("DEVS"), PolicyName: aws.String("AUDIT")}))
	if got, want := groupPolicyNames(t, c, "devs", 100), []string{"Deploy"}; !slices.Equal(got, want) {
		t.Errorf("ListGroupPolicies after delete=%v, want %v", got, want)
	}
}

// TestInlinePolicyPaging: ListUserPolicies and ListGroupPolicies page by
// MaxItems and Marker, in name order.
func TestInlinePolicyPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	want := []string{"a1", "B2", "c3", "D4", "e5"}
	for _, name := range slices.Backward(want) {
		tg.putUserPolicy(t, "taro", name, allowList)
		tg.putGroupPolicy(t, "devs", name, allowList)
	}
	for _, size := range []int32{1, 2, 5, 100} {
		if got := userPolicyNames(t, c, "taro", size); !slices.Equal(got, want) {
			t.Errorf("ListUserPolicies by %d=%v, want %v", size, got, want)
		}
		if got := groupPolicyNames(t, c, "devs", size); !slices.Equal(got, want) {
			t.Errorf("ListGroupPolicies by %d=%v, want %v", size, got, want)
		}
	}
}

// TestRenameCarriesInlinePolicies: a renamed user or group keeps its inline
// policies, under its new name only.
func TestRenameCarriesInlinePolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	tg.putUserPolicy(t, "taro", "p", allowList)
	tg.putGroupPolicy(t, "devs", "q", allowList)
	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("jiro"), NewPath: aws.String("/x/")}))
	must[*iam.UpdateGroupOutput](t)(c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("devs"), NewGroupName: aws.String("ops")}))

	if got := userPolicyDocument(t, c, "jiro", "p"); got != allowList {
		t.Errorf("renamed user's policy=%q, want %q", got, allowList)
	}
	if got, want := groupPolicyNames(t, c, "ops", 100), []string{"q"}; !slices.Equal(got, want) {
		t.Errorf("renamed group's policies=%v, want %v", got, want)
	}
	_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("p")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("taro"))
	_, err = c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("devs")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchGroup("devs"))

	// A new user under the old name starts without policies.
	tg.createUser(t, "taro")
	if got := userPolicyNames(t, c, "taro", 100); len(got) != 0 {
		t.Errorf("policies of a new user under an old name=%v, want none", got)
	}
}

// TestDeleteConflictsOfInlinePolicies: a user or group that embeds a policy
// cannot be deleted; for a user the policies come after its MFA devices and
// before its group memberships, for a group after its members.
func TestDeleteConflictsOfInlinePolicies(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	tg.addToGroup(t, "taro", "devs")
	tg.putUserPolicy(t, "taro", "p", allowList)
	tg.putGroupPolicy(t, "devs", "q", allowList)
	serial, seed := tg.createDevice(t, "taro-phone")
	if err := tg.enable("taro", serial, seed, t); err != nil {
		t.Fatalf("EnableMFADevice: %v", err)
	}
	deleteUser := func() error {
		_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("taro")})
		return err
	}
	deleteGroup := func() error {
		_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
		return err
	}

	wantAPIError(t, deleteUser(), "DeleteConflict", 409, "Cannot delete entity, must delete MFA device first.")
	must[*iam.DeactivateMFADeviceOutput](t)(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("taro"), SerialNumber: aws.String(serial)}))
	wantAPIError(t, deleteUser(), "DeleteConflict", 409, mustDeletePolicies)
	wantAPIError(t, deleteGroup(), "DeleteConflict", 409, groupHasMembers)
	must[*iam.DeleteUserPolicyOutput](t)(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("p")}))
	wantAPIError(t, deleteUser(), "DeleteConflict", 409, groupHasMembers)
	must[*iam.RemoveUserFromGroupOutput](t)(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{UserName: aws.String("taro"), GroupName: aws.String("devs")}))
	wantAPIError(t, deleteGroup(), "DeleteConflict", 409, mustDeletePolicies)
	must[*iam.DeleteGroupPolicyOutput](t)(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("q")}))
	if err := deleteUser(); err != nil {
		t.Errorf("DeleteUser without dependents: %v", err)
	}
	if err := deleteGroup(); err != nil {
		t.Errorf("DeleteGroup without dependents: %v", err)
	}
}

// TestInlinePoliciesIgnorePartition: a policy put through one partition's
// endpoint is the same policy through another's.
func TestInlinePoliciesIgnorePartition(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "taro")
	tg.createGroup(t, "devs")
	cfg := tg.Config.Copy()
	cfg.Region = "cn-north-1"
	cn := iam.NewFromConfig(cfg, noRetry, noClientValidation)
	must[*iam.PutUserPolicyOutput](t)(cn.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("p"), PolicyDocument: aws.String(allowList)}))
	must[*iam.PutGroupPolicyOutput](t)(cn.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("q"), PolicyDocument: aws.String(allowList)}))
	if got := userPolicyDocument(t, tg.iam(), "taro", "p"); got != allowList {
		t.Errorf("policy put in aws-cn, read in aws=%q, want %q", got, allowList)
	}
	if got, want := groupPolicyNames(t, tg.iam(), "devs", 100), []string{"q"}; !slices.Equal(got, want) {
		t.Errorf("group policies put in aws-cn, listed in aws=%v, want %v", got, want)
	}
	if got := userPolicyDocument(t, cn, "taro", "p"); got != allowList {
		t.Errorf("policy read in aws-cn=%q, want %q", got, allowList)
	}
}
