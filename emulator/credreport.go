package emulator

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
)

// The credential report, as the IAM user guide's "Getting credential
// reports" describes it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html).
//
// AWS generates a report asynchronously: GenerateCredentialReport answers
// STARTED, and COMPLETE once a report younger than four hours exists.
// iamlocal builds the report inside the GenerateCredentialReport that
// starts it, in that request's transaction, so the report is ready when
// STARTED is answered: the next Generate answers COMPLETE, and
// GetCredentialReport returns it at once. Clients that poll Generate until
// COMPLETE, or Get until it stops answering ReportInProgress, then finish
// in one round, and the report is the state at one instant. ReportInProgress
// is never answered: no request sees a report half built.

// reportLifetime is how long a report is reused: Generate makes a new one
// only when the last is older, and Get refuses an older one as expired.
const reportLifetime = 4 * time.Hour

// The values the report prints where a column has no date, and the root
// user's name in its user column.
const (
	notApplicable = "N/A"
	notSupported  = "not_supported"  // what the root user cannot have: a password's dates
	noInformation = "no_information" // a password never used to sign in
	rootRowName   = "<root_account>"
)

// reportTimeLayout is ISO 8601 as the report writes it:
// 2015-06-24T15:45:00+00:00.
const reportTimeLayout = "2006-01-02T15:04:05+00:00"

// reportColumns are the report's columns in AWS's order. A user holds at
// most maxAccessKeysPerUser keys and maxSigningCertsPerUser certificates:
// each has its own group of columns.
var reportColumns = []string{
	"user", "arn", "user_creation_time",
	"password_enabled", "password_last_used", "password_last_changed", "password_next_rotation",
	"mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated",
	"cert_2_active", "cert_2_last_rotated",
}

