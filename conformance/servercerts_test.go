package conformance

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	certUnparsable = "Unable to parse certificate. Please ensure the certificate is in PEM format."
	certExpired    = "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed."
	keyUnparsable  = "Unable to parse private key. Please ensure the private key is in PEM format."
	keyMismatch    = "The request was rejected because the public key certificate and the private key do not match."
	chainInvalid   = "Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: "
)

func noSuchServerCert(name string) string {
	return "The Server Certificate with name " + name + " cannot be found."
}

// pemCert is a generated certificate and its key, PEM-encoded as
// openssl writes them.
type pemCert struct {
	body, key string
	notAfter  time.Time
	cert      *x509.Certificate
	signer    crypto.Signer
}

// newCert makes a certificate for signer valid from notBefore to notAfter,
// signed by parent (self-signed when parent is nil).
func newCert(t testing.TB, signer crypto.Signer, notBefore, notAfter time.Time, ca bool, parent *pemCert) *pemCert {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "iamlocal.test"},
		NotBefore:    notBefore.Truncate(time.Second),
		NotAfter:     notAfter.Truncate(time.Second),
		IsCA:         ca, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	issuer, issuerKey := tmpl, signer
	if parent != nil {
		issuer, issuerKey = parent.cert, parent.signer
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, signer.Public(), issuerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &pemCert{body: pemBlock("CERTIFICATE", der), key: pemKey(t, signer), notAfter: cert.NotAfter, cert: cert, signer: signer}
}

func pemBlock(kind string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}))
}

