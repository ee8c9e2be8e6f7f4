package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"golang.org/x/crypto/bcrypt"
)

// TestSwitchedRoleActsAsTheRoleSession: a session switched to a role
// session (switchTo, for the switch-role page) acts as that session, shows
// the role in the header, and switches back by itself once the role
// session is gone.
func TestSwitchedRoleActsAsTheRoleSession(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := emulator.New(db, emulator.Options{PasswordCost: bcrypt.MinCost})
	t.Cleanup(func() { e.Close(); db.Close() })
	c := New(e, Options{})
	root := wire.WithCaller(context.Background(), wire.Caller{Account: emulator.DefaultAccount, ARN: "arn:aws:iam::123456789012:root", UserID: emulator.DefaultAccount, Root: true})
	call := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	call(e.CreateUser(root, &iam.CreateUserInput{UserName: aws.String("taro")}))
	call(e.CreateLoginProfile(root, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Passw0rd!x")}))
	call(e.PutUserPolicy(root, &iam.PutUserPolicyInput{UserName: aws.String("taro"), PolicyName: aws.String("all"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}))
	call(e.CreateRole(root, &iam.CreateRoleInput{RoleName: aws.String("admin"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}))

	user, err := e.CheckConsolePassword(emulator.DefaultAccount, "taro", "Passw0rd!x")
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	s := c.sessions.start(w, httptest.NewRequest(http.MethodGet, "/console/", nil), stageSignedIn, user)
	caller, err := e.ConsoleCaller(user.Account, user.UserID, s.mfaTime)
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.AssumeRole(wire.WithCaller(context.Background(), caller), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/admin"), RoleSessionName: aws.String("taro")})
	if err != nil {
		t.Fatal(err)
	}
	s.switchTo(aws.ToString(out.Credentials.AccessKeyId), "admin")

	get := func(path string) string {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.AddCookie(&http.Cookie{Name: cookieName, Value: s.id})
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		return w.Body.String()
	}
	if body := get("/console/home"); !strings.Contains(body, "arn:aws:sts::123456789012:assumed-role/admin/taro") || !strings.Contains(body, "admin @ 123456789012") {
		t.Fatalf("home does not act as the role session:\n%s", body)
	}
	if body := get("/console/security-credentials"); !strings.Contains(body, "My security credentials are for IAM users.") {
		t.Fatalf("the role session manages credentials:\n%s", body)
	}
	if err := e.AdvanceClock(2 * time.Hour); err != nil { // the role session (1 hour) has expired
		t.Fatal(err)
	}
	if body := get("/console/home"); !strings.Contains(body, "arn:aws:iam::123456789012:user/taro") {
		t.Fatalf("an expired role session did not switch back:\n%s", body)
	}
}