func (e *Emulator) GenerateCredentialReport(ctx context.Context, _ *iam.GenerateCredentialReportInput) (*iam.GenerateCredentialReportOutput, error) {
	c := callerOf(ctx)
	// Read once, outside the Update, which may run twice.
	now := e.now()
	usage := e.unflushedUsage()
	started := false
	err := e.db.Update(func(tx *store.Tx) error {
		started = false
		if err := authorize(tx, c, "iam:GenerateCredentialReport", "*"); err != nil {
			return err
		}
		last, err := tx.CredentialReport(c.Account)
		if err == nil && !reportExpired(last, now) {
			return nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		b := reportBuilder{tx: tx, partition: partition(c), account: c.Account, accountCreated: e.db.Created(), usage: usage}
		content, err := b.build()
		if err != nil {
			return err
		}
		started = true
		return tx.PutCredentialReport(c.Account, &store.CredentialReport{Generated: now, Content: content})
	})
	if err != nil {
		return nil, err
	}
	if started {
		return &iam.GenerateCredentialReportOutput{State: types.ReportStateTypeStarted, Description: aws.String(reportStarted)}, nil
	}
	return &iam.GenerateCredentialReportOutput{State: types.ReportStateTypeComplete}, nil
}

func (e *Emulator) GetCredentialReport(ctx context.Context, _ *iam.GetCredentialReportInput) (*iam.GetCredentialReportOutput, error) {
	c := callerOf(ctx)
	now := e.now()
	var r *store.CredentialReport
	err := e.db.View(func(tx *store.Tx) error {
		if err := authorize(tx, c, "iam:GetCredentialReport", "*"); err != nil {
			return err
		}
		var err error
		if r, err = tx.CredentialReport(c.Account); errors.Is(err, store.ErrNotFound) {
			return reportNotPresent()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if reportExpired(r, now) {
		return nil, reportExpiredError()
	}
	return &iam.GetCredentialReportOutput{
		Content:       []byte(r.Content),
		ReportFormat:  types.ReportFormatTypeTextCsv,
		GeneratedTime: aws.Time(r.Generated),
	}, nil
}

func reportExpired(r *store.CredentialReport, now time.Time) bool {
	return now.Sub(r.Generated) > reportLifetime
}

// reportBuilder writes one account's report from the state a transaction
// sees.
type reportBuilder struct {
	tx             *store.Tx
	partition      string
	account        string
	accountCreated time.Time               // the root user's creation
	usage          map[string]store.KeyUse // key use not yet flushed
	policy         *store.PasswordPolicy   // nil: none
	mfaUsers       map[string]bool         // user ids with an enabled MFA device
}

// build is the report's CSV: the header, the root user, then every user in
// name order.
func (b *reportBuilder) build() (string, error) {
	var err error
	if b.policy, err = passwordPolicy(b.tx, b.account); err != nil {
		return "", err
	}
	if b.mfaUsers, err = usersWithMFA(b.tx, b.account); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(reportColumns)
	root, err := b.rootRow()
	if err != nil {
		return "", err
	}
	w.Write(root)
	err = b.tx.Users(b.account, "", func(u *store.User) (bool, error) {
		row, err := b.userRow(u)
		if err != nil {
			return false, err
		}
		return true, w.Write(row)
	})
	if err != nil {
		return "", err
	}
	w.Flush()
	return buf.String(), w.Error()
}

// rootRow: AWS prints not_supported for the root user's password columns
// but its last use; iamlocal models no MFA device of the root user.
func (b *reportBuilder) rootRow() ([]string, error) {
	row := []string{rootRowName, rootARN(b.partition, b.account), reportTime(b.accountCreated),
		notSupported, noInformation, notSupported, notSupported, strconv.FormatBool(false)}
	return b.appendCredentials(row, b.account)
}

func (b *reportBuilder) userRow(u *store.User) ([]string, error) {
	row := []string{u.Name, arnOf(b.partition, u), reportTime(u.Created)}
	row = append(row, b.passwordColumns(u.Login, u.PasswordLastUsed)...)
	row = append(row, strconv.FormatBool(b.mfaUsers[u.ID]))
	return b.appendCredentials(row, u.ID)
}

// passwordColumns: a password never used to sign in to the console is
// no_information.
func (b *reportBuilder) passwordColumns(login *store.LoginProfile, lastUsed time.Time) []string {
	if login == nil {
		return []string{strconv.FormatBool(false), notApplicable, notApplicable, notApplicable}
	}
	next := notApplicable
	if b.policy != nil && b.policy.MaxAge > 0 {
		next = reportTime(login.Changed.Add(time.Duration(b.policy.MaxAge) * 24 * time.Hour))
	}
	used := noInformation
	if !lastUsed.IsZero() {
		used = reportTime(lastUsed)
	}
	return []string{strconv.FormatBool(true), used, reportTime(login.Changed), next}
}

// appendCredentials appends the columns of the access keys and signing
// certificates of holder (a user id, or the account id for root).
func (b *reportBuilder) appendCredentials(row []string, holder string) ([]string, error) {
	keys, err := b.tx.AccessKeys(b.account, holder)
	if err != nil {
		return nil, err
	}
	row = appendSlots(row, keys, maxAccessKeysPerUser, func(k *store.AccessKey) (time.Time, string) { return k.Created, k.ID }, b.keyColumns)
	certs, err := b.tx.SigningCertificates(b.account, holder)
	if err != nil {
		return nil, err
	}
	return appendSlots(row, certs, maxSigningCertsPerUser, func(c *store.SigningCertificate) (time.Time, string) { return c.Uploaded, c.ID }, certColumns), nil
}

// appendSlots appends the columns of items, oldest first (made is when an
// item was made, and its id), in n slots; columns(nil) is an empty slot.
func appendSlots[T any](row []string, items []T, n int, made func(*T) (time.Time, string), columns func(*T) []string) []string {
	slices.SortFunc(items, func(x, y T) int {
		xt, xid := made(&x)
		yt, yid := made(&y)
		return cmp.Or(xt.Compare(yt), cmp.Compare(xid, yid))
	})
	for i := range n {
		var item *T
		if i < len(items) {
			item = &items[i]
		}
		row = append(row, columns(item)...)
	}
	return row
}

func (b *reportBuilder) keyColumns(k *store.AccessKey) []string {
	if k == nil {
		return []string{strconv.FormatBool(false), notApplicable, notApplicable, notApplicable, notApplicable}
	}
	return append([]string{strconv.FormatBool(k.Active), reportTime(k.Created)}, useColumns(b.lastUse(k))...)
}

func certColumns(c *store.SigningCertificate) []string {
	if c == nil {
		return []string{strconv.FormatBool(false), notApplicable}
	}
	return []string{strconv.FormatBool(c.Active), reportTime(c.Uploaded)}
}

// lastUse is the later of k's stored last use and its unflushed one.
func (b *reportBuilder) lastUse(k *store.AccessKey) *store.KeyUse {
	u, ok := b.usage[k.ID]
	return latestUse(k.LastUsed, u, ok)
}

func useColumns(u *store.KeyUse) []string {
	if u == nil {
		return []string{notApplicable, notApplicable, notApplicable}
	}
	return []string{reportTime(u.Date), u.Region, u.Service}
}

// usersWithMFA is the ids of the users with an enabled MFA device, read in
// one pass over the account's devices.
func usersWithMFA(tx *store.Tx, account string) (map[string]bool, error) {
	users := map[string]bool{}
	err := tx.MFADevices(account, "", func(d *store.MFADevice) (bool, error) {
		if d.UserID != "" {
			users[d.UserID] = true
		}
		return true, nil
	})
	return users, err
}

func reportTime(t time.Time) string { return t.UTC().Format(reportTimeLayout) }
