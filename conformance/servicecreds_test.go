package conformance

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

var (
	serviceCredIDShape   = regexp.MustCompile(`^ACCA[A-Z2-7]{17}$`)
	servicePasswordShape = regexp.MustCompile(`^[A-Za-z0-9+/]{43}=$`)
)

const (
	codecommit    = "codecommit.amazonaws.com"
	noServiceCred = "ACCAXXXXXXXXXXXXXXXXX"
)

func (tg *target) createServiceCred(t testing.TB, user, service string) *types.ServiceSpecificCredential {
	t.Helper()
	out, err := tg.iam().CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: &user, ServiceName: &service})
	if err != nil {
		t.Fatalf("CreateServiceSpecificCredential %s: %v", service, err)
	}
	return out.ServiceSpecificCredential
}

func (tg *target) listServiceCreds(t testing.TB, in *iam.ListServiceSpecificCredentialsInput) []types.ServiceSpecificCredentialMetadata {
	t.Helper()
	out, err := tg.iam().ListServiceSpecificCredentials(ctx, in)
	if err != nil {
		t.Fatalf("ListServiceSpecificCredentials: %v", err)
	}
	return out.ServiceSpecificCredentials
}

func TestServiceSpecificCredentialLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "git")

	cred := tg.createServiceCred(t, "git", codecommit)
	id := aws.ToString(cred.ServiceSpecificCredentialId)
	if !serviceCredIDShape.MatchString(id) {
		t.Errorf("ServiceSpecificCredentialId=%q, want ACCA + 17 base32 characters", id)
	}
	if got, want := aws.ToString(cred.ServiceUserName), "git-at-"+account; got != want {
		t.Errorf("ServiceUserName=%q, want %q", got, want)
	}
	password := aws.ToString(cred.ServicePassword)
	if !servicePasswordShape.MatchString(password) {
		t.Errorf("ServicePassword has %d characters of the wrong shape, want 44 base64 characters", len(password))
	}
	if got, want := cred.Status, types.StatusTypeActive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	if got, want := aws.ToString(cred.ServiceName), codecommit; got != want {
		t.Errorf("ServiceName=%q, want %q", got, want)
	}

	list := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("git")})
	if len(list) != 1 || aws.ToString(list[0].ServiceSpecificCredentialId) != id || aws.ToString(list[0].ServiceUserName) != "git-at-"+account {
		t.Fatalf("ListServiceSpecificCredentials=%+v, want %s", list, id)
	}

	reset := must[*iam.ResetServiceSpecificCredentialOutput](t)(c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: &id}))
	newPassword := aws.ToString(reset.ServiceSpecificCredential.ServicePassword)
	if !servicePasswordShape.MatchString(newPassword) || newPassword == password {
		t.Errorf("reset ServicePassword: %d characters, changed=%v; want a new 44-character password", len(newPassword), newPassword != password)
	}
	if got, want := aws.ToString(reset.ServiceSpecificCredential.ServiceSpecificCredentialId), id; got != want {
		t.Errorf("reset ServiceSpecificCredentialId=%q, want %q", got, want)
	}

	must[*iam.UpdateServiceSpecificCredentialOutput](t)(c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: &id, Status: types.StatusTypeInactive}))
	if list := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("git")}); len(list) != 1 || list[0].Status != types.StatusTypeInactive {
		t.Fatalf("after update: %+v, want one Inactive credential", list)
	}

	must[*iam.DeleteServiceSpecificCredentialOutput](t)(c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: aws.String("git"), ServiceSpecificCredentialId: &id}))
	if list := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("git")}); len(list) != 0 {
		t.Fatalf("after delete: %+v, want none", list)
	}
}

