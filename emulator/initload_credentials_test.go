package emulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
)

// testRSAKey is one 2048-bit key for the tests' signing certificates and
// SSH keys: making one takes a while.
var testRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// testCertificate is a PEM certificate of key, valid from an hour before
// now for a year, signed by parent (itself when nil).
func testCertificate(t testing.TB, cn string, key crypto.Signer, now time.Time, parent *x509.Certificate, parentKey crypto.Signer) (string, *x509.Certificate) {
	t.Helper()
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(365 * 24 * time.Hour),
		BasicConstraintsValid: true, IsCA: parent == nil, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), cert
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pemKey(t testing.TB, k crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func testSSHKey() string {
	return "ssh-rsa " + base64.StdEncoding.EncodeToString(sshBlob(&testRSAKey().PublicKey)) + " someone@example"
}

// buildCredentialState adds to buildRichState what the credential
// families carry: SAML providers, a server certificate with its chain,
// service-linked roles, the root user's own key and certificate, and a
// user's signing certificate, SSH key and service-specific credentials.
func buildCredentialState(t testing.TB, e *Emulator, later func(), tags []types.Tag) {
	t.Helper()
	ctx := e.rootCtx()
	now := e.clock.Now()
	k, err := e.issuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	metadata := k.samlMetadata("https://idp.example.com/sso")
	must(e.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("Corp"), SAMLMetadataDocument: aws.String(metadata), Tags: tags}))(t)
	saml := must(e.CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{Name: aws.String("partner"), SAMLMetadataDocument: aws.String(metadata),
		AssertionEncryptionMode: types.AssertionEncryptionModeTypeRequired}))(t)
	later()
	must(e.UpdateSAMLProvider(ctx, &iam.UpdateSAMLProviderInput{SAMLProviderArn: saml.SAMLProviderArn, SAMLMetadataDocument: aws.String(metadata)}))(t)

	caKey, leafKey := ecKey(t), ecKey(t)
	caPEM, ca := testCertificate(t, "Test CA", caKey, now, nil, nil)
	leafPEM, _ := testCertificate(t, "www.example.com", leafKey, now, ca, caKey)
	must(e.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("www"), Path: aws.String("/cloudfront/"),
		CertificateBody: aws.String(leafPEM), CertificateChain: aws.String(caPEM), PrivateKey: aws.String(pemKey(t, leafKey)), Tags: tags[:1]}))(t)
	later()
	must(e.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("ca"),
		CertificateBody: aws.String(caPEM), PrivateKey: aws.String(pemKey(t, caKey))}))(t)

	must(e.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("ecs.amazonaws.com")}))(t)
	later()
	must(e.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("autoscaling.amazonaws.com"),
		CustomSuffix: aws.String("web"), Description: aws.String("web fleet")}))(t)
	must(e.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("AWSServiceRoleForAutoScaling_web"), MaxSessionDuration: aws.Int32(7200)}))(t)
	must(e.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("AWSServiceRoleForAutoScaling_web"), Tags: tags}))(t)

	rootKey := must(e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t)
	must(e.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: rootKey.AccessKey.AccessKeyId, Status: types.StatusTypeInactive}))(t)
	rootCert, _ := testCertificate(t, "root", testRSAKey(), now, nil, nil)
	must(e.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{CertificateBody: aws.String(rootCert)}))(t)
	later()

	alice := aws.String("alice")
	aliceCert, _ := testCertificate(t, "alice", testRSAKey(), now, nil, nil)
	cert := must(e.UploadSigningCertificate(ctx, &iam.UploadSigningCertificateInput{UserName: alice, CertificateBody: aws.String(aliceCert)}))(t)
	must(e.UpdateSigningCertificate(ctx, &iam.UpdateSigningCertificateInput{UserName: alice, CertificateId: cert.Certificate.CertificateId, Status: types.StatusTypeInactive}))(t)
	ssh := must(e.UploadSSHPublicKey(ctx, &iam.UploadSSHPublicKeyInput{UserName: alice, SSHPublicKeyBody: aws.String(testSSHKey())}))(t)
	must(e.UpdateSSHPublicKey(ctx, &iam.UpdateSSHPublicKeyInput{UserName: alice, SSHPublicKeyId: ssh.SSHPublicKey.SSHPublicKeyId, Status: types.StatusTypeInactive}))(t)
	later()
	git := must(e.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: alice, ServiceName: aws.String("codecommit.amazonaws.com")}))(t)
	must(e.UpdateServiceSpecificCredential(ctx, &iam.UpdateServiceSpecificCredentialInput{UserName: alice, ServiceSpecificCredentialId: git.ServiceSpecificCredential.ServiceSpecificCredentialId, Status: types.StatusTypeInactive}))(t)
	must(e.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("Bob"), ServiceName: aws.String("bedrock.amazonaws.com"), CredentialAgeDays: aws.Int32(30)}))(t)
	// A renamed user keeps the service user name its credential was made with.
	must(e.UpdateUser(ctx, &iam.UpdateUserInput{UserName: alice, NewUserName: aws.String("alice2")}))(t)
	must(e.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("alice2"), NewUserName: alice}))(t)
	must(e.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("carol"), ServiceName: aws.String("cassandra.amazonaws.com")}))(t)
	must(e.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("carol"), NewUserName: aws.String("Carol")}))(t)
}

