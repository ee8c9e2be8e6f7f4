package emulator

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// enforcedCaller is user name as its own key makes it, with the
// authorization state key lookup gives.
func (e *Emulator) enforcedCaller(t testing.TB, name string) wire.Caller {
	t.Helper()
	c := wire.CallerFrom(e.userCtx(t, name))
	return e.withAuth(wire.Key{Caller: c}, e.db.DataGeneration()).Caller
}

func (e *Emulator) enforcedCtx(t testing.TB, name string) context.Context {
	t.Helper()
	return wire.WithCaller(context.Background(), e.enforcedCaller(t, name))
}

func newLogged(t testing.TB, mode Enforce) (*Emulator, *bytes.Buffer) {
	var log bytes.Buffer
	e := newTestWith(t, Options{Enforce: mode, Log: slog.New(slog.NewTextHandler(&log, nil))})
	for _, name := range []string{"alice", "bob"} {
		if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	return e, &log
}

func TestEnforceAuditAllowsAndLogs(t *testing.T) {
	e, log := newLogged(t, EnforceAudit)
	if _, err := e.DeleteUser(e.enforcedCtx(t, "alice"), &iam.DeleteUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatalf("DeleteUser in audit mode: %v", err)
	}
	for _, want := range []string{"access would be denied (audit)", "action=iam:DeleteUser", `policy="none allowed it"`} {
		if !strings.Contains(log.String(), want) {
			t.Fatalf("log %q lacks %q", log.String(), want)
		}
	}
}

func TestEnforceOffAllows(t *testing.T) {
	e, log := newLogged(t, EnforceOff)
	if _, err := e.DeleteUser(e.enforcedCtx(t, "alice"), &iam.DeleteUserInput{UserName: aws.String("bob")}); err != nil {
		t.Fatalf("DeleteUser with enforcement off: %v", err)
	}
	if strings.Contains(log.String(), "denied") {
		t.Fatalf("log %q reports a denial with enforcement off", log.String())
	}
}

func TestEnforceDenialLogNamesStatement(t *testing.T) {
	e, log := newLogged(t, EnforceOn)
	if _, err := e.PutUserPolicy(e.rootCtx(), &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("p"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"KeepBob","Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.DeleteUser(e.enforcedCtx(t, "alice"), &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantErr(t, err, "AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:DeleteUser on resource: user bob with an explicit deny in an identity-based policy")
	for _, want := range []string{"access denied", "policy=inline:user/alice:p", "statement=KeepBob"} {
		if !strings.Contains(log.String(), want) {
			t.Fatalf("log %q lacks %q", log.String(), want)
		}
	}
}

// statementsWithConditions is a managed policy of n statements, each with
// conditions, none of which allows iam:GetUser on the reader. mixed gives
// them the shape of real policies (several services; iam:GetUser is a
// candidate of few); otherwise every statement is one (the worst case).
func statementsWithConditions(n, policy int, mixed bool) string {
	var b strings.Builder
	b.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		actions := `["iam:Get*","iam:List*"]`
		if mixed {
			actions = [...]string{`["s3:GetObject","ec2:Describe*"]`, `["iam:Get*","iam:ListGroups"]`, `"dynamodb:*"`, `["sqs:SendMessage","sns:Publish"]`}[i%4]
		}
		fmt.Fprintf(&b, `{"Sid":"S%d","Effect":"Allow","Action":%s,"Resource":"arn:aws:iam::*:user/team%d/*",`+
			`"Condition":{"StringEquals":{"aws:PrincipalTag/team":"t%d"},"Bool":{"aws:SecureTransport":"false"},"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}}`, i, actions, policy, i, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

// BenchmarkAuthorize is the case: a user in 2 groups with 10
// attached managed policies of 20 statements with conditions, deciding a
// GetUser that the last statement of a group's policy allows.
func BenchmarkAuthorize(b *testing.B) {
	for _, bc := range []struct {
		name  string
		mode  Enforce
		mixed bool
	}{{"off", EnforceOff, true}, {"on-mixed", EnforceOn, true}, {"on-all-candidates", EnforceOn, false}} {
		b.Run(bc.name, func(b *testing.B) {
			mode := bc.mode
			e := newTestWith(b, Options{Enforce: mode})
			root := e.rootCtx()
			must := func(_ any, err error) {
				b.Helper()
				if err != nil {
					b.Fatal(err)
				}
			}
			must(e.CreateUser(root, &iam.CreateUserInput{UserName: aws.String("reader")}))
			for i := range 10 {
				out, err := e.CreatePolicy(root, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(statementsWithConditions(20, i, bc.mixed))})
				must(out, err)
				must(e.AttachUserPolicy(root, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: out.Policy.Arn}))
			}
			for i := range 2 {
				g := aws.String(fmt.Sprintf("g%d", i))
				must(e.CreateGroup(root, &iam.CreateGroupInput{GroupName: g}))
				must(e.AddUserToGroup(root, &iam.AddUserToGroupInput{GroupName: g, UserName: aws.String("reader")}))
				must(e.PutGroupPolicy(root, &iam.PutGroupPolicyInput{GroupName: g, PolicyName: aws.String("read"),
					PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`)}))
			}
			c := e.enforcedCaller(b, "reader")
			c.SourceIP, c.Region = "127.0.0.1", "us-east-1"
			arn := "arn:aws:iam::123456789012:user/reader"
			authorizeOnce := func() {
				if err := e.db.View(func(tx *store.Tx) error { return authorize(tx, c, "iam:GetUser", arn) }); err != nil {
					b.Fatal(err)
				}
			}
			authorizeOnce() // compiles and caches the policies
			b.ReportAllocs()
			for b.Loop() {
				authorizeOnce()
			}
		})
	}
}

// TestPrincipalCacheBoundedAndByGeneration: the cache never holds more
// than principalCacheMax principals, and a newer generation drops the
// older one's.
func TestPrincipalCacheBoundedAndByGeneration(t *testing.T) {
	e := newTest(t)
	var pc principalCache
	caller := func(i int) wire.Caller {
		return wire.Caller{Account: DefaultAccount, UserID: fmt.Sprintf("AIDA%017d", i), ARN: fmt.Sprintf("arn:aws:iam::123456789012:user/u%d", i)}
	}
	err := e.db.View(func(tx *store.Tx) error {
		for i := range principalCacheMax + 10 {
			if _, err := pc.load(tx, 1, caller(i)); err != nil {
				return err
			}
		}
		if got := len(pc.byID); got > principalCacheMax {
			t.Fatalf("cache holds %d principals, want at most %d", got, principalCacheMax)
		}
		first, err := pc.load(tx, 2, caller(0))
		if err != nil {
			return err
		}
		if got, want := len(pc.byID), 1; got != want {
			t.Fatalf("cache at a new generation holds %d principals, want %d", got, want)
		}
		again, err := pc.load(tx, 2, caller(0))
		if again != first {
			t.Fatal("a second load at the same generation read the store again")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUsageFlushKeepsCachesCurrent: the once-a-second flush of key usage
// commits, but it changes nothing the key and principal caches hold, so
// they stay current across it (issue 9: enforcement on keeps its speed).
func TestUsageFlushKeepsCachesCurrent(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	if _, err := e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("flushed")}); err != nil {
		t.Fatal(err)
	}
	out, err := e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("flushed")})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.AccessKey.AccessKeyId
	key, err := e.LookupKey(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	gen, data := e.db.Generation(), e.db.DataGeneration()
	c := key.Caller
	c.AccessKeyID, c.Region, c.Service = id, "us-east-1", "iam"
	e.KeyUsed(&c)
	if err := e.flushUsage(); err != nil {
		t.Fatal(err)
	}
	if e.db.Generation() == gen || e.db.DataGeneration() != data {
		t.Fatalf("flush moved Generation %d→%d and DataGeneration %d→%d; want only the first to move", gen, e.db.Generation(), data, e.db.DataGeneration())
	}
	if _, ok := e.keys.get(e.db.DataGeneration(), id); !ok {
		t.Fatal("the key cache lost the key at the usage flush")
	}
}