func TestServiceSpecificCredentialFilters(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "alice")
	tg.createUser(t, "bob")
	tg.createServiceCred(t, "alice", codecommit)
	tg.createServiceCred(t, "alice", "cassandra.amazonaws.com")
	tg.createServiceCred(t, "bob", codecommit)

	if got, want := len(tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice")})), 2; got != want {
		t.Errorf("alice's credentials=%d, want %d", got, want)
	}
	only := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("alice"), ServiceName: aws.String("cassandra.amazonaws.com")})
	if len(only) != 1 || aws.ToString(only[0].ServiceName) != "cassandra.amazonaws.com" {
		t.Errorf("alice's Keyspaces credentials=%+v, want one", only)
	}
	all := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true), ServiceName: aws.String(codecommit)})
	users := map[string]bool{}
	for _, m := range all {
		users[aws.ToString(m.UserName)] = true
	}
	if len(all) != 2 || !users["alice"] || !users["bob"] {
		t.Errorf("AllUsers CodeCommit credentials=%+v, want alice's and bob's", all)
	}
}

func TestServiceSpecificAPIKey(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "model")
	out, err := tg.iam().CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("model"), ServiceName: aws.String("bedrock.amazonaws.com"), CredentialAgeDays: aws.Int32(30)})
	if err != nil {
		t.Fatalf("CreateServiceSpecificCredential bedrock: %v", err)
	}
	cred := out.ServiceSpecificCredential
	alias := aws.ToString(cred.ServiceCredentialAlias)
	if !strings.HasPrefix(alias, "model") {
		t.Errorf("ServiceCredentialAlias=%q, want the user name and a suffix", alias)
	}
	secret := aws.ToString(cred.ServiceCredentialSecret)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "ABSK"))
	if !strings.HasPrefix(secret, "ABSK") || err != nil || !strings.HasPrefix(string(raw), alias+":") {
		t.Errorf("ServiceCredentialSecret is not ABSK + base64(alias:secret)")
	}
	if cred.ServicePassword != nil || cred.ServiceUserName != nil {
		t.Errorf("an API key has ServicePassword or ServiceUserName")
	}
	if cred.ExpirationDate == nil || cred.CreateDate == nil || !cred.ExpirationDate.Equal(cred.CreateDate.Add(30*24*time.Hour)) {
		t.Errorf("ExpirationDate=%v, want CreateDate + 30 days", cred.ExpirationDate)
	}
}

func TestServiceSpecificCredentialErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "git")
	user := aws.String("git")
	const noSuchCred = "The Service Specific Credential with id " + noServiceCred + " cannot be found."

	t.Run("NoSuchEntity user", func(t *testing.T) {
		_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("nobody"), ServiceName: aws.String(codecommit)})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
		_, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: aws.String("nobody")})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
	})
	t.Run("NoSuchEntity credential", func(t *testing.T) {
		_, err := c.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: user, ServiceSpecificCredentialId: aws.String(noServiceCred)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchCred)
		_, err = c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: user, ServiceSpecificCredentialId: aws.String(noServiceCred), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchCred)
		_, err = c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: user, ServiceSpecificCredentialId: aws.String(noServiceCred)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchCred)
	})
	t.Run("NotSupportedService", func(t *testing.T) {
		const text = "The specified service does not support service-specific credentials."
		_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: user, ServiceName: aws.String("s3.amazonaws.com")})
		wantAPIError(t, err, "NotSupportedService", 404, text)
		_, err = c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: user, ServiceName: aws.String("s3.amazonaws.com")})
		wantAPIError(t, err, "NotSupportedService", 404, text)
	})
	t.Run("ValidationError root", func(t *testing.T) {
		_, err := c.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{})
		wantAPIError(t, err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		tg.createUser(t, "other")
		id := tg.createServiceCred(t, "other", "cassandra.amazonaws.com").ServiceSpecificCredentialId
		_, err := c.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: aws.String("other"), ServiceSpecificCredentialId: id, Status: types.StatusTypeExpired})
		wantAPIError(t, err, "InvalidInput", 400, "Status Expired cannot be set; use Active or Inactive.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		tg.createServiceCred(t, "git", codecommit)
		tg.createServiceCred(t, "git", codecommit)
		_, err := c.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: user, ServiceName: aws.String(codecommit)})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2")
		tg.createServiceCred(t, "git", "cassandra.amazonaws.com") // the quota is per service
	})
}
