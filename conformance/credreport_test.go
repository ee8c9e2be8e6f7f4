package conformance

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// credentialReportColumns is the report's header as AWS writes it (IAM
// user guide, "Getting credential reports").
var credentialReportColumns = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
	"password_last_changed", "password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
	"access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
	"access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

const reportStarted = "No report exists. Starting a new report generation task"

// reportTime is a date as the report writes it: 2015-06-24T15:45:00+00:00.
func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func (tg *target) generateReport(t testing.TB, want types.ReportStateType) {
	t.Helper()
	out, err := tg.iam().GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
	if err != nil {
		t.Fatalf("GenerateCredentialReport: %v", err)
	}
	if out.State != want {
		t.Fatalf("State=%q, want %q", out.State, want)
	}
	switch want {
	case types.ReportStateTypeStarted:
		if got := aws.ToString(out.Description); got != reportStarted {
			t.Errorf("Description=%q, want %q", got, reportStarted)
		}
	case types.ReportStateTypeComplete:
		if out.Description != nil {
			t.Errorf("Description=%q, want none", *out.Description)
		}
	}
}

// report gets the credential report and parses it: the header, then one
// row per user keyed by its user column.
func (tg *target) report(t testing.TB) (*iam.GetCredentialReportOutput, []string, map[string][]string, []string) {
	t.Helper()
	out, err := tg.iam().GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		t.Fatalf("GetCredentialReport: %v", err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("report is not a CSV with a header and the root user (%v):\n%s", err, out.Content)
	}
	byUser := map[string][]string{}
	var order []string
	for _, row := range rows[1:] {
		byUser[row[0]] = row
		order = append(order, row[0])
	}
	return out, rows[0], byUser, order
}

func wantReportRow(t testing.TB, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("report row:\n got %q\nwant %q", got, want)
	}
}

// TestCredentialReportNotPresent: before any report, AWS answers 410
// ReportNotPresent with no Message element at all.
func TestCredentialReportNotPresent(t *testing.T) {
	tg := newTarget(t)
	_, err := tg.iam().GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantAPIError(t, err, "ReportNotPresent", http.StatusGone, "")

	r := tg.signedPost(t, "Action=GetCredentialReport&Version=2010-05-08", "iam")
	if got, want := r.status, http.StatusGone; got != want {
		t.Errorf("status=%d, want %d", got, want)
	}
	if got, want := elementPath(t, r.body), []string{"ErrorResponse", "Error", "Type", "Code", "RequestId"}; !slices.Equal(got, want) {
		t.Errorf("error document elements=%v, want %v (no Message)\n%s", got, want, r.body)
	}
}

// TestCredentialReport: the report's rows follow the state, for the root
// user and for a user holding a password, two keys (one used), an MFA
// device and a signing certificate; it is reused, then expires after four
// hours on the emulator clock.
func TestCredentialReport(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(90)}))
	taro := tg.createUser(t, "taro").User
	bare := tg.createUser(t, "bare").User
	login := must[*iam.CreateLoginProfileOutput](t)(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String("Passw0rd!x")})).LoginProfile
	usedID, usedSecret := tg.createKey(t, "taro")
	tg.advanceClock(t, time.Second) // the report lists a user's keys oldest first
	idleID, _ := tg.createKey(t, "taro")
	keys := map[string]types.AccessKeyMetadata{}
	for _, k := range must[*iam.ListAccessKeysOutput](t)(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("taro")})).AccessKeyMetadata {
		keys[aws.ToString(k.AccessKeyId)] = k
	}
	_, stsAsTaro := tg.asIn("eu-west-1", usedID, usedSecret)
	must[*sts.GetCallerIdentityOutput](t)(stsAsTaro.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	lastUsed := must[*iam.GetAccessKeyLastUsedOutput](t)(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(usedID)})).AccessKeyLastUsed
	if lastUsed.LastUsedDate == nil {
		t.Fatalf("key %s has no LastUsedDate after signing a request", usedID)
	}
	serial, seed := tg.createDevice(t, "taro-mfa")
	if err := tg.enable("taro", serial, seed, t); err != nil {
		t.Fatalf("EnableMFADevice: %v", err)
	}
	cert := tg.uploadCert(t, aws.String("taro"), signingCert(t))

	tg.generateReport(t, types.ReportStateTypeStarted)
	tg.generateReport(t, types.ReportStateTypeComplete)
	out, header, rows, order := tg.report(t)
	if got, want := out.ReportFormat, types.ReportFormatTypeTextCsv; got != want {
		t.Errorf("ReportFormat=%q, want %q", got, want)
	}
	if out.GeneratedTime == nil {
		t.Errorf("GeneratedTime missing")
	}
	if !slices.Equal(header, credentialReportColumns) {
		t.Errorf("header:\n got %q\nwant %q", header, credentialReportColumns)
	}
	if got, want := order, []string{"<root_account>", "bare", "taro"}; !slices.Equal(got, want) {
		t.Fatalf("rows for %q, want %q: the root user first", got, want)
	}
	const na = "N/A"
	root := rows["<root_account>"]
	wantReportRow(t, root[1:2], "arn:aws:iam::"+account+":root")
	wantReportRow(t, root[3:], "not_supported", "no_information", "not_supported", "not_supported", "false",
		"false", na, na, na, na, "false", na, na, na, na, "false", na, "false", na)
	wantReportRow(t, rows["bare"], "bare", *bare.Arn, reportTime(*bare.CreateDate),
		"false", na, na, na, "false",
		"false", na, na, na, na, "false", na, na, na, na, "false", na, "false", na)
	wantReportRow(t, rows["taro"], "taro", *taro.Arn, reportTime(*taro.CreateDate),
		"true", "no_information", reportTime(*login.CreateDate), reportTime(login.CreateDate.AddDate(0, 0, 90)), "true",
		"true", reportTime(*keys[usedID].CreateDate), reportTime(*lastUsed.LastUsedDate), "eu-west-1", "sts",
		"true", reportTime(*keys[idleID].CreateDate), na, na, na,
		"true", reportTime(*cert.UploadDate), "false", na)

	tg.advanceClock(t, 4*time.Hour+time.Minute)
	_, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantAPIError(t, err, "ReportExpired", http.StatusGone, "")
	tg.generateReport(t, types.ReportStateTypeStarted)
	again, _, _, _ := tg.report(t)
	if !again.GeneratedTime.After(out.GeneratedTime.Add(4 * time.Hour)) {
		t.Errorf("GeneratedTime=%v, want more than 4 hours after the expired report's %v", again.GeneratedTime, out.GeneratedTime)
	}
}
