package console

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/wire"
)

// The "My security credentials" page: the signed-in user's password,
// MFA devices, access keys and signing certificates. Every change is the
// API action of the same name, called as the user (the handlers act on
// the caller when UserName is absent); each POST redirects back to the
// page, or shows the page again with the AWS error in its section.

const credentialsPath = Prefix + "security-credentials"

func (c *Console) credentialRoutes() {
	for pattern, h := range map[string]pageHandler{
		"GET " + credentialsPath:                    c.credentials,
		"POST " + credentialsPath + "/password":     c.credentialsPassword,
		"POST " + credentialsPath + "/keys/create":  c.createAccessKey,
		"POST " + credentialsPath + "/keys/status":  c.updateAccessKey,
		"POST " + credentialsPath + "/keys/delete":  c.deleteAccessKey,
		"POST " + credentialsPath + "/keys/done":    c.newKeySeen,
		"GET " + credentialsPath + "/keys/new.csv":  c.newKeyCSV,
		"POST " + credentialsPath + "/mfa/create":   c.createMFADevice,
		"POST " + credentialsPath + "/mfa/enable":   c.enableMFADevice,
		"POST " + credentialsPath + "/mfa/cancel":   c.cancelMFADevice,
		"POST " + credentialsPath + "/mfa/remove":   c.removeMFADevice,
		"POST " + credentialsPath + "/certs/upload": c.uploadCertificate,
		"POST " + credentialsPath + "/certs/status": c.updateCertificate,
		"POST " + credentialsPath + "/certs/delete": c.deleteCertificate,
	} {
		c.page(pattern, forUser(h))
	}
}

// forUser runs h for an IAM user; a switched-to role has no security
// credentials of its own to manage, as in the AWS console.
func forUser(h pageHandler) pageHandler {
	return func(p *page) error {
		if p.userName() == "" {
			p.w.WriteHeader(http.StatusBadRequest)
			p.renderStatus("error", &errorView{Message: p.T.Get("creds.notuser")})
			return nil
		}
		return h(p)
	}
}

// credentialsView is what the page shows; a section whose listing was
// refused shows the AWS error instead.
type credentialsView struct {
	UserName string
	Password *changeForm

	Keys      []accessKeyRow
	KeysError *errorView
	NewKey    *newAccessKey

	MFA        []mfaRow
	MFAError   *errorView
	PendingMFA *pendingMFAView
	DeviceName string

	Certs      []types.SigningCertificate
	CertsError *errorView

	// Failed is the section ("keys", "mfa", "certs") a POST failed in, and
	// how.
	Failed      string
	FailedError *errorView
}

type accessKeyRow struct {
	ID, Status, Created, LastUsed string
	Active                        bool
}

type mfaRow struct{ Serial, Enabled string }

// newAccessKey is an access key just created: the page shows its secret
// once, and its CSV can be downloaded until the user leaves the page.
type newAccessKey struct {
	ID, Secret, UserName string
	shown                bool
}

// pendingMFA is a virtual MFA device created for the user and not yet
// enabled, with what its QR code and secret show.
type pendingMFA struct {
	Serial, Seed string
	QRPNG        []byte
}

type pendingMFAView struct {
	Serial, Seed string
	QR           template.URL
}

func (c *Console) credentials(p *page) error { return c.renderCredentials(p, "", nil, nil) }

// renderCredentials shows the page, with failed (an AWS error) in the
// section it came from, or with password, the password form as a failed
// change left it.
func (c *Console) renderCredentials(p *page, section string, failed *errorView, password *changeForm) error {
	p.path = credentialsPath
	v := &credentialsView{UserName: p.userName(), Failed: section, FailedError: failed, Password: password}
	if password == nil {
		v.Password = &changeForm{Action: credentialsPath + "/password"}
	}
	var err error
	if v.Keys, v.KeysError, err = c.accessKeyRows(p); err != nil {
		return err
	}
	if v.MFA, v.MFAError, err = c.mfaRows(p); err != nil {
		return err
	}
	if v.Certs, v.CertsError, err = c.certificates(p); err != nil {
		return err
	}
	v.NewKey = p.s.newKeyToShow()
	if m := p.s.pending(); m != nil {
		v.PendingMFA = &pendingMFAView{Serial: m.Serial, Seed: m.Seed, QR: pngDataURL(m.QRPNG)}
	}
	v.DeviceName = v.UserName
	switch {
	case failed != nil:
		p.w.WriteHeader(failedStatus(failed))
	case password != nil:
		p.w.WriteHeader(http.StatusBadRequest)
	}
	return p.render("credentials", v)
}