// snapshotCredentials adds the credential families' List and Get answers
// to a snapshot, and the digests of the service credentials' secrets.
func snapshotCredentials(t testing.TB, e *Emulator, users []types.User, put func(string, any, error)) {
	t.Helper()
	ctx := e.rootCtx()
	saml, err := e.ListSAMLProviders(ctx, &iam.ListSAMLProvidersInput{})
	put("ListSAMLProviders", saml, err)
	for _, p := range saml.SAMLProviderList {
		v, err := e.GetSAMLProvider(ctx, &iam.GetSAMLProviderInput{SAMLProviderArn: p.Arn})
		put("GetSAMLProvider "+*p.Arn, v, err)
		v2, err := e.ListSAMLProviderTags(ctx, &iam.ListSAMLProviderTagsInput{SAMLProviderArn: p.Arn})
		put("ListSAMLProviderTags "+*p.Arn, v2, err)
	}
	certs, err := e.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{})
	put("ListServerCertificates", certs, err)
	for _, c := range certs.ServerCertificateMetadataList {
		v, err := e.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: c.ServerCertificateName})
		put("GetServerCertificate "+*c.ServerCertificateName, v, err)
		v2, err := e.ListServerCertificateTags(ctx, &iam.ListServerCertificateTagsInput{ServerCertificateName: c.ServerCertificateName})
		put("ListServerCertificateTags "+*c.ServerCertificateName, v2, err)
	}
	v1, err := e.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	put("ListAccessKeys of root", v1, err)
	v2, err := e.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})
	put("ListSigningCertificates of root", v2, err)
	v3, err := e.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{AllUsers: aws.Bool(true)})
	put("ListServiceSpecificCredentials of all users", v3, err)
	for _, u := range users {
		n := u.UserName
		v, err := e.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: n})
		put("ListSigningCertificates "+*n, v, err)
		v2, err := e.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: n})
		put("ListServiceSpecificCredentials "+*n, v2, err)
		keys, err := e.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: n})
		put("ListSSHPublicKeys "+*n, keys, err)
		for _, k := range keys.SSHPublicKeys {
			for _, enc := range []types.EncodingType{types.EncodingTypeSsh, types.EncodingTypePem} {
				v, err := e.GetSSHPublicKey(ctx, &iam.GetSSHPublicKeyInput{UserName: n, SSHPublicKeyId: k.SSHPublicKeyId, Encoding: enc})
				put("GetSSHPublicKey "+*k.SSHPublicKeyId+" "+string(enc), v, err)
			}
		}
	}
	err = e.db.View(func(tx *store.Tx) error {
		creds, err := tx.ServiceCredentials(DefaultAccount, "")
		for _, c := range creds {
			put("secret "+c.ID, base64.StdEncoding.EncodeToString(c.SecretHash), nil)
		}
		return err
	})
	put("service credential secrets", nil, err)
}

