package emulator

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestConsolePasswordUseInCredentialReport: a console sign-in is the
// report's password_last_used.
func TestConsolePasswordUseInCredentialReport(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	expectOK[*iam.CreateUserOutput](t)(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")}))
	expectOK[*iam.CreateLoginProfileOutput](t)(e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Passw0rd!x")}))
	report := func() [][]string {
		expectOK[*iam.GenerateCredentialReportOutput](t)(e.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
		return e.reportRows(t)
	}
	if got, want := report()[2][4], "no_information"; got != want {
		t.Fatalf("password_last_used=%q before sign-in, want %q", got, want)
	}
	if _, err := e.CheckConsolePassword(DefaultAccount, "taro", "wrong"); !errors.Is(err, ErrConsoleSignInFailed) {
		t.Fatalf("wrong password: err=%v, want ErrConsoleSignInFailed", err)
	}
	if _, err := e.CheckConsolePassword(DefaultAccount, "taro", "Passw0rd!x"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(5 * time.Hour) // past the report's four-hour reuse
	u := expectOK[*iam.GetUserOutput](t)(e.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("taro")}))
	if u.User.PasswordLastUsed == nil {
		t.Fatal("GetUser shows no PasswordLastUsed after a sign-in")
	}
	if got, want := report()[2][4], reportTime(*u.User.PasswordLastUsed); got != want {
		t.Fatalf("password_last_used=%q, want %q", got, want)
	}
}

// TestGuardLetsLinksOpenTheConsole: a link on another site may open a
// console page (a top-level GET); it may not frame it, post to it or
// reach the API that way.
func TestGuardLetsLinksOpenTheConsole(t *testing.T) {
	e := newTest(t)
	for _, c := range []struct {
		method, path, dest string
		refused            bool
	}{
		{http.MethodGet, "/console/123456789012", "document", false},
		{http.MethodGet, "/console/123456789012", "iframe", true},
		{http.MethodPost, "/console/signin", "document", true},
		{http.MethodGet, "/?Action=ListUsers", "document", true},
	} {
		w := serve(e, request(c.method, c.path, "", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", c.dest))
		if got := w.Code == http.StatusForbidden; got != c.refused {
			t.Errorf("%s %s (%s): status %d, refused=%v, want %v", c.method, c.path, c.dest, w.Code, got, c.refused)
		}
	}
}
