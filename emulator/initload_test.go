package emulator

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

// issueExample is docs/init.example.json, the init file of issue 11.
func issueExample(t testing.TB) *initstate.State {
	t.Helper()
	return parseInit(t, readFile(t, "../docs/init.example.json"))
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseInit(t testing.TB, text string) *initstate.State {
	t.Helper()
	s, err := initstate.Decode(strings.NewReader(text))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return s
}

func TestApplyInitIssueExample(t *testing.T) {
	e := newTest(t)
	if err := e.ApplyInit(issueExample(t)); err != nil {
		t.Fatal(err)
	}
	ctx := e.rootCtx()
	u, err := e.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(u.User.Tags), 1; got != want {
		t.Fatalf("tags=%d, want %d", got, want)
	}
	k, err := e.LookupKey(ctx, "FOOBARKEY")
	if err != nil {
		t.Fatalf("LookupKey(FOOBARKEY): %v", err)
	}
	if got, want := string(k.Secret), "FOOBARSECRET"; got != want {
		t.Fatalf("secret=%q, want %q", got, want)
	}
	if got, want := k.Caller.ARN, "arn:aws:iam::123456789012:user/admin"; got != want {
		t.Fatalf("caller=%q, want %q", got, want)
	}
	devices, err := e.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(devices.MFADevices), 1; got != want {
		t.Fatalf("devices=%d, want %d", got, want)
	}
	codes, err := DeviceCodes(e.db, DefaultAccount, "admin-mfa", e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codes.Current, codeAt("JBSWY3DPEHPK3PXP", stepOf(e.clock.Now())); got != want {
		t.Fatalf("code=%s, want %s (the file's seed)", got, want)
	}
	groups, err := e.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(groups.Groups), 1; got != want {
		t.Fatalf("groups=%d, want %d", got, want)
	}
	if _, err := e.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("admin")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")}); err != nil {
		t.Fatal(err)
	}
	alias, err := e.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(alias.AccountAliases, ","), "handson"; got != want {
		t.Fatalf("alias=%q, want %q", got, want)
	}
}

// TestApplyInitRefused: a refused file names the place in the file and
// the API's refusal, and leaves the state as it was.
func TestApplyInitRefused(t *testing.T) {
	for name, c := range map[string]struct{ file, want string }{
		"NoSuchEntity": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a"},{"name":"b","attachedPolicies":["arn:aws:iam::123456789012:policy/Missing"]}]}]}`,
			"accounts[0].users[1].attachedPolicies[0]: NoSuchEntity: Policy arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable.",
		},
		"IssueLiteral": { // issue 11's example as written: AWS refuses an empty Statement
			`{"accounts":[{"id":"123456789012","policies":[{"name":"Deploy","path":"/","document":{"Version":"2012-10-17","Statement":[]}}]}]}`,
			"accounts[0].policies[0]: MalformedPolicyDocument: Syntax errors in policy.",
		},
		"MalformedPolicyDocument": {
			`{"accounts":[{"id":"123456789012","policies":[{"name":"p","document":{"Statement":[]}}]}]}`,
			"accounts[0].policies[0]: MalformedPolicyDocument: ",
		},
		"ValidationError": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"bad name"}]}]}`,
			"accounts[0].users[0]: ValidationError: ",
		},
		"EntityAlreadyExists": {
			`{"accounts":[{"id":"123456789012","groups":[{"name":"g"},{"name":"G"}]}]}`,
			"accounts[0].groups[1]: EntityAlreadyExists: ",
		},
		"PasswordPolicyViolation": {
			`{"accounts":[{"id":"123456789012","passwordPolicy":{"MinimumPasswordLength":20},"users":[{"name":"a","password":"short1!A"}]}]}`,
			"accounts[0].users[0].password: PasswordPolicyViolation: ",
		},
		"BadKeyID": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","accessKeys":[{"id":"AB","secret":"s"}]}]}]}`,
			`accounts[0].users[0].accessKeys[0].id: "AB" is not 3 to 128 letters, digits or underscores`,
		},
		"DuplicateKeyID": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","accessKeys":[{"id":"K1K"}]},{"name":"b","accessKeys":[{"id":"K1K"}]}]}]}`,
			`accounts[0].users[1].accessKeys[0].id: "K1K" is already the key at accounts[0].users[0].accessKeys[0]`,
		},
		"AccountRootKeyID": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","accessKeys":[{"id":"123456789012"}]}]}]}`,
			`accounts[0].users[0].accessKeys[0].id: "123456789012" is the root access key id of account 123456789012`,
		},
		"KeyQuota": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","accessKeys":[{"id":"K1K"},{"id":"K2K"},{"id":"K3K"}]}]}]}`,
			"accounts[0].users[0].accessKeys[2]: LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2",
		},
		"BadSeed": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","mfaDevices":[{"name":"m","seed":"not base32!"}]}]}]}`,
			"accounts[0].users[0].mfaDevices[0].seed: the seed must be base32",
		},
		"MalformedCertificate": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","signingCertificates":[{"body":"not a certificate"}]}]}]}`,
			"accounts[0].users[0].signingCertificates[0]: MalformedCertificate: ",
		},
		"RootMalformedCertificate": {
			`{"accounts":[{"id":"123456789012","rootSigningCertificates":[{"body":"not a certificate"}]}]}`,
			"accounts[0].rootSigningCertificates[0]: MalformedCertificate: ",
		},
		"InvalidPublicKey": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","sshPublicKeys":[{"body":"ssh-rsa not-base64!"}]}]}]}`,
			"accounts[0].users[0].sshPublicKeys[0]: InvalidPublicKey: The public key is malformed or otherwise invalid.",
		},
		"NotSupportedService": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"s3.amazonaws.com"}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[0]: NotSupportedService: ",
		},
		"BadCredentialStatus": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com","status":"Sometimes"}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[0].status: ValidationError: ",
		},
		"CredentialAgeDays": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"bedrock.amazonaws.com","credentialAgeDays":-1}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[0]: ValidationError: ",
		},
		"ServiceCredentialQuota": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com"},{"service":"codecommit.amazonaws.com"},{"service":"codecommit.amazonaws.com"}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[2]: LimitExceeded: ",
		},
		"BadCredentialID": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com","id":"ACCA1"}]}]}]}`,
			`accounts[0].users[0].serviceCredentials[0].id: "ACCA1" is not an id of the shape ^ACCA[A-Z2-7]{17}$`,
		},
		"DuplicateCredentialID": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com","id":"ACCAAAAAAAAAAAAAAAAAA"}]},
			  {"name":"b","serviceCredentials":[{"service":"codecommit.amazonaws.com","id":"ACCAAAAAAAAAAAAAAAAAA"}]}]}]}`,
			`accounts[0].users[1].serviceCredentials[0].id: "ACCAAAAAAAAAAAAAAAAAA" is already the id at accounts[0].users[0].serviceCredentials[0].id`,
		},
		"BadSecretHash": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com","secretHash":"abc"}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[0].secretHash: the secret hash must be 64 hex digits (SHA-256)",
		},
		"AliasOfPassword": {
			`{"accounts":[{"id":"123456789012","users":[{"name":"a","serviceCredentials":[{"service":"codecommit.amazonaws.com","alias":"a+1"}]}]}]}`,
			"accounts[0].users[0].serviceCredentials[0].alias: codecommit.amazonaws.com takes a user name and password, which have no alias",
		},
		"ServerCertificateUnparsable": {
			`{"accounts":[{"id":"123456789012","serverCertificates":[{"name":"www","body":"not a certificate"}]}]}`,
			"accounts[0].serverCertificates[0]: MalformedCertificate: ",
		},
		"InvalidSAMLMetadata": {
			`{"accounts":[{"id":"123456789012","samlProviders":[{"name":"idp","metadata":"<x/>"}]}]}`,
			"accounts[0].samlProviders[0]: ValidationError: 1 validation error detected: Value at 'sAMLMetadataDocument' failed to satisfy constraint: Member must have length greater than or equal to 1000",
		},
		"UnknownServicePrincipal": {
			`{"accounts":[{"id":"123456789012","serviceLinkedRoles":[{"service":"not-a-service"}]}]}`,
			"accounts[0].serviceLinkedRoles[0]: InvalidInput: ",
		},
		"ServiceLinkedMaxSession": {
			`{"accounts":[{"id":"123456789012","serviceLinkedRoles":[{"service":"ecs.amazonaws.com","maxSessionDuration":60}]}]}`,
			"accounts[0].serviceLinkedRoles[0].maxSessionDuration: ValidationError: ",
		},
		"RootKeyQuota": {
			`{"accounts":[{"id":"123456789012","rootAccessKeys":[{"id":"R1K"},{"id":"R2K"},{"id":"R3K"}]}]}`,
			"accounts[0].rootAccessKeys[2]: LimitExceeded: Cannot exceed quota for AccessKeysPerUser: 2",
		},
		"UnknownAccount": {
			`{"accounts":[{"id":"210987654321"}]}`,
			`accounts[0].id: "210987654321" is not an account of this server`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTest(t)
			if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("before")}); err != nil {
				t.Fatal(err)
			}
			err := e.ApplyInit(parseInit(t, c.file))
			var ie *InitError
			if !errors.As(err, &ie) {
				t.Fatalf("err=%v, want an InitError", err)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("err=%q, want it to start %q", err, c.want)
			}
			if _, err := e.GetUser(e.rootCtx(), &iam.GetUserInput{UserName: aws.String("before")}); err != nil {
				t.Fatalf("the state changed: %v", err)
			}
		})
	}
}

func TestResetReturnsToInit(t *testing.T) {
	e := newTestWith(t, Options{Init: issueExample(t)})
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	ctx := e.rootCtx()
	if _, err := e.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("admin"), AccessKeyId: aws.String("FOOBARKEY")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("later")}); err != nil {
		t.Fatal(err)
	}
	if err := e.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.LookupKey(ctx, "FOOBARKEY"); err != nil {
		t.Fatalf("after reset, FOOBARKEY: %v", err)
	}
	_, err := e.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("later")})
	wantErr(t, err, "NoSuchEntity", "The user with name later cannot be found.")
	var n int
	e.db.View(func(tx *store.Tx) error { n = tx.CountUsers(DefaultAccount); return nil })
	if got, want := n, 1; got != want {
		t.Fatalf("users=%d, want %d", got, want)
	}
}

// BenchmarkResetWithInit is a reset to the README's init file: a scratch
// state file, the file's requests through the API, one swap.
func BenchmarkResetWithInit(b *testing.B) {
	e := newTestWith(b, Options{Init: issueExample(b)})
	for b.Loop() {
		if err := e.Reset(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResetEmpty is a reset without an init file, for comparison.
func BenchmarkResetEmpty(b *testing.B) {
	e := newTest(b)
	for b.Loop() {
		if err := e.Reset(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestApplyInitSeveralAccounts: each account's contents land in that
// account; a role of one trusts the other; export writes both.
func TestApplyInitSeveralAccounts(t *testing.T) {
	e := newTestWith(t, Options{Accounts: []string{"111111111111", "222222222222"}})
	err := e.ApplyInit(parseInit(t, `{"accounts": [
	  {"id": "111111111111", "alias": "first", "users": [{"name": "dev", "accessKeys": [{"id": "DEVKEY", "secret": "DEVSECRET"}]}]},
	  {"id": "222222222222", "alias": "second", "users": [{"name": "dev"}],
	   "roles": [{"name": "cross", "trustPolicy": {"Version": "2012-10-17", "Statement": [
	     {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	k, err := e.LookupKey(e.rootCtx(), "DEVKEY")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.Caller.ARN, "arn:aws:iam::111111111111:user/dev"; got != want {
		t.Fatalf("DEVKEY caller=%s, want %s", got, want)
	}
	exported, err := e.Export(false)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(exported.Accounts), 2; got != want {
		t.Fatalf("exported accounts=%d, want %d", got, want)
	}
	second := exported.Accounts[1]
	if got, want := second.ID+" "+second.Alias+" "+second.Roles[0].Name+" "+second.Users[0].Name, "222222222222 second cross dev"; got != want {
		t.Fatalf("second account=%s, want %s", got, want)
	}
	if got, want := exported.Accounts[0].Users[0].ID == second.Users[0].ID, false; got != want {
		t.Fatalf("the two users named dev share an id")
	}
}