// TestImportServerCertificate: a server certificate an init file gives
// with its private key goes through UploadServerCertificate, which
// compares the key with the certificate; one without (as an export writes
// it) is checked as the API checks it, the key pair aside, at its upload
// date, and its name through the API.
func TestImportServerCertificate(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	caKey, key := ecKey(t), ecKey(t)
	caPEM, ca := testCertificate(t, "Test CA", caKey, now, nil, nil)
	body, _ := testCertificate(t, "www.example.com", key, now, ca, caKey)
	otherCA, _ := testCertificate(t, "Other CA", ecKey(t), now, nil, nil)
	cert := func(members string) string {
		return `{"accounts":[{"id":"123456789012","serverCertificates":[{"name":"www","body":` + jsonString(body) + `,` + members + `}]}]}`
	}
	inTwoYears := now.AddDate(2, 0, 0).Format(time.RFC3339)
	for name, c := range map[string]struct{ file, want string }{
		"KeyPairMismatch":   {cert(`"privateKey":` + jsonString(pemKey(t, ecKey(t)))), "accounts[0].serverCertificates[0]: KeyPairMismatch: "},
		"ExpiredWithoutKey": {cert(`"uploadDate":"` + inTwoYears + `"`), "accounts[0].serverCertificates[0]: MalformedCertificate: Certificate is no longer valid."},
		"ChainWithoutKey":   {cert(`"chain":` + jsonString(otherCA)), "accounts[0].serverCertificates[0]: MalformedCertificate: "},
		"NameWithoutKey":    {strings.Replace(cert(`"path":"/"`), `"www"`, `"bad name"`, 1), "accounts[0].serverCertificates[0]: ValidationError: "},
	} {
		t.Run(name, func(t *testing.T) {
			err := newTest(t).ApplyInit(parseInit(t, c.file))
			if got := errString(err); !strings.HasPrefix(got, c.want) {
				t.Fatalf("err=%q, want it to start %q", got, c.want)
			}
		})
	}
	for name, members := range map[string]string{
		"WithKey":    `"chain":` + jsonString(caPEM) + `,"privateKey":` + jsonString(pemKey(t, key)),
		"WithoutKey": `"chain":` + jsonString(caPEM) + `,"id":"ASCAAAAAAAAAAAAAAAAAA"`,
	} {
		t.Run(name, func(t *testing.T) {
			e := newTest(t)
			if err := e.ApplyInit(parseInit(t, cert(members))); err != nil {
				t.Fatal(err)
			}
			got, err := e.GetServerCertificate(e.rootCtx(), &iam.GetServerCertificateInput{ServerCertificateName: aws.String("www")})
			if err != nil {
				t.Fatal(err)
			}
			sc := got.ServerCertificate
			if got, want := *sc.CertificateBody+*sc.CertificateChain, body+caPEM; got != want {
				t.Fatalf("body and chain=%q, want %q", got, want)
			}
			if got, want := *sc.ServerCertificateMetadata.Expiration, now.Add(365*24*time.Hour); !got.Equal(want) {
				t.Fatalf("expiration=%v, want %v", got, want)
			}
			if id := *sc.ServerCertificateMetadata.ServerCertificateId; strings.Contains(members, `"id"`) && id != "ASCAAAAAAAAAAAAAAAAAA" {
				t.Fatalf("id=%s, want the file's ASCAAAAAAAAAAAAAAAAAA", id)
			}
		})
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