// pemKey writes RSA keys as PKCS#1 and EC keys as SEC 1, openssl's
// traditional forms.
func pemKey(t testing.TB, signer crypto.Signer) string {
	t.Helper()
	switch k := signer.(type) {
	case *rsa.PrivateKey:
		return pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pemBlock("EC PRIVATE KEY", der)
	}
	t.Fatalf("unexpected key %T", signer)
	return ""
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rsaKey is one RSA 2048 key for the whole run: generating one is slow.
var rsaKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// validCert is a self-signed ECDSA P-256 certificate valid for a day.
func validCert(t testing.TB) *pemCert {
	now := time.Now()
	return newCert(t, ecKey(t), now.Add(-time.Hour), now.Add(24*time.Hour), false, nil)
}

func (tg *target) upload(t testing.TB, name string, pc *pemCert, path string) *types.ServerCertificateMetadata {
	t.Helper()
	in := &iam.UploadServerCertificateInput{ServerCertificateName: aws.String(name), CertificateBody: aws.String(pc.body), PrivateKey: aws.String(pc.key)}
	if path != "" {
		in.Path = aws.String(path)
	}
	out, err := tg.iam().UploadServerCertificate(ctx, in)
	if err != nil {
		t.Fatalf("UploadServerCertificate %s: %v", name, err)
	}
	return out.ServerCertificateMetadata
}

// TestJourneyServerCertificates uploads an RSA 2048 and an ECDSA P-256
// certificate (the second with its chain and tags), reads, lists, renames
// and deletes them, and sees GetAccountSummary count them.
func TestJourneyServerCertificates(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	now := time.Now()
	rsaCert := newCert(t, rsaKey(), now.Add(-time.Hour), now.Add(90*24*time.Hour), false, nil)

	// aws iam upload-server-certificate --server-certificate-name web --certificate-body file://cert.pem --private-key file://key.pem
	before := tg.serverNow(t).Truncate(time.Second)
	web := tg.upload(t, "web", rsaCert, "")
	if got, want := aws.ToString(web.Arn), "arn:aws:iam::"+account+":server-certificate/web"; got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if id := aws.ToString(web.ServerCertificateId); len(id) != 21 || !strings.HasPrefix(id, "ASCA") {
		t.Errorf("ServerCertificateId=%q, want ASCA and 17 more characters", id)
	}
	if got, want := aws.ToString(web.Path), "/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	if !web.Expiration.Equal(rsaCert.notAfter) {
		t.Errorf("Expiration=%v, want the certificate's NotAfter %v", web.Expiration, rsaCert.notAfter)
	}
	if web.UploadDate.Before(before) || web.UploadDate.Nanosecond() != 0 {
		t.Errorf("UploadDate=%v, want whole seconds of the server clock, not before %v", web.UploadDate, before)
	}

	ca := newCert(t, ecKey(t), now.Add(-time.Hour), now.Add(48*time.Hour), true, nil)
	leaf := newCert(t, ecKey(t), now.Add(-time.Hour), now.Add(24*time.Hour), false, ca)
	tags := []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(leaf.signer)
	if err != nil {
		t.Fatal(err)
	}
	api := must[*iam.UploadServerCertificateOutput](t)(c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{
		ServerCertificateName: aws.String("api"), Path: aws.String("/cloudfront/test/"), CertificateBody: aws.String(leaf.body),
		PrivateKey: aws.String(pemBlock("PRIVATE KEY", pkcs8)), CertificateChain: aws.String(ca.body), Tags: tags}))
	if len(api.Tags) != 1 || aws.ToString(api.Tags[0].Key) != "env" {
		t.Errorf("upload Tags=%+v, want env=dev", api.Tags)
	}

	// aws iam get-server-certificate --server-certificate-name web
	got := must[*iam.GetServerCertificateOutput](t)(c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("WEB")})).ServerCertificate
	if aws.ToString(got.CertificateBody) != rsaCert.body || got.CertificateChain != nil || got.Tags == nil || len(got.Tags) != 0 {
		t.Errorf("GetServerCertificate web: body %t, chain %v, tags %v; want the body, no chain, an empty tag list",
			aws.ToString(got.CertificateBody) == rsaCert.body, got.CertificateChain, got.Tags)
	}
	got = must[*iam.GetServerCertificateOutput](t)(c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("api")})).ServerCertificate
	if aws.ToString(got.CertificateChain) != ca.body || len(got.Tags) != 1 || aws.ToString(got.ServerCertificateMetadata.Arn) != "arn:aws:iam::"+account+":server-certificate/cloudfront/test/api" {
		t.Errorf("GetServerCertificate api=%+v, want the chain, the tag and the path in the ARN", got)
	}

	// aws iam list-server-certificates [--path-prefix /cloudfront]
	all := must[*iam.ListServerCertificatesOutput](t)(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{}))
	if len(all.ServerCertificateMetadataList) != 2 || all.IsTruncated || all.Marker != nil {
		t.Errorf("ListServerCertificates=%d items (truncated %t), want 2 on one page", len(all.ServerCertificateMetadataList), all.IsTruncated)
	}
	cf := must[*iam.ListServerCertificatesOutput](t)(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{PathPrefix: aws.String("/cloud")}))
	if len(cf.ServerCertificateMetadataList) != 1 || aws.ToString(cf.ServerCertificateMetadataList[0].ServerCertificateName) != "api" {
		t.Errorf("PathPrefix /cloud=%+v, want api only", cf.ServerCertificateMetadataList)
	}
	first := must[*iam.ListServerCertificatesOutput](t)(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{MaxItems: aws.Int32(1)}))
	if len(first.ServerCertificateMetadataList) != 1 || !first.IsTruncated || first.Marker == nil {
		t.Fatalf("MaxItems 1: %d items, truncated %t, marker %v; want 1 item and a marker", len(first.ServerCertificateMetadataList), first.IsTruncated, first.Marker)
	}
	second := must[*iam.ListServerCertificatesOutput](t)(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{Marker: first.Marker}))
	if names := []string{aws.ToString(first.ServerCertificateMetadataList[0].ServerCertificateName), aws.ToString(second.ServerCertificateMetadataList[0].ServerCertificateName)}; names[0] != "api" || names[1] != "web" || second.IsTruncated {
		t.Errorf("pages=%v (last truncated %t), want [api web]", names, second.IsTruncated)
	}

	// aws iam update-server-certificate --server-certificate-name web --new-server-certificate-name site --new-path /prod/
	must[*iam.UpdateServerCertificateOutput](t)(c.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{
		ServerCertificateName: aws.String("web"), NewServerCertificateName: aws.String("site"), NewPath: aws.String("/prod/")}))
	_, err = c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("web")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchServerCert("web"))
	site := must[*iam.GetServerCertificateOutput](t)(c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("site")})).ServerCertificate.ServerCertificateMetadata
	if aws.ToString(site.ServerCertificateId) != aws.ToString(web.ServerCertificateId) || aws.ToString(site.Arn) != "arn:aws:iam::"+account+":server-certificate/prod/site" {
		t.Errorf("renamed: id %s arn %s, want id %s under /prod/site", aws.ToString(site.ServerCertificateId), aws.ToString(site.Arn), aws.ToString(web.ServerCertificateId))
	}

	summary := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if got, want := summary["ServerCertificates"], int32(2); got != want {
		t.Errorf("ServerCertificates=%d, want %d", got, want)
	}
	if got, want := summary["ServerCertificatesQuota"], int32(20); got != want {
		t.Errorf("ServerCertificatesQuota=%d, want %d", got, want)
	}

	// aws iam delete-server-certificate --server-certificate-name site
	must[*iam.DeleteServerCertificateOutput](t)(c.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: aws.String("site")}))
	_, err = c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: aws.String("site")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchServerCert("site"))
	summary = must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if got, want := summary["ServerCertificates"], int32(1); got != want {
		t.Errorf("ServerCertificates after delete=%d, want %d", got, want)
	}
}

