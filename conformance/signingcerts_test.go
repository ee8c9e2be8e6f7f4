package conformance

import (
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// signingCert is a new self-signed RSA certificate in PEM form, valid for
// a year; each call makes a different one.
func signingCert(t testing.TB) string {
	t.Helper()
	now := time.Now()
	return newCert(t, rsaKey(), now.Add(-time.Hour), now.AddDate(1, 0, 0), false, nil).body
}

var certificateIDShape = regexp.MustCompile(`^[A-Z2-7]{28}$`)

const (
	noCertID   = "NONEXISTENTCERTID12345678901"
	certQuota  = "Cannot exceed quota for CertificatesPerUser: 2"
	noSuchCert = "The Certificate with id " + noCertID + " cannot be found."
)

func (tg *target) uploadCert(t testing.TB, user *string, body string) *types.SigningCertificate {
	t.Helper()
	out, err := tg.iam().UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: aws.String(body)})
	if err != nil {
		t.Fatalf("UploadSigningCertificate: %v", err)
	}
	return out.Certificate
}

// certStatuses lists the certificates of user (nil: the caller's) as
// id → status.
func (tg *target) certStatuses(t testing.TB, user *string) map[string]types.StatusType {
	t.Helper()
	out, err := tg.iam().ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: user})
	if err != nil {
		t.Fatalf("ListSigningCertificates: %v", err)
	}
	m := map[string]types.StatusType{}
	for _, c := range out.Certificates {
		m[aws.ToString(c.CertificateId)] = c.Status
		if got, want := aws.ToString(c.UserName), aws.ToString(user); got != want {
			t.Errorf("certificate %s UserName=%q, want %q", aws.ToString(c.CertificateId), got, want)
		}
	}
	return m
}

func TestSigningCertificateLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "signer")
	user := aws.String("signer")
	body := signingCert(t)

	cert := tg.uploadCert(t, user, body)
	id := aws.ToString(cert.CertificateId)
	if !certificateIDShape.MatchString(id) {
		t.Errorf("CertificateId=%q, want 28 uppercase base32 characters", id)
	}
	if got, want := aws.ToString(cert.CertificateBody), body; got != want {
		t.Errorf("CertificateBody=%q, want the uploaded body", got)
	}
	if got, want := cert.Status, types.StatusTypeActive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	if got, want := aws.ToString(cert.UserName), "signer"; got != want {
		t.Errorf("UserName=%q, want %q", got, want)
	}
	if cert.UploadDate == nil {
		t.Errorf("UploadDate missing")
	}
	if got, want := tg.certStatuses(t, user)[id], types.StatusTypeActive; got != want {
		t.Fatalf("listed status=%q, want %q", got, want)
	}

	for _, status := range []types.StatusType{types.StatusTypeInactive, types.StatusTypeActive} {
		must[*iam.UpdateSigningCertificateOutput](t)(c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: user, CertificateId: &id, Status: status}))
		if got := tg.certStatuses(t, user)[id]; got != status {
			t.Fatalf("after UpdateSigningCertificate %s: listed status=%q", status, got)
		}
	}

	must[*iam.DeleteSigningCertificateOutput](t)(c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: user, CertificateId: &id}))
	if got := tg.certStatuses(t, user); len(got) != 0 {
		t.Fatalf("after delete: certificates %v, want none", got)
	}
}

func TestRootSigningCertificates(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "other")

	present := func() int32 {
		return must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap["AccountSigningCertificatesPresent"]
	}
	if got := present(); got != 0 {
		t.Fatalf("AccountSigningCertificatesPresent=%d on a fresh account, want 0", got)
	}
	tg.uploadCert(t, aws.String("other"), signingCert(t))
	if got := present(); got != 0 {
		t.Fatalf("AccountSigningCertificatesPresent=%d with only a user's certificate, want 0", got)
	}
	cert := tg.uploadCert(t, nil, signingCert(t))
	if got := present(); got != 1 {
		t.Fatalf("AccountSigningCertificatesPresent=%d after root uploaded its own, want 1", got)
	}
	if cert.UserName != nil {
		t.Errorf("root's certificate UserName=%q, want none", *cert.UserName)
	}
	id := aws.ToString(cert.CertificateId)
	if got := tg.certStatuses(t, nil); len(got) != 1 || got[id] != types.StatusTypeActive {
		t.Fatalf("root's certificates=%v, want %s Active", got, id)
	}
	if got := tg.certStatuses(t, aws.String("other")); len(got) != 1 {
		t.Fatalf("other's certificates=%v, want its one", got)
	}
	_, err := c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("other"), CertificateId: &id, Status: types.StatusTypeInactive})
	wantAPIError(t, err, "NoSuchEntity", 404, "The Certificate with id "+id+" cannot be found.")
	must[*iam.DeleteSigningCertificateOutput](t)(c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{CertificateId: &id}))
	if got := tg.certStatuses(t, nil); len(got) != 0 {
		t.Fatalf("root's certificates after delete=%v, want none", got)
	}
	if got := present(); got != 0 {
		t.Fatalf("AccountSigningCertificatesPresent=%d after root deleted its own, want 0", got)
	}
}

func TestSigningCertificateErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "signer")
	user, nobody := aws.String("signer"), aws.String("nonexistent-user")
	const noUser = "The user with name nonexistent-user cannot be found."

	t.Run("NoSuchEntity user", func(t *testing.T) {
		_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: nobody, CertificateBody: aws.String(signingCert(t))})
		wantAPIError(t, err, "NoSuchEntity", 404, noUser)
		_, err = c.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: nobody})
		wantAPIError(t, err, "NoSuchEntity", 404, noUser)
		_, err = c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: nobody, CertificateId: aws.String(noCertID), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noUser)
		_, err = c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: nobody, CertificateId: aws.String(noCertID)})
		wantAPIError(t, err, "NoSuchEntity", 404, noUser)
	})
	t.Run("MalformedCertificate", func(t *testing.T) {
		_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: aws.String("invalid-certificate-body")})
		wantAPIError(t, err, "MalformedCertificate", 400, "Certificate invalid-certificate-body is malformed.")
	})
	t.Run("InvalidCertificate", func(t *testing.T) {
		ec := newCert(t, ecKey(t), time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), false, nil).body
		_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: &ec})
		wantAPIError(t, err, "InvalidCertificate", 400, "The certificate is invalid.")
	})
	t.Run("NoSuchEntity certificate", func(t *testing.T) {
		_, err := c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: user, CertificateId: aws.String(noCertID), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchCert)
		_, err = c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: user, CertificateId: aws.String(noCertID)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchCert)
	})
	t.Run("DuplicateCertificate", func(t *testing.T) {
		tg.createUser(t, "second")
		body := signingCert(t)
		tg.uploadCert(t, aws.String("second"), body)
		_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: aws.String(body)})
		wantAPIError(t, err, "DuplicateCertificate", 409, "The same certificate is associated with an IAM user in the account.")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		id := tg.uploadCert(t, aws.String("second"), signingCert(t)).CertificateId
		_, err := c.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: aws.String("second"), CertificateId: id, Status: types.StatusTypeExpired})
		wantAPIError(t, err, "InvalidInput", 400, "Status Expired cannot be set; use Active or Inactive.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		tg.uploadCert(t, user, signingCert(t))
		tg.uploadCert(t, user, signingCert(t))
		_, err := c.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: user, CertificateBody: aws.String(signingCert(t))})
		wantAPIError(t, err, "LimitExceeded", 409, certQuota)
	})
}
