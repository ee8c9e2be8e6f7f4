package emulator

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

func expectOK[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// reportRows gets the account's credential report and parses it, header
// first.
func (e *Emulator) reportRows(t testing.TB) [][]string {
	t.Helper()
	out := expectOK[*iam.GetCredentialReportOutput](t)(e.GetCredentialReport(e.rootCtx(), &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatalf("report is not CSV: %v\n%s", err, out.Content)
	}
	return rows
}

func wantRow(t testing.TB, rows [][]string, i int, want ...string) {
	t.Helper()
	if i >= len(rows) {
		t.Fatalf("report has %d rows, want row %d %q", len(rows), i, want)
	}
	if !slices.Equal(rows[i], want) {
		t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want)
	}
}

// TestCredentialReportRows: each column comes from the state, for the
// root user's own key, a user holding one of everything, and a user
// holding nothing; a key's unflushed use is newer than its stored one.
func TestCredentialReportRows(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	expectOK[*iam.UpdateAccountPasswordPolicyOutput](t)(e.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(90)}))
	taro := expectOK[*iam.CreateUserOutput](t)(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})).User
	hanako := expectOK[*iam.CreateUserOutput](t)(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("hanako,2")})).User
	login := expectOK[*iam.CreateLoginProfileOutput](t)(e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Passw0rd!x")})).LoginProfile
	rootKey := expectOK[*iam.CreateAccessKeyOutput](t)(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})).AccessKey
	e.clock.Advance(time.Minute)
	used := expectOK[*iam.CreateAccessKeyOutput](t)(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})).AccessKey
	e.clock.Advance(time.Minute)
	idle := expectOK[*iam.CreateAccessKeyOutput](t)(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})).AccessKey
	expectOK[*iam.UpdateAccessKeyOutput](t)(e.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("taro"), AccessKeyId: idle.AccessKeyId, Status: types.StatusTypeInactive}))

	e.KeyUsed(&wire.Caller{AccessKeyID: *used.AccessKeyId, Region: "us-east-1", Service: "iam"})
	if err := e.flushUsage(); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	e.KeyUsed(&wire.Caller{AccessKeyID: *used.AccessKeyId, Region: "eu-west-1", Service: "sts"})
	lastUse, pending := e.pendingUse(*used.AccessKeyId)
	if !pending {
		t.Fatal("the second use is not pending")
	}

	uploaded := e.now()
	err := e.db.Update(func(tx *store.Tx) error {
		if err := tx.CreateMFADevice(&store.MFADevice{Account: DefaultAccount, Name: "taro-mfa", Path: "/", Seed: "SEED", Created: uploaded, UserID: *taro.UserId, Enabled: uploaded}); err != nil {
			return err
		}
		return tx.CreateSigningCertificate(&store.SigningCertificate{Account: DefaultAccount, ID: "CERTCERTCERTCERTCERTCERTCERT", UserID: *taro.UserId, Body: "body", Print: "print", Active: true, Uploaded: uploaded})
	})
	if err != nil {
		t.Fatal(err)
	}

	gen := expectOK[*iam.GenerateCredentialReportOutput](t)(e.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	if got, want := gen.State, types.ReportStateTypeStarted; got != want {
		t.Fatalf("State=%q, want %q", got, want)
	}
	rows := e.reportRows(t)
	if got, want := len(rows), 4; got != want {
		t.Fatalf("report has %d rows, want %d (header, root, 2 users):\n%q", got, want, rows)
	}
	const na = notApplicable
	wantRow(t, rows, 0, reportColumns...)
	wantRow(t, rows, 1, "<root_account>", "arn:aws:iam::123456789012:root", reportTime(e.db.Created()),
		"not_supported", "no_information", "not_supported", "not_supported", "false",
		"true", reportTime(*rootKey.CreateDate), na, na, na,
		"false", na, na, na, na,
		"false", na, "false", na)
	wantRow(t, rows, 2, "hanako,2", *hanako.Arn, reportTime(*hanako.CreateDate),
		"false", na, na, na, "false",
		"false", na, na, na, na,
		"false", na, na, na, na,
		"false", na, "false", na)
	wantRow(t, rows, 3, "taro", *taro.Arn, reportTime(*taro.CreateDate),
		"true", "no_information", reportTime(*login.CreateDate), reportTime(login.CreateDate.Add(90*24*time.Hour)), "true",
		"true", reportTime(*used.CreateDate), reportTime(lastUse.Date), "eu-west-1", "sts",
		"false", reportTime(*idle.CreateDate), na, na, na,
		"true", reportTime(uploaded), "false", na)
}

