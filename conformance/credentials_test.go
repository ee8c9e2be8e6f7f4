package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// A signing certificate, an SSH key and a service-specific credential each
// keep a user from being deleted, and each follows the user's rename.

const referencedObjects = "Cannot delete entity, must remove referenced objects first."

func TestDeleteUserWithCredentials(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	for name, hold := range map[string]func(t *testing.T, user string) func(){
		"signing certificate": func(t *testing.T, user string) func() {
			id := tg.uploadCert(t, &user, signingCert(t)).CertificateId
			return func() {
				must[*iam.DeleteSigningCertificateOutput](t)(c.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{UserName: &user, CertificateId: id}))
			}
		},
		"SSH public key": func(t *testing.T, user string) func() {
			id := tg.uploadSSHKey(t, user, sshAuthorizedKey(&rsaKeyN(t, 0).PublicKey)).SSHPublicKeyId
			return func() {
				must[*iam.DeleteSSHPublicKeyOutput](t)(c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: id}))
			}
		},
		"service-specific credential": func(t *testing.T, user string) func() {
			id := tg.createServiceCred(t, user, codecommit).ServiceSpecificCredentialId
			return func() {
				must[*iam.DeleteServiceSpecificCredentialOutput](t)(c.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: &user, ServiceSpecificCredentialId: id}))
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			user := "holder-" + name[:3]
			tg.createUser(t, user)
			remove := hold(t, user)
			_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: &user})
			wantAPIError(t, err, "DeleteConflict", 409, referencedObjects)
			remove()
			must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: &user}))
		})
	}
}

// Access keys and the login profile are refused first, with their own
// texts; the credentials of this issue come after them.
func TestDeleteUserConflictOrder(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "busy")
	user := aws.String("busy")
	tg.uploadCert(t, user, signingCert(t))
	keyID, _ := tg.createKey(t, "busy")
	_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	wantAPIError(t, err, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.")
	must[*iam.DeleteAccessKeyOutput](t)(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: user, AccessKeyId: &keyID}))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: user})
	wantAPIError(t, err, "DeleteConflict", 409, referencedObjects)
}

func TestRenameCarriesCredentials(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "before")
	certID := aws.ToString(tg.uploadCert(t, aws.String("before"), signingCert(t)).CertificateId)
	keyID := aws.ToString(tg.uploadSSHKey(t, "before", sshAuthorizedKey(&rsaKeyN(t, 0).PublicKey)).SSHPublicKeyId)
	credID := aws.ToString(tg.createServiceCred(t, "before", codecommit).ServiceSpecificCredentialId)

	must[*iam.UpdateUserOutput](t)(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("before"), NewUserName: aws.String("after")}))

	after := aws.String("after")
	if got := tg.certStatuses(t, after); got[certID] != types.StatusTypeActive {
		t.Errorf("certificates of the renamed user=%v, want %s", got, certID)
	}
	k := tg.getSSHKey(t, "after", keyID, types.EncodingTypeSsh)
	if got, want := aws.ToString(k.UserName), "after"; got != want {
		t.Errorf("SSH key UserName=%q, want %q", got, want)
	}
	creds := tg.listServiceCreds(t, &iam.ListServiceSpecificCredentialsInput{UserName: after})
	if len(creds) != 1 || aws.ToString(creds[0].ServiceSpecificCredentialId) != credID || aws.ToString(creds[0].UserName) != "after" {
		t.Errorf("service-specific credentials of the renamed user=%+v, want %s", creds, credID)
	}
	tg.createUser(t, "before")
	if got := tg.certStatuses(t, aws.String("before")); len(got) != 0 {
		t.Errorf("a new user with the old name holds certificates %v", got)
	}
}