// userName is the name of the IAM user the page acts as (the last part of
// its ARN), "" for other principals.
func (p *page) userName() string {
	arn := wire.CallerFrom(p.ctx).ARN
	if !strings.Contains(arn, ":user/") {
		return ""
	}
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

func (c *Console) accessKeyRows(p *page) ([]accessKeyRow, *errorView, error) {
	out, err := c.emu.ListAccessKeys(p.ctx, &iam.ListAccessKeysInput{})
	if err != nil {
		ev, err := asAWSError(err)
		return nil, ev, err
	}
	rows := make([]accessKeyRow, 0, len(out.AccessKeyMetadata))
	for _, k := range out.AccessKeyMetadata {
		row := accessKeyRow{ID: aws.ToString(k.AccessKeyId), Status: string(k.Status), Active: k.Status == types.StatusTypeActive,
			Created: formatTime(k.CreateDate), LastUsed: "—"}
		if used, err := c.emu.GetAccessKeyLastUsed(p.ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}); err == nil && used.AccessKeyLastUsed != nil && used.AccessKeyLastUsed.LastUsedDate != nil {
			row.LastUsed = formatTime(used.AccessKeyLastUsed.LastUsedDate) + " (" + aws.ToString(used.AccessKeyLastUsed.ServiceName) + ", " + aws.ToString(used.AccessKeyLastUsed.Region) + ")"
		}
		rows = append(rows, row)
	}
	return rows, nil, nil
}

func (c *Console) mfaRows(p *page) ([]mfaRow, *errorView, error) {
	out, err := c.emu.ListMFADevices(p.ctx, &iam.ListMFADevicesInput{})
	if err != nil {
		ev, err := asAWSError(err)
		return nil, ev, err
	}
	rows := make([]mfaRow, 0, len(out.MFADevices))
	for _, d := range out.MFADevices {
		rows = append(rows, mfaRow{Serial: aws.ToString(d.SerialNumber), Enabled: formatTime(d.EnableDate)})
	}
	return rows, nil, nil
}

func (c *Console) certificates(p *page) ([]types.SigningCertificate, *errorView, error) {
	out, err := c.emu.ListSigningCertificates(p.ctx, &iam.ListSigningCertificatesInput{})
	if err != nil {
		ev, err := asAWSError(err)
		return nil, ev, err
	}
	return out.Certificates, nil, nil
}

func formatTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// failedStatus is the HTTP status of a page showing an AWS error.
func failedStatus(ev *errorView) int {
	if ev.Status != 0 {
		return ev.Status
	}
	return http.StatusBadRequest
}

// done finishes a POST of the page: back to the page with a notice, or
// the page again with the AWS error in section.
func (c *Console) done(p *page, section string, err error, notice string) error {
	if err != nil {
		ev, err := asAWSError(err)
		if err != nil {
			return err
		}
		return c.renderCredentials(p, section, ev, nil)
	}
	p.flash(notice)
	p.redirect(credentialsPath + "#" + section)
	return nil
}

func (c *Console) credentialsPassword(p *page) error {
	form := &changeForm{Action: credentialsPath + "/password"}
	if err := c.changePassword(p, wire.CallerFrom(p.ctx), form); err != nil {
		return err
	}
	if form.Error != "" || form.AWS != nil {
		return c.renderCredentials(p, "password", nil, form)
	}
	p.flash("change.done")
	p.redirect(credentialsPath)
	return nil
}

// Access keys.

func (c *Console) createAccessKey(p *page) error {
	out, err := c.emu.CreateAccessKey(p.ctx, &iam.CreateAccessKeyInput{})
	if err == nil {
		p.s.setNewKey(&newAccessKey{ID: aws.ToString(out.AccessKey.AccessKeyId), Secret: aws.ToString(out.AccessKey.SecretAccessKey),
			UserName: aws.ToString(out.AccessKey.UserName)})
	}
	return c.done(p, "keys", err, "keys.made")
}

// statusOf reads a status field: Active or Inactive, nothing else.
func statusOf(p *page) (types.StatusType, bool) {
	switch s := types.StatusType(p.r.PostFormValue("status")); s {
	case types.StatusTypeActive, types.StatusTypeInactive:
		return s, true
	}
	return "", false
}

func (c *Console) updateAccessKey(p *page) error {
	status, ok := statusOf(p)
	if !ok {
		return badForm(p)
	}
	_, err := c.emu.UpdateAccessKey(p.ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(p.r.PostFormValue("id")), Status: status})
	return c.done(p, "keys", err, "keys.updated")
}

