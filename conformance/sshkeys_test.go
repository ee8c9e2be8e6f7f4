package conformance

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// rsaKeys extend rsaKey into a pool of RSA 2048 keys shared by the run, for
// tests that need several different keys.
var rsaKeys struct {
	sync.Mutex
	keys []*rsa.PrivateKey
}

// rsaKeyN is the i-th key of the pool; the first is rsaKey.
func rsaKeyN(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	if i == 0 {
		return rsaKey()
	}
	rsaKeys.Lock()
	defer rsaKeys.Unlock()
	for len(rsaKeys.keys) < i {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatalf("rsa.GenerateKey: %v", err)
		}
		rsaKeys.keys = append(rsaKeys.keys, k)
	}
	return rsaKeys.keys[i-1]
}

var sshKeyIDShape = regexp.MustCompile(`^APKA[A-Z2-7]{17}$`)

const noSSHKeyID = "APKAXXXXXXXXXXXXXXXXX"

// sshWire is key in the SSH wire form (RFC 4253 6.6), written here
// independently of the server's code.
func sshWire(key *rsa.PublicKey) []byte {
	var b []byte
	for _, p := range [][]byte{[]byte("ssh-rsa"), mpint(big.NewInt(int64(key.E))), mpint(key.N)} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}

func mpint(x *big.Int) []byte {
	raw := x.Bytes()
	if raw[0]&0x80 != 0 {
		return append([]byte{0}, raw...)
	}
	return raw
}

func sshAuthorizedKey(key *rsa.PublicKey) string {
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(sshWire(key)) + " someone@example"
}

func pkixPEM(t testing.TB, key *rsa.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatalf("MarshalPKIXPublicKey: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// md5Fingerprint is what `ssh-keygen -l -E md5` prints, without its MD5:
// prefix.
func md5Fingerprint(key *rsa.PublicKey) string {
	sum := md5.Sum(sshWire(key))
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

func (tg *target) uploadSSHKey(t testing.TB, user, body string) *types.SSHPublicKey {
	t.Helper()
	out, err := tg.iam().UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: &user, SSHPublicKeyBody: &body})
	if err != nil {
		t.Fatalf("UploadSSHPublicKey: %v", err)
	}
	return out.SSHPublicKey
}

func (tg *target) getSSHKey(t testing.TB, user, id string, enc types.EncodingType) *types.SSHPublicKey {
	t.Helper()
	out, err := tg.iam().GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: &user, SSHPublicKeyId: &id, Encoding: enc})
	if err != nil {
		t.Fatalf("GetSSHPublicKey %s: %v", enc, err)
	}
	return out.SSHPublicKey
}

func TestSSHPublicKeyLifecycle(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "coder")
	pub := &rsaKeyN(t, 0).PublicKey
	body := sshAuthorizedKey(pub)

	k := tg.uploadSSHKey(t, "coder", body)
	id := aws.ToString(k.SSHPublicKeyId)
	if !sshKeyIDShape.MatchString(id) {
		t.Errorf("SSHPublicKeyId=%q, want APKA + 17 base32 characters", id)
	}
	if got, want := aws.ToString(k.Fingerprint), md5Fingerprint(pub); got != want {
		t.Errorf("Fingerprint=%q, want %q", got, want)
	}
	if got, want := aws.ToString(k.SSHPublicKeyBody), body; got != want {
		t.Errorf("SSHPublicKeyBody=%q, want the uploaded body", got)
	}
	if got, want := k.Status, types.StatusTypeActive; got != want {
		t.Errorf("Status=%q, want %q", got, want)
	}
	if got, want := aws.ToString(k.UserName), "coder"; got != want {
		t.Errorf("UserName=%q, want %q", got, want)
	}

	if got, want := aws.ToString(tg.getSSHKey(t, "coder", id, types.EncodingTypeSsh).SSHPublicKeyBody), body; got != want {
		t.Errorf("GetSSHPublicKey SSH body=%q, want %q", got, want)
	}
	if got, want := aws.ToString(tg.getSSHKey(t, "coder", id, types.EncodingTypePem).SSHPublicKeyBody), pkixPEM(t, pub); got != want {
		t.Errorf("GetSSHPublicKey PEM body=%q, want %q", got, want)
	}

	must[*iam.UpdateSSHPublicKeyOutput](t)(c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("coder"), SSHPublicKeyId: &id, Status: types.StatusTypeInactive}))
	if got, want := tg.getSSHKey(t, "coder", id, types.EncodingTypeSsh).Status, types.StatusTypeInactive; got != want {
		t.Errorf("Status after update=%q, want %q", got, want)
	}
	list := must[*iam.ListSSHPublicKeysOutput](t)(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("coder")}))
	if len(list.SSHPublicKeys) != 1 || aws.ToString(list.SSHPublicKeys[0].SSHPublicKeyId) != id || list.SSHPublicKeys[0].Status != types.StatusTypeInactive {
		t.Fatalf("ListSSHPublicKeys=%+v, want %s Inactive", list.SSHPublicKeys, id)
	}

	must[*iam.DeleteSSHPublicKeyOutput](t)(c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("coder"), SSHPublicKeyId: &id}))
	list = must[*iam.ListSSHPublicKeysOutput](t)(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("coder")}))
	if len(list.SSHPublicKeys) != 0 {
		t.Fatalf("ListSSHPublicKeys after delete=%+v, want none", list.SSHPublicKeys)
	}
}