func TestReportTimeIsISO8601WithOffset(t *testing.T) {
	at := time.Date(2015, 6, 24, 15, 45, 0, 0, time.FixedZone("JST", 9*3600))
	if got, want := reportTime(at), "2015-06-24T06:45:00+00:00"; got != want {
		t.Errorf("reportTime=%q, want %q", got, want)
	}
}

// TestCredentialReportReusedForFourHours: a report is reused, as it was,
// until it is four hours old; then Get refuses it and Generate starts a
// new one.
func TestCredentialReportReusedForFourHours(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	_, err := e.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantErr(t, err, "ReportNotPresent", "")

	generate := func(t testing.TB, want types.ReportStateType) {
		t.Helper()
		out := expectOK[*iam.GenerateCredentialReportOutput](t)(e.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
		if out.State != want {
			t.Fatalf("State=%q, want %q", out.State, want)
		}
		if want == types.ReportStateTypeStarted && aws.ToString(out.Description) != reportStarted {
			t.Errorf("Description=%q, want %q", aws.ToString(out.Description), reportStarted)
		}
		if want == types.ReportStateTypeComplete && out.Description != nil {
			t.Errorf("Description=%q, want none", *out.Description)
		}
	}
	generate(t, types.ReportStateTypeStarted)
	first := expectOK[*iam.GetCredentialReportOutput](t)(e.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	if got, want := first.ReportFormat, types.ReportFormatTypeTextCsv; got != want {
		t.Errorf("ReportFormat=%q, want %q", got, want)
	}
	generate(t, types.ReportStateTypeComplete)

	expectOK[*iam.CreateUserOutput](t)(e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("later")}))
	e.clock.Advance(reportLifetime - time.Minute)
	generate(t, types.ReportStateTypeComplete)
	if got, want := len(e.reportRows(t)), 2; got != want {
		t.Errorf("reused report has %d rows, want %d: a user made since is not in it", got, want)
	}

	e.clock.Advance(2 * time.Minute)
	_, err = e.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantErr(t, err, "ReportExpired", "")
	generate(t, types.ReportStateTypeStarted)
	second := expectOK[*iam.GetCredentialReportOutput](t)(e.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	if !second.GeneratedTime.After(*first.GeneratedTime) {
		t.Errorf("GeneratedTime=%v, want after the expired report's %v", second.GeneratedTime, first.GeneratedTime)
	}
	if got, want := len(e.reportRows(t)), 3; got != want {
		t.Errorf("new report has %d rows, want %d", got, want)
	}
}

// BenchmarkGenerateCredentialReport builds the report of an account of
// 1,000 users with a password and an access key each.
func BenchmarkGenerateCredentialReport(b *testing.B) {
	e := newTest(b)
	ctx := e.rootCtx()
	for i := range 1000 {
		name := aws.String("user" + strconv.Itoa(i))
		expectOK[*iam.CreateUserOutput](b)(e.CreateUser(ctx, &iam.CreateUserInput{UserName: name}))
		expectOK[*iam.CreateLoginProfileOutput](b)(e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: name, Password: aws.String("Passw0rd!x")}))
		expectOK[*iam.CreateAccessKeyOutput](b)(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: name}))
	}
	for b.Loop() {
		e.clock.Advance(reportLifetime + time.Minute)
		out := expectOK[*iam.GenerateCredentialReportOutput](b)(e.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
		if out.State != types.ReportStateTypeStarted {
			b.Fatalf("State=%q, want a new report", out.State)
		}
	}
}