func (c *Console) deleteAccessKey(p *page) error {
	_, err := c.emu.DeleteAccessKey(p.ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(p.r.PostFormValue("id"))})
	return c.done(p, "keys", err, "keys.deleted")
}

func (c *Console) newKeySeen(p *page) error {
	p.s.setNewKey(nil)
	p.redirect(credentialsPath + "#keys")
	return nil
}

// csvBOM starts the CSV as the AWS console's download does (UTF-8 with a
// byte order mark, CRLF lines: aws/aws-cli#7721).
const csvBOM = "\ufeff"

// newKeyCSV downloads the access key just created as the AWS console
// does: <user>_accessKeys.csv with the header "Access key ID,Secret access
// key" (the console dropped its "User name" column in 2023:
// aws/aws-cli#7753). The URL carries no secret: the key is the session's.
func (c *Console) newKeyCSV(p *page) error {
	k := p.s.newKeyForDownload()
	if k == nil {
		http.NotFound(p.w, p.r)
		return nil
	}
	h := p.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+k.UserName+`_accessKeys.csv"`)
	_, err := p.w.Write([]byte(csvBOM + "Access key ID,Secret access key\r\n" + k.ID + "," + k.Secret + "\r\n"))
	return err
}

// MFA.

func (c *Console) createMFADevice(p *page) error {
	name := strings.TrimSpace(p.r.PostFormValue("name"))
	if name == "" {
		name = p.userName()
	}
	out, err := c.emu.CreateVirtualMFADevice(p.ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err == nil {
		d := out.VirtualMFADevice
		p.s.setPending(&pendingMFA{Serial: aws.ToString(d.SerialNumber), Seed: string(d.Base32StringSeed), QRPNG: d.QRCodePNG})
	}
	return c.done(p, "mfa", err, "mfa.created")
}

func (c *Console) enableMFADevice(p *page) error {
	m := p.s.pending()
	if m == nil {
		p.redirect(credentialsPath + "#mfa")
		return nil
	}
	_, err := c.emu.EnableMFADevice(p.ctx, &iam.EnableMFADeviceInput{UserName: aws.String(p.userName()), SerialNumber: aws.String(m.Serial),
		AuthenticationCode1: aws.String(p.r.PostFormValue("code1")), AuthenticationCode2: aws.String(p.r.PostFormValue("code2"))})
	if err == nil {
		p.s.setPending(nil)
	}
	return c.done(p, "mfa", err, "mfa.enabled.done")
}

func (c *Console) cancelMFADevice(p *page) error {
	m := p.s.pending()
	if m == nil {
		p.redirect(credentialsPath + "#mfa")
		return nil
	}
	_, err := c.emu.DeleteVirtualMFADevice(p.ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(m.Serial)})
	if err == nil || isCode(err, "NoSuchEntity") {
		p.s.setPending(nil)
		err = nil
	}
	return c.done(p, "mfa", err, "mfa.cancelled")
}

// removeMFADevice deactivates the device and, being virtual, deletes it,
// as the console's Remove does.
func (c *Console) removeMFADevice(p *page) error {
	serial := aws.String(p.r.PostFormValue("serial"))
	_, err := c.emu.DeactivateMFADevice(p.ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(p.userName()), SerialNumber: serial})
	if err == nil {
		_, err = c.emu.DeleteVirtualMFADevice(p.ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: serial})
	}
	return c.done(p, "mfa", err, "mfa.removed")
}

// Signing certificates.

func (c *Console) uploadCertificate(p *page) error {
	_, err := c.emu.UploadSigningCertificate(p.ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(p.r.PostFormValue("body"))})
	return c.done(p, "certs", err, "certs.uploaded.done")
}

func (c *Console) updateCertificate(p *page) error {
	status, ok := statusOf(p)
	if !ok {
		return badForm(p)
	}
	_, err := c.emu.UpdateSigningCertificate(p.ctx, &iam.UpdateSigningCertificateInput{CertificateId: aws.String(p.r.PostFormValue("id")), Status: status})
	return c.done(p, "certs", err, "certs.updated")
}

func (c *Console) deleteCertificate(p *page) error {
	_, err := c.emu.DeleteSigningCertificate(p.ctx, &iam.DeleteSigningCertificateInput{CertificateId: aws.String(p.r.PostFormValue("id"))})
	return c.done(p, "certs", err, "certs.deleted")
}

func isCode(err error, code string) bool {
	var we *wire.Error
	return errors.As(err, &we) && we.Code == code
}

// badForm answers a form this console would not have sent.
func badForm(p *page) error {
	p.w.WriteHeader(http.StatusBadRequest)
	p.renderStatus("error", &errorView{Message: p.T.Get("error.form")})
	return nil
}

func pngDataURL(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}