func TestSSHPublicKeyPEM(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "coder")
	pub := &rsaKeyN(t, 1).PublicKey
	for name, body := range map[string]string{
		"PUBLIC KEY":     pkixPEM(t, pub),
		"RSA PUBLIC KEY": string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)})),
	} {
		t.Run(name, func(t *testing.T) {
			k := tg.uploadSSHKey(t, "coder", body)
			id := aws.ToString(k.SSHPublicKeyId)
			defer tg.iam().DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: aws.String("coder"), SSHPublicKeyId: &id})
			if got, want := aws.ToString(k.Fingerprint), md5Fingerprint(pub); got != want {
				t.Errorf("Fingerprint=%q, want %q (the same key as ssh-rsa)", got, want)
			}
			ssh := aws.ToString(tg.getSSHKey(t, "coder", id, types.EncodingTypeSsh).SSHPublicKeyBody)
			if got, want := ssh, "ssh-rsa "+base64.StdEncoding.EncodeToString(sshWire(pub)); got != want {
				t.Errorf("GetSSHPublicKey SSH body=%q, want %q", got, want)
			}
			if got, want := aws.ToString(tg.getSSHKey(t, "coder", id, types.EncodingTypePem).SSHPublicKeyBody), body; got != want {
				t.Errorf("GetSSHPublicKey PEM body=%q, want the uploaded body", got)
			}
		})
	}
}

func TestSSHPublicKeyErrors(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "coder")
	user := aws.String("coder")
	upload := func(body string) error {
		_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: user, SSHPublicKeyBody: &body})
		return err
	}
	const noSuchKey = "The Public Key with id " + noSSHKeyID + " cannot be found."

	t.Run("NoSuchEntity user", func(t *testing.T) {
		_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("nobody"), SSHPublicKeyBody: aws.String(sshAuthorizedKey(&rsaKeyN(t, 0).PublicKey))})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
		_, err = c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("nobody")})
		wantAPIError(t, err, "NoSuchEntity", 404, "The user with name nobody cannot be found.")
	})
	t.Run("NoSuchEntity key", func(t *testing.T) {
		_, err := c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: user, SSHPublicKeyId: aws.String(noSSHKeyID), Encoding: types.EncodingTypeSsh})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey)
		_, err = c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: user, SSHPublicKeyId: aws.String(noSSHKeyID), Status: types.StatusTypeInactive})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey)
		_, err = c.DeleteSSHPublicKey(ctx, &iam.DeleteSSHPublicKeyInput{UserName: user, SSHPublicKeyId: aws.String(noSSHKeyID)})
		wantAPIError(t, err, "NoSuchEntity", 404, noSuchKey)
	})
	t.Run("UnrecognizedPublicKeyEncoding", func(t *testing.T) {
		for _, body := range []string{
			"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGh0SGVsbG9Xb3JsZEhlbGxvV29ybGRIZWxsb1dv me@host",
			"not a key at all",
		} {
			wantAPIError(t, upload(body), "UnrecognizedPublicKeyEncoding", 400, "The public key encoding format is unsupported or unrecognized.")
		}
	})
	t.Run("InvalidPublicKey", func(t *testing.T) {
		wantAPIError(t, upload("ssh-rsa not-base64!"), "InvalidPublicKey", 400, "The public key is malformed or otherwise invalid.")
		short, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			t.Fatalf("rsa.GenerateKey: %v", err)
		}
		wantAPIError(t, upload(sshAuthorizedKey(&short.PublicKey)), "InvalidPublicKey", 400, "The public key has 1024 bits; the minimum is 2048.")
	})
	t.Run("DuplicateSSHPublicKey", func(t *testing.T) {
		pub := &rsaKeyN(t, 0).PublicKey
		tg.uploadSSHKey(t, "coder", sshAuthorizedKey(pub))
		wantAPIError(t, upload(pkixPEM(t, pub)), "DuplicateSSHPublicKey", 400, "The SSH public key is already associated with the specified IAM user.")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		tg.createUser(t, "other")
		id := tg.uploadSSHKey(t, "other", sshAuthorizedKey(&rsaKeyN(t, 0).PublicKey)).SSHPublicKeyId
		_, err := c.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: aws.String("other"), SSHPublicKeyId: id, Status: types.StatusTypeExpired})
		wantAPIError(t, err, "InvalidInput", 400, "Status Expired cannot be set; use Active or Inactive.")
		_, err = c.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: user, SSHPublicKeyId: id, Encoding: types.EncodingTypeSsh})
		wantAPIError(t, err, "NoSuchEntity", 404, "The Public Key with id "+aws.ToString(id)+" cannot be found.")
	})
	t.Run("LimitExceeded", func(t *testing.T) {
		tg.createUser(t, "keyring")
		for i := range 5 {
			tg.uploadSSHKey(t, "keyring", sshAuthorizedKey(&rsaKeyN(t, i).PublicKey))
		}
		_, err := c.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: aws.String("keyring"), SSHPublicKeyBody: aws.String(sshAuthorizedKey(&rsaKeyN(t, 5).PublicKey))})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for SSHPublicKeysPerUser: 5")
	})
}

func TestListSSHPublicKeysPaging(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.createUser(t, "coder")
	want := map[string]bool{}
	for i := range 3 {
		want[aws.ToString(tg.uploadSSHKey(t, "coder", sshAuthorizedKey(&rsaKeyN(t, i).PublicKey)).SSHPublicKeyId)] = true
	}
	got := map[string]bool{}
	var marker *string
	for pages := 1; ; pages++ {
		out := must[*iam.ListSSHPublicKeysOutput](t)(c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("coder"), MaxItems: aws.Int32(2), Marker: marker}))
		for _, k := range out.SSHPublicKeys {
			got[aws.ToString(k.SSHPublicKeyId)] = true
		}
		if !out.IsTruncated {
			if pages != 2 {
				t.Errorf("pages=%d, want 2", pages)
			}
			break
		}
		marker = out.Marker
	}
	if len(got) != len(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	_, err := c.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("coder"), Marker: aws.String("bogus")})
	wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
}
