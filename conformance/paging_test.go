package conformance

import (
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// TestListsRefuseMarkersNotIssued: every list action answers a marker it did
// not issue with 400 ValidationError `Invalid Marker.` (verified on AWS for
// ListVirtualMFADevices), whether made up or issued by another list.
func TestListsRefuseMarkersNotIssued(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	for _, name := range []string{"aki", "bun", "chie"} {
		tg.createUser(t, name)
	}
	must[*iam.TagUserOutput](t)(c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("aki"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}))
	users := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1)}))
	if users.Marker == nil {
		t.Fatal("ListUsers with MaxItems 1 of 3 users gave no marker")
	}
	madeUp := aws.String(base64.RawURLEncoding.EncodeToString([]byte("bun")))
	for marker, what := range map[*string]string{madeUp: "made up", users.Marker: "ListUsers'"} {
		calls := map[string]func() error{
			"ListVirtualMFADevices": func() error {
				_, err := c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{Marker: marker})
				return err
			},
			"ListAccessKeys": func() error {
				_, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("aki"), Marker: marker})
				return err
			},
			"ListUserTags": func() error {
				_, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("aki"), Marker: marker})
				return err
			},
			"ListMFADevices": func() error {
				_, err := c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("aki"), Marker: marker})
				return err
			},
		}
		if what == "made up" {
			calls["ListUsers"] = func() error {
				_, err := c.ListUsers(ctx, &iam.ListUsersInput{Marker: marker})
				return err
			}
		}
		for action, call := range calls {
			t.Run(action+" with a "+what+" marker", func(t *testing.T) {
				wantAPIError(t, call(), "ValidationError", 400, "Invalid Marker.")
			})
		}
	}
	rest := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{Marker: users.Marker}))
	if len(rest.Users) != 2 || aws.ToString(rest.Users[0].UserName) != "bun" {
		t.Fatalf("ListUsers after the issued marker=%d users, want bun and chie", len(rest.Users))
	}
}