// TestUploadServerCertificateRefusals: what UploadServerCertificate checks
// in the certificate, the key and the chain.
func TestUploadServerCertificateRefusals(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	now := time.Now()
	good := validCert(t)
	ca := newCert(t, ecKey(t), now.Add(-time.Hour), now.Add(48*time.Hour), true, nil)
	leaf := newCert(t, ecKey(t), now.Add(-time.Hour), now.Add(24*time.Hour), false, ca)
	other := validCert(t)
	expired := newCert(t, ecKey(t), now.Add(-48*time.Hour), now.Add(-24*time.Hour), false, nil)
	future := newCert(t, ecKey(t), now.Add(24*time.Hour), now.Add(48*time.Hour), false, nil)
	cases := []struct {
		name, body, key, chain string
		code, message          string
	}{
		{"MalformedCertificate not PEM", "not a certificate", good.key, "", "MalformedCertificate", certUnparsable},
		{"MalformedCertificate a key as the body", good.key, good.key, "", "MalformedCertificate", certUnparsable},
		{"MalformedCertificate expired", expired.body, expired.key, "", "MalformedCertificate", certExpired},
		{"MalformedCertificate not valid yet", future.body, future.key, "", "MalformedCertificate", certUnparsable},
		{"MalformedCertificate private key not PEM", good.body, "not a key", "", "MalformedCertificate", keyUnparsable},
		{"MalformedCertificate encrypted private key", good.body, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "", "MalformedCertificate", keyUnparsable},
		{"KeyPairMismatch ECDSA", good.body, other.key, "", "KeyPairMismatch", keyMismatch},
		{"KeyPairMismatch RSA key for an ECDSA certificate", good.body, pemKey(t, rsaKey()), "", "KeyPairMismatch", keyMismatch},
		{"MalformedCertificate chain that did not sign the body", leaf.body, leaf.key, other.body, "MalformedCertificate", chainInvalid + "-1"},
		{"MalformedCertificate chain in the wrong order", leaf.body, leaf.key, ca.body + other.body, "MalformedCertificate", chainInvalid + "0"},
		{"MalformedCertificate chain not PEM", leaf.body, leaf.key, "garbage", "MalformedCertificate", certUnparsable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("refused"), CertificateBody: aws.String(tc.body), PrivateKey: aws.String(tc.key)}
			if tc.chain != "" {
				in.CertificateChain = aws.String(tc.chain)
			}
			_, err := c.UploadServerCertificate(ctx, in)
			wantAPIError(t, err, tc.code, 400, tc.message)
		})
	}
	list := must[*iam.ListServerCertificatesOutput](t)(c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{}))
	if n := len(list.ServerCertificateMetadataList); n != 0 {
		t.Fatalf("%d certificates after refusals, want none", n)
	}

	t.Run("EntityAlreadyExists", func(t *testing.T) {
		tg.upload(t, "dup", good, "")
		_, err := c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("DUP"),
			CertificateBody: aws.String(good.body), PrivateKey: aws.String(good.key)})
		wantAPIError(t, err, "EntityAlreadyExists", 409, "The Server Certificate with name DUP already exists.")
	})
	t.Run("MalformedCertificate expired on the server clock", func(t *testing.T) {
		tg.advanceClock(t, 48*time.Hour)
		_, err := c.UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("late"),
			CertificateBody: aws.String(good.body), PrivateKey: aws.String(good.key)})
		wantAPIError(t, err, "MalformedCertificate", 400, certExpired)
	})
}

