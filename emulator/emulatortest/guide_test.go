package emulatortest_test

// The README's "Testing your own Go code with emulatortest" shows this
// file: keep the two the same.

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

// UserNames is the code under test: it lists the account's IAM users.
func UserNames(ctx context.Context, c *iam.Client) ([]string, error) {
	var names []string
	pages := iam.NewListUsersPaginator(c, &iam.ListUsersInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Users {
			names = append(names, *u.UserName)
		}
	}
	return names, nil
}

func TestUserNames(t *testing.T) {
	srv := emulatortest.Start(t)
	auditor, err := srv.NewUser("auditor", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")
	if err != nil {
		t.Fatal(err)
	}
	intern, err := srv.NewUser("intern") // no policy at all
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		as       aws.Config
		want     []string
		wantCode string // the AWS error code, "" for success
	}{
		{"auditor", auditor, []string{"auditor", "intern"}, ""},
		{"intern", intern, nil, "AccessDenied"},
		{"root", srv.Config, []string{"auditor", "intern"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UserNames(t.Context(), iam.NewFromConfig(tc.as))
			var api smithy.APIError
			switch {
			case tc.wantCode != "":
				if !errors.As(err, &api) || api.ErrorCode() != tc.wantCode {
					t.Fatalf("err=%v, want %s", err, tc.wantCode)
				}
			case err != nil:
				t.Fatalf("UserNames: %v", err)
			case !slices.Equal(got, tc.want):
				t.Fatalf("UserNames=%v, want %v", got, tc.want)
			}
		})
	}
}

// TestGuideInREADME keeps the README's guide the code above.
func TestGuideInREADME(t *testing.T) {
	src, err := os.ReadFile("guide_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code := string(src)
	code = code[strings.Index(code, "// UserNames is"):strings.Index(code, "// TestGuideInREADME")]
	if !strings.Contains(string(readme), "```go\n"+strings.TrimSpace(code)+"\n```") {
		t.Fatal("README.md does not show guide_test.go's UserNames and TestUserNames as they are")
	}
}
