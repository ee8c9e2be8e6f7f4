package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/store"
)

const exampleInit = "../../docs/init.example.json"

// TestServeInit: --init gives the file's users and keys at start, and a
// reset returns to them.
func TestServeInit(t *testing.T) {
	endpoint, _, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--init", exampleInit)
	admin, stsClient := clients(endpoint, "FOOBARKEY", "FOOBARSECRET")
	ctx := context.Background()
	id, err := stsClient.GetCallerIdentity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), "arn:aws:iam::123456789012:user/admin"; got != want {
		t.Fatalf("caller=%s, want %s", got, want)
	}
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("later")}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(endpoint+"/_iamlocal/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	users, err := admin.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("FOOBARKEY after reset: %v", err)
	}
	if got, want := len(users.Users), 1; got != want {
		t.Fatalf("users after reset=%d, want %d", got, want)
	}
	for query, want := range map[string]bool{"": false, "?includeSecrets=true": true} {
		resp, err := http.Get(endpoint + "/_iamlocal/state" + query)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := bytes.Contains(body, []byte("FOOBARSECRET")); resp.StatusCode != http.StatusOK || got != want {
			t.Errorf("GET /_iamlocal/state%s: %s, holds the secret: %v, want %v", query, resp.Status, got, want)
		}
	}
}

// TestServeInitRefused: a bad init file stops the start with one line
// naming the place in the file, and leaves the state file as it was.
func TestServeInitRefused(t *testing.T) {
	dir := t.TempDir()
	path, bad := filepath.Join(dir, "state.db"), filepath.Join(dir, "init.json")
	os.WriteFile(bad, []byte(`{"accounts":[{"id":"123456789012","users":[{"name":"a"},{"name":"b","attachedPolicies":["arn:aws:iam::123456789012:policy/Missing"]}]}]}`), 0o600)
	endpoint, _, stop := serve(t, "--addr", "127.0.0.1:0", "--data", path)
	root, _ := clients(endpoint, "test", "test")
	if _, err := root.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("kept")}); err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cli(context.Background(), []string{"--addr", "127.0.0.1:0", "--data", path, "--init", bad}, &stdout, &stderr)
	if got, want := code, 1; got != want {
		t.Fatalf("exit=%d, want %d", got, want)
	}
	want := "iamlocal: init " + bad + ": accounts[0].users[1].attachedPolicies[0]: NoSuchEntity: Policy arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable.\n"
	if got := stderr.String(); !strings.HasSuffix(got, want) || strings.Count(got, "\n") != 1 {
		t.Fatalf("stderr=%q, want the one line %q", got, want)
	}
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *store.Tx) error {
		if _, err := tx.User("123456789012", "kept"); err != nil {
			t.Errorf("the state file changed: %v", err)
		}
		return nil
	})
}

// TestExportImportCLI: export of one file imported into another exports
// the same, and import refuses a file a running server holds.
func TestExportImportCLI(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db")
	example, err := os.ReadFile(exampleInit)
	if err != nil {
		t.Fatal(err)
	}
	if err := runImport([]string{"--data", first}, noEnv, bytes.NewReader(example), nil); err != nil {
		t.Fatal(err)
	}
	var exported, again bytes.Buffer
	if err := runExport([]string{"--data", first, "--include-secrets"}, noEnv, &exported); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exported.String(), "FOOBARSECRET") {
		t.Fatalf("export --include-secrets lacks the key's secret:\n%s", exported.String())
	}
	if err := runImport([]string{"--data", second}, noEnv, bytes.NewReader(exported.Bytes()), nil); err != nil {
		t.Fatal(err)
	}
	if err := runExport([]string{"--data", second, "--include-secrets"}, noEnv, &again); err != nil {
		t.Fatal(err)
	}
	if again.String() != exported.String() {
		t.Fatalf("export after import:\n%s\nwant\n%s", again.String(), exported.String())
	}

	serve(t, "--addr", "127.0.0.1:0", "--data", second)
	err = runImport([]string{"--data", second}, noEnv, bytes.NewReader(example), nil)
	if err == nil || !strings.Contains(err.Error(), "in use by a running iamlocal: stop it first") {
		t.Fatalf("import into a running server's file: err=%v, want a refusal", err)
	}
}

func noEnv(string) string { return "" }

// TestServeInitAccounts: without --account the server serves the init
// file's accounts, so a role of the second is assumable from the first.
func TestServeInitAccounts(t *testing.T) {
	file := filepath.Join(t.TempDir(), "init.json")
	os.WriteFile(file, []byte(`{"accounts": [
	  {"id": "111111111111", "users": [{"name": "dev", "accessKeys": [{"id": "DEVKEY", "secret": "DEVSECRET"}],
	    "inlinePolicies": {"assume": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}}]},
	  {"id": "222222222222", "roles": [{"name": "cross", "trustPolicy": {"Version": "2012-10-17", "Statement": [
	     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}}]}]}`), 0o600)
	endpoint, _, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--init", file)
	_, stsClient := clients(endpoint, "DEVKEY", "DEVSECRET")
	out, err := stsClient.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/cross"), RoleSessionName: aws.String("dev")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::222222222222:assumed-role/cross/dev"; got != want {
		t.Fatalf("assumed=%s, want %s", got, want)
	}
}