// TestServerCertificateQuota: an account holds at most 20 server
// certificates (terraform users met the text on AWS).
func TestServerCertificateQuota(t *testing.T) {
	tg := newTarget(t)
	pc := validCert(t)
	for i := range 20 {
		tg.upload(t, fmt.Sprintf("cert-%02d", i), pc, "")
	}
	_, err := tg.iam().UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String("cert-20"),
		CertificateBody: aws.String(pc.body), PrivateKey: aws.String(pc.key)})
	wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for ServerCertificatesPerAccount: 20")
}

func TestServerCertificateTags(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.upload(t, "web", validCert(t), "")
	name := aws.String("web")
	must[*iam.TagServerCertificateOutput](t)(c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: name,
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("team"), Value: aws.String("a")}}}))
	must[*iam.TagServerCertificateOutput](t)(c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: name,
		Tags: []types.Tag{{Key: aws.String("ENV"), Value: aws.String("prod")}}}))
	must[*iam.UntagServerCertificateOutput](t)(c.UntagServerCertificate(ctx, &iam.UntagServerCertificateInput{ServerCertificateName: name, TagKeys: []string{"TEAM", "absent"}}))
	tags := must[*iam.ListServerCertificateTagsOutput](t)(c.ListServerCertificateTags(ctx, &iam.ListServerCertificateTagsInput{ServerCertificateName: name}))
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "ENV" || aws.ToString(tags.Tags[0].Value) != "prod" || tags.IsTruncated {
		t.Fatalf("tags=%+v, want ENV=prod alone", tags.Tags)
	}

	t.Run("LimitExceeded", func(t *testing.T) {
		many := make([]types.Tag, 50)
		for i := range many {
			many[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%02d", i)), Value: aws.String("v")}
		}
		_, err := c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: name, Tags: many})
		wantAPIError(t, err, "LimitExceeded", 409, "Cannot exceed quota for TagsPerServerCertificate: 50")
	})
	t.Run("InvalidInput", func(t *testing.T) {
		_, err := c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: name,
			Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")}}})
		wantAPIError(t, err, "InvalidInput", 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	})
}

// TestServerCertificateActionsOnMissing: every action that names a
// certificate answers a missing one with AWS's NoSuchEntity text.
func TestServerCertificateActionsOnMissing(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()
	tg.upload(t, "taken", validCert(t), "")
	tg.upload(t, "mine", validCert(t), "")
	name := aws.String("nonexistent-certificate")
	calls := map[string]func() error{
		"GetServerCertificate": func() error {
			_, err := c.GetServerCertificate(ctx, &iam.GetServerCertificateInput{ServerCertificateName: name})
			return err
		},
		"DeleteServerCertificate": func() error {
			_, err := c.DeleteServerCertificate(ctx, &iam.DeleteServerCertificateInput{ServerCertificateName: name})
			return err
		},
		"UpdateServerCertificate": func() error {
			_, err := c.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{ServerCertificateName: name, NewPath: aws.String("/x/")})
			return err
		},
		"TagServerCertificate": func() error {
			_, err := c.TagServerCertificate(ctx, &iam.TagServerCertificateInput{ServerCertificateName: name, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		},
		"UntagServerCertificate": func() error {
			_, err := c.UntagServerCertificate(ctx, &iam.UntagServerCertificateInput{ServerCertificateName: name, TagKeys: []string{"k"}})
			return err
		},
		"ListServerCertificateTags": func() error {
			_, err := c.ListServerCertificateTags(ctx, &iam.ListServerCertificateTagsInput{ServerCertificateName: name})
			return err
		},
	}
	for action, call := range calls {
		t.Run(action+" NoSuchEntity", func(t *testing.T) {
			wantAPIError(t, call(), "NoSuchEntity", 404, noSuchServerCert("nonexistent-certificate"))
		})
	}
	t.Run("UpdateServerCertificate EntityAlreadyExists", func(t *testing.T) {
		_, err := c.UpdateServerCertificate(ctx, &iam.UpdateServerCertificateInput{ServerCertificateName: aws.String("mine"), NewServerCertificateName: aws.String("TAKEN")})
		wantAPIError(t, err, "EntityAlreadyExists", 409, "The Server Certificate with name TAKEN already exists.")
	})
	t.Run("ListServerCertificates ValidationError", func(t *testing.T) {
		_, err := c.ListServerCertificates(ctx, &iam.ListServerCertificatesInput{Marker: aws.String("bWluZQ")})
		wantAPIError(t, err, "ValidationError", 400, "Invalid Marker.")
	})
}
