package wire

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testKeyID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken   = "FwoGZXIvYXdzEJr//////////wEaDEXAMPLEtokenABCDEF+/=="
	stsForm     = "Action=GetCallerIdentity&Version=2011-06-15"
	iamForm     = "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision_abc%2F"
)

var (
	suiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	t0        = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// readVector parses a raw request of the test suite into what Go's server
// would hand a handler: Host in r.Host, canonical header keys, trimmed values,
// the request-target in RequestURI.
func readVector(t testing.TB, file string) (*http.Request, []byte) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(raw), "\n\n")
	lines := strings.Split(head, "\n")
	method, rest, _ := strings.Cut(lines[0], " ")
	target := rest[:strings.LastIndexByte(rest, ' ')]
	p, q, _ := strings.Cut(target, "?")
	r := &http.Request{
		Method: method, RequestURI: target, URL: &url.URL{Path: p, RawQuery: q},
		Header: http.Header{}, ContentLength: int64(len(body)),
	}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, ":")
		k, v = textproto.CanonicalMIMEHeaderKey(k), strings.Trim(v, " \t")
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header.Add(k, v)
	}
	return r, []byte(body)
}

func query(r *http.Request) url.Values {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	return q
}

func TestSigV4TestSuite(t *testing.T) {
	files, err := filepath.Glob("testdata/sigv4/*.req")
	if err != nil || len(files) < 20 {
		t.Fatalf("vectors=%d (%v), want at least 20", len(files), err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".req"), func(t *testing.T) {
			r, body := readVector(t, file)
			s, werr := parseSignature(r, query(r), "", suiteTime)
			if werr != nil {
				t.Fatalf("parseSignature: %v", werr)
			}
			if got, want := s.AccessKeyID, "AKIDEXAMPLE"; got != want {
				t.Fatalf("AccessKeyID=%q, want %q", got, want)
			}
			if got, want := s.Presigned, strings.Contains(file, ".presigned."); got != want {
				t.Fatalf("Presigned=%v, want %v", got, want)
			}
			if werr := s.verify(r, body, suiteSecret); werr != nil {
				t.Fatalf("verify: %v", werr)
			}
			if !s.tokenMatches(r.Header.Get("X-Amz-Security-Token")) {
				t.Fatal("tokenMatches=false, want true")
			}
			bad := *s
			bad.Signature = flipHex(s.Signature)
			wantError(t, bad.verify(r, body, suiteSecret), "SignatureDoesNotMatch", http.StatusForbidden, msgMismatch)
			wantError(t, s.verify(r, body, suiteSecret[1:]), "SignatureDoesNotMatch", http.StatusForbidden, msgMismatch)
		})
	}
}

// TestSigV4CanonicalRequest pins the canonical request of the suite's
// post-x-www-form-urlencoded (its .creq).
func TestSigV4CanonicalRequest(t *testing.T) {
	r, body := readVector(t, "testdata/sigv4/post-x-www-form-urlencoded.req")
	s, werr := parseSignature(r, query(r), "", suiteTime)
	if werr != nil {
		t.Fatal(werr)
	}
	cb := canonPool.Get().(*canonBuf)
	defer canonPool.Put(cb)
	want := "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
		"content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
	if got := string(cb.canonicalRequest(r, s, body)); got != want {
		t.Fatalf("canonical request=\n%s\nwant\n%s", got, want)
	}
}

// TestSigningKey is the example of AWS's "derive a signing key" page.
func TestSigningKey(t *testing.T) {
	for i := 0; i < 2; i++ { // derived, then cached
		key := signingKey(suiteSecret, "20120215", "us-east-1", "iam")
		if got, want := hex.EncodeToString(key[:]), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"; got != want {
			t.Fatalf("signing key=%s, want %s", got, want)
		}
	}
	if a, b := signingKey(suiteSecret, "20120215", "us-east-1", "iam"), signingKey(suiteSecret, "20120215", "us-east-1", "sts"); a == b {
		t.Fatalf("iam and sts signing keys are equal: %x", a)
	}
}

func TestSigV4CanonicalURIAndQuery(t *testing.T) {
	uris := map[string]string{
		"":                  "/",
		"/":                 "/",
		"//":                "/",
		"/a%20b":            "/a%2520b", // the SDKs escape their escaped path again
		"/example space/":   "/example%20space/",
		"/a/./b/../c/":      "/a/c/",
		"/a/..":             "/",
		"/a/.":              "/a/",
		"/../..":            "/",
		"/-._~AZaz09":       "/-._~AZaz09",
		"/caf\xc3\xa9":      "/caf%C3%A9",
		"/a=b&c":            "/a%3Db%26c",
		"/trailing/slash//": "/trailing/slash/",
	}
	for in, want := range uris {
		if got := string(appendCanonicalURI(nil, in)); got != want {
			t.Fatalf("canonical URI of %q=%q, want %q", in, got, want)
		}
	}
	queries := map[string]string{
		"":                        "",
		"b=2&a=1":                 "a=1&b=2",
		"a=2&a=1&a=10":            "a=1&a=10&a=2",
		"a+b=c+d":                 "a%20b=c%20d",
		"k=%2f%2F%7e%41":          "k=%2F%2F~A",
		"k":                       "k=",
		"k=":                      "k=",
		"&&k=v&":                  "k=v",
		"k=%zz%":                  "k=%25zz%25",
		"k=a/b&k=a-b":             "k=a%2Fb&k=a-b", // sorted after encoding: '%' < '-'
		"X-Amz-Signature=abc&a=1": "X-Amz-Signature=abc&a=1",
		"Marker=%E3%81%82":        "Marker=%E3%81%82",
	}
	cb := &canonBuf{}
	for in, want := range queries {
		if got := string(cb.appendCanonicalQuery(nil, in, false)); got != want {
			t.Fatalf("canonical query of %q=%q, want %q", in, got, want)
		}
	}
	if got, want := string(cb.appendCanonicalQuery(nil, "X-Amz-Signature=abc&a=1", true)), "a=1"; got != want {
		t.Fatalf("presigned canonical query=%q, want %q", got, want)
	}
}

// served is a request as a handler behind Go's HTTP server saw it.
type served struct {
	r    *http.Request
	body []byte
}

// viaServer sends req through a real HTTP server and returns the request as
// the handler received it.
func viaServer(t testing.TB, build func(base string) *http.Request) served {
	t.Helper()
	got := make(chan served, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- served{r.Clone(context.Background()), body}
	}))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Do(build(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return <-got
}

func creds(token string) aws.Credentials {
	return aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: token}
}

func payloadHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// signedPost is a form POST signed by the SDK's signer, as its IAM and STS
// clients send it.
func signedPost(t testing.TB, base, body, service, region, token string, at time.Time, edit func(*http.Request)) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if edit != nil {
		edit(req)
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds(token), req, payloadHash(body), service, region, at); err != nil {
		t.Fatal(err)
	}
	return req
}

// presigned is a GET presigned by the SDK's signer, as its STS presign client
// makes one.
func presigned(t testing.TB, base, rawQuery, service, region, token string, at time.Time) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/?"+rawQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds(token), req, payloadHash(""), service, region, at)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

// authenticate runs what the router runs, in its order, for a key with
// secret and token.
func authenticate(sv served, secret, token, service string, now time.Time) (*signature, *Error) {
	s, werr := parseSignature(sv.r, query(sv.r), service, now)
	if werr != nil {
		return nil, werr
	}
	if !s.tokenMatches(token) {
		return s, invalidClientToken(namespaceOf(service))
	}
	return s, s.verify(sv.r, sv.body, secret)
}

func namespaceOf(service string) string {
	if service == "sts" {
		return stsService.Namespace
	}
	return iamService.Namespace
}

func TestVerifySDK(t *testing.T) {
	cases := map[string]struct {
		build   func(t *testing.T, base string) *http.Request
		service string
		token   string
		region  string
	}{
		"sts form POST": {
			build: func(t *testing.T, base string) *http.Request {
				return signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, nil)
			},
			service: "sts", region: "us-east-1",
		},
		"sts form POST with session token": {
			build: func(t *testing.T, base string) *http.Request {
				return signedPost(t, base, stsForm, "sts", "eu-west-1", testToken, t0, nil)
			},
			service: "sts", token: testToken, region: "eu-west-1",
		},
		"iam form POST in another region": {
			build: func(t *testing.T, base string) *http.Request {
				return signedPost(t, base, iamForm, "iam", "ap-northeast-1", "", t0, nil)
			},
			service: "iam", region: "ap-northeast-1",
		},
		"iam GET with query": {
			build: func(t *testing.T, base string) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, base+"/?"+iamForm+"&Marker=a%20b%2Bc", nil)
				v4.NewSigner().SignHTTP(context.Background(), creds(""), req, payloadHash(""), "iam", "us-east-1", t0)
				return req
			},
			service: "iam", region: "us-east-1",
		},
		"iam GET with the query re-encoded after signing": {
			build: func(t *testing.T, base string) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, base+"/?"+iamForm+"&Marker=a%20b%2Bc", nil)
				v4.NewSigner().SignHTTP(context.Background(), creds(""), req, payloadHash(""), "iam", "us-east-1", t0)
				req.URL.RawQuery = "Marker=a+b%2bc&PathPrefix=/division_abc/&Version=2010-05-08&Action=ListUsers"
				return req
			},
			service: "iam", region: "us-east-1",
		},
		"odd header case, whitespace and repeats": {
			build: func(t *testing.T, base string) *http.Request {
				return signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, func(r *http.Request) {
					r.Header["x-lower-case"] = []string{"v"}
					r.Header.Set("X-Amz-Meta-Spaces", "  a   b \t c  ")
					r.Header.Add("X-Amz-Meta-Dup", "first")
					r.Header.Add("X-Amz-Meta-Dup", " second ")
					r.Header.Set("cOnTeNt-TyPe", "application/x-www-form-urlencoded")
				})
			},
			service: "sts", region: "us-east-1",
		},
		"empty body": {
			build: func(t *testing.T, base string) *http.Request {
				return signedPost(t, base, "", "sts", "us-east-1", "", t0, nil)
			},
			service: "sts", region: "us-east-1",
		},
		"presigned GET": {
			build: func(t *testing.T, base string) *http.Request {
				return presigned(t, base, stsForm, "sts", "us-east-1", "", t0)
			},
			service: "sts", region: "us-east-1",
		},
		"presigned GET with session token and X-Amz-Expires": {
			build: func(t *testing.T, base string) *http.Request {
				return presigned(t, base, stsForm+"&X-Amz-Expires=60", "sts", "us-west-2", testToken, t0)
			},
			service: "sts", token: testToken, region: "us-west-2",
		},
		"presigned GET with a signed custom header": {
			build: func(t *testing.T, base string) *http.Request {
				req, _ := http.NewRequest(http.MethodGet, base+"/?"+stsForm, nil)
				req.Header.Set("x-k8s-aws-id", "my-cluster")
				u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds(""), req, payloadHash(""), "sts", "us-east-1", t0)
				if err != nil {
					t.Fatal(err)
				}
				out, _ := http.NewRequest(http.MethodGet, u, nil)
				out.Header.Set("X-K8s-Aws-Id", hdr.Get("X-K8s-Aws-Id"))
				return out
			},
			service: "sts", region: "us-east-1",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			sv := viaServer(t, func(base string) *http.Request { return c.build(t, base) })
			s, werr := authenticate(sv, testSecret, c.token, c.service, t0.Add(time.Minute))
			if werr != nil {
				t.Fatalf("authenticate: %v", werr)
			}
			if got, want := s.AccessKeyID, testKeyID; got != want {
				t.Fatalf("AccessKeyID=%q, want %q", got, want)
			}
			if got, want := s.Region, c.region; got != want {
				t.Fatalf("Region=%q, want %q", got, want)
			}
			if got, want := s.Service, c.service; got != want {
				t.Fatalf("Service=%q, want %q", got, want)
			}
			if got, want := s.Time, t0; !got.Equal(want) {
				t.Fatalf("Time=%v, want %v", got, want)
			}
			if got, want := s.SecurityToken, c.token; got != want {
				t.Fatalf("SecurityToken=%q, want %q", got, want)
			}
			if werr := s.verify(sv.r, sv.body, testSecret+"x"); werr == nil || werr.Code != "SignatureDoesNotMatch" {
				t.Fatalf("verify with another secret=%v, want SignatureDoesNotMatch", werr)
			}
		})
	}
}

// handSign signs like a client that lists its signed headers in its own
// order; it shares no code with verify.
func handSign(secret, method, host, target, body, region, service string, at time.Time, headers [][2]string) string {
	p, q, _ := strings.Cut(target, "?")
	var names []string
	var lines strings.Builder
	for _, h := range headers {
		names = append(names, h[0])
		v := h[1]
		if h[0] == "host" {
			v = host
		}
		lines.WriteString(h[0] + ":" + v + "\n")
	}
	signed := strings.Join(names, ";")
	creq := strings.Join([]string{method, p, q, lines.String(), signed, payloadHash(body)}, "\n")
	date := at.Format("20060102")
	scope := date + "/" + region + "/" + service + "/aws4_request"
	sum := sha256.Sum256([]byte(creq))
	sts := "AWS4-HMAC-SHA256\n" + at.Format(amzDateLayout) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	mac := func(k []byte, s string) []byte { h := hmac.New(sha256.New, k); h.Write([]byte(s)); return h.Sum(nil) }
	key := mac(mac(mac(mac([]byte("AWS4"+secret), date), region), service), "aws4_request")
	return "AWS4-HMAC-SHA256 Credential=" + testKeyID + "/" + scope + ", SignedHeaders=" + signed +
		", Signature=" + hex.EncodeToString(mac(key, sts))
}

func TestVerifyClientHeaderOrder(t *testing.T) {
	sv := viaServer(t, func(base string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(stsForm))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Amz-Date", t0.Format(amzDateLayout))
		req.Header.Set("Authorization", handSign(testSecret, "POST", req.URL.Host, "/", stsForm, "us-east-1", "sts", t0, [][2]string{
			{"x-amz-date", t0.Format(amzDateLayout)}, {"host", ""}, {"content-type", "application/x-www-form-urlencoded"},
		}))
		return req
	})
	s, werr := authenticate(sv, testSecret, "", "sts", t0)
	if werr != nil {
		t.Fatalf("authenticate: %v", werr)
	}
	if got, want := s.SignedHeaders, "x-amz-date;host;content-type"; got != want {
		t.Fatalf("SignedHeaders=%q, want %q", got, want)
	}
}

// TestVerifyPayload: the body hash is the body's, whatever
// X-Amz-Content-Sha256 claims.
func TestVerifyPayload(t *testing.T) {
	t.Run("body changed after signing", func(t *testing.T) {
		sv := viaServer(t, func(base string) *http.Request {
			req := signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, nil)
			req.Body = io.NopCloser(strings.NewReader(iamForm))
			req.ContentLength = int64(len(iamForm))
			return req
		})
		_, werr := authenticate(sv, testSecret, "", "sts", t0)
		wantError(t, werr, "SignatureDoesNotMatch", http.StatusForbidden, msgMismatch)
	})
	t.Run("signed X-Amz-Content-Sha256 of another body", func(t *testing.T) {
		sv := viaServer(t, func(base string) *http.Request {
			req := signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, func(r *http.Request) {
				r.Header.Set("X-Amz-Content-Sha256", payloadHash(stsForm))
			})
			req.Body = io.NopCloser(strings.NewReader(iamForm))
			req.ContentLength = int64(len(iamForm))
			return req
		})
		_, werr := authenticate(sv, testSecret, "", "sts", t0)
		wantError(t, werr, "SignatureDoesNotMatch", http.StatusForbidden, msgMismatch)
	})
	t.Run("UNSIGNED-PAYLOAD", func(t *testing.T) {
		sv := viaServer(t, func(base string) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, base+"/", strings.NewReader(stsForm))
			req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
			v4.NewSigner().SignHTTP(context.Background(), creds(""), req, "UNSIGNED-PAYLOAD", "sts", "us-east-1", t0)
			return req
		})
		_, werr := authenticate(sv, testSecret, "", "sts", t0)
		wantError(t, werr, "SignatureDoesNotMatch", http.StatusForbidden, msgMismatch)
	})
}

const msgMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

func wantError(t testing.TB, werr *Error, code string, status int, msg string) {
	t.Helper()
	if werr == nil {
		t.Fatalf("error=nil, want %s %q", code, msg)
	}
	if got, want := werr.Code, code; got != want {
		t.Fatalf("Code=%q (%q), want %q", got, werr.Message, want)
	}
	if got, want := werr.Status, status; got != want {
		t.Fatalf("Status=%d, want %d", got, want)
	}
	if got, want := werr.Message, msg; got != want {
		t.Fatalf("Message=\n%q\nwant\n%q", got, want)
	}
	if !werr.Sender {
		t.Fatalf("Sender=false, want true")
	}
}

// baseRequest is a valid SDK-signed STS request as the server received it,
// for the error cases to break.
func baseRequest(t *testing.T) served {
	t.Helper()
	return viaServer(t, func(base string) *http.Request {
		return signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, nil)
	})
}

func withHeader(sv served, key, value string) served {
	r := sv.r.Clone(context.Background())
	if value == "" {
		r.Header.Del(key)
	} else {
		r.Header.Set(key, value)
	}
	return served{r, sv.body}
}

func withQuery(sv served, raw string) served {
	r := sv.r.Clone(context.Background())
	r.URL.RawQuery = raw
	r.RequestURI = "/?" + raw
	return served{r, sv.body}
}

func TestParseSignatureErrors(t *testing.T) {
	sv := baseRequest(t)
	auth := sv.r.Header.Get("Authorization")
	sig := auth[strings.LastIndex(auth, "=")+1:]
	cred := testKeyID + "/20260301/us-east-1/sts/aws4_request"
	hdr := func(s string) string { return "AWS4-HMAC-SHA256 " + s }
	const rest = ", SignedHeaders=content-length;content-type;host;x-amz-date, Signature="

	cases := []struct {
		name       string
		req        served
		code       string
		status     int
		msg        string
		serviceFor string
	}{
		{"MissingAuthenticationToken", withHeader(sv, "Authorization", ""), "MissingAuthenticationToken", 403,
			"Request is missing Authentication Token", ""},
		{"MissingAuthenticationToken/not AWS4", withHeader(sv, "Authorization", "Basic dGVzdDp0ZXN0"), "MissingAuthenticationToken", 403,
			"Request is missing Authentication Token", ""},
		{"MissingAuthenticationToken/presigned algorithm", withQuery(withHeader(sv, "Authorization", ""), "X-Amz-Algorithm=HMAC-SHA256"),
			"MissingAuthenticationToken", 403, "Request is missing Authentication Token", ""},
		{"SignatureDoesNotMatch/header and query", withQuery(sv, "X-Amz-Algorithm=AWS4-HMAC-SHA256"), "SignatureDoesNotMatch", 403,
			"Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.", ""},
		{"IncompleteSignature/missing equal-sign",
			withHeader(sv, "Authorization", hdr("Credential="+testKeyID+" /20260301/us-east-1/sts/aws4_request"+rest+sig)),
			"IncompleteSignature", 400,
			"'/20260301/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: '" +
				hdr("Credential="+testKeyID+" /20260301/us-east-1/sts/aws4_request"+rest+sig) + "'.", ""},
		{"IncompleteSignature/bare key", withHeader(sv, "Authorization", hdr("Signature=b,    Credential,    SignedHeaders")),
			"IncompleteSignature", 400,
			"'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders'.", ""},
		{"IncompleteSignature/missing everything", withHeader(withHeader(sv, "X-Amz-Date", ""), "Authorization", "AWS4-HMAC-SHA256"),
			"IncompleteSignature", 400,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256", ""},
		{"IncompleteSignature/empty signature", withHeader(sv, "Authorization", hdr("Credential="+cred+rest)),
			"IncompleteSignature", 400,
			"Authorization header requires 'Signature' parameter. Authorization=" + hdr("Credential="+cred+rest), ""},
		{"IncompleteSignature/date format", withHeader(sv, "X-Amz-Date", "2026-03-01T12:00:00Z"), "IncompleteSignature", 400,
			"Date must be in ISO-8601 'basic format'. Got '2026-03-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601", ""},
		{"IncompleteSignature/impossible date", withHeader(sv, "X-Amz-Date", "20260230T120000Z"), "IncompleteSignature", 400,
			"Date must be in ISO-8601 'basic format'. Got '20260230T120000Z'. See http://en.wikipedia.org/wiki/ISO_8601", ""},
		{"SignatureDoesNotMatch/host not signed",
			withHeader(sv, "Authorization", hdr("Credential="+cred+", SignedHeaders=content-type;x-amz-date, Signature="+sig)),
			"SignatureDoesNotMatch", 403, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", ""},
		{"IncompleteSignature/algorithm", withHeader(sv, "Authorization", "AWS4-HMAC-SHA512 Credential="+cred+rest+sig),
			"IncompleteSignature", 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ", ""},
		{"IncompleteSignature/credential elements", withHeader(sv, "Authorization", hdr("Credential="+testKeyID+"/20260301/us-east-1/sts"+rest+sig)),
			"IncompleteSignature", 400,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + testKeyID + "/20260301/us-east-1/sts'", ""},
		{"IncompleteSignature/credential elements extra", withHeader(sv, "Authorization", hdr("Credential=a/b/"+cred+rest+sig)),
			"IncompleteSignature", 400,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/" + cred + "'", ""},
		{"SignatureDoesNotMatch/terminator", withHeader(sv, "Authorization", hdr("Credential="+testKeyID+"/20260301/us-east-1/sts/aws5_request"+rest+sig)),
			"SignatureDoesNotMatch", 403, "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ", ""},
		{"SignatureDoesNotMatch/scope date", withHeader(sv, "Authorization", hdr("Credential="+testKeyID+"/20260228/us-east-1/sts/aws4_request"+rest+sig)),
			"SignatureDoesNotMatch", 403,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260228' != '20260301', from '20260301T120000Z'. ", ""},
		{"SignatureDoesNotMatch/region", withHeader(sv, "Authorization", hdr("Credential="+testKeyID+"/20260301/US_EAST_1/sts/aws4_request"+rest+sig)),
			"SignatureDoesNotMatch", 403, "Credential should be scoped to a valid region. ", ""},
		{"SignatureDoesNotMatch/every scope part",
			withHeader(sv, "Authorization", hdr("Credential="+testKeyID+"/b//d/e"+rest+sig)),
			"SignatureDoesNotMatch", 403,
			"Credential should be scoped to a valid region. Credential should be scoped to correct service: 'sts'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'e'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: 'b' != '20260301', from '20260301T120000Z'. ",
			"sts"},
		{"IncompleteSignature/presigned parameters", withQuery(withHeader(sv, "Authorization", ""), "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20260301T120000Z"),
			"IncompleteSignature", 400,
			"AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.", ""},
		{"IncompleteSignature/presigned empty algorithm", withQuery(withHeader(sv, "Authorization", ""), "X-Amz-Algorithm="),
			"IncompleteSignature", 400,
			"AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.", ""},
		{"IncompleteSignature/presigned date", withQuery(withHeader(sv, "Authorization", ""),
			"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="+url.QueryEscape(cred)+"&X-Amz-Date=1&X-Amz-SignedHeaders=host&X-Amz-Signature=00"),
			"IncompleteSignature", 400, "Date must be in ISO-8601 'basic format'. Got '1'. See http://en.wikipedia.org/wiki/ISO_8601", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, werr := parseSignature(c.req.r, query(c.req.r), c.serviceFor, t0)
			wantError(t, werr, c.code, c.status, c.msg)
		})
	}
}

func TestParseSignatureOrder(t *testing.T) {
	sv := baseRequest(t)
	auth := sv.r.Header.Get("Authorization")
	broken := withHeader(sv, "Authorization", strings.Replace(auth, "/us-east-1/sts/aws4_request", "/us-east-1/sts/aws5_request", 1))
	late := t0.Add(time.Hour)
	t.Run("the window comes before the scope", func(t *testing.T) {
		_, werr := parseSignature(broken.r, query(broken.r), "sts", late)
		wantError(t, werr, "SignatureDoesNotMatch", 403,
			"Signature expired: 20260301T120000Z is now earlier than 20260301T124500Z (20260301T130000Z - 15 min.)")
	})
	t.Run("the service joins the scope message", func(t *testing.T) {
		_, werr := parseSignature(broken.r, query(broken.r), "iam", t0)
		wantError(t, werr, "SignatureDoesNotMatch", 403,
			"Credential should be scoped to correct service: 'iam'. Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. ")
	})
	t.Run("an unknown action's scope is not checked", func(t *testing.T) {
		_, werr := parseSignature(sv.r, query(sv.r), "", t0)
		if werr != nil {
			t.Fatalf("parseSignature=%v, want nil", werr)
		}
	})
	t.Run("key=value syntax comes before missing parameters", func(t *testing.T) {
		r := withHeader(withHeader(sv, "X-Amz-Date", ""), "Authorization", "AWS4-HMAC-SHA256 Credential")
		_, werr := parseSignature(r.r, query(r.r), "sts", t0)
		wantError(t, werr, "IncompleteSignature", 400,
			"'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential'.")
	})
	t.Run("the signature of an error names its key", func(t *testing.T) {
		s, werr := parseSignature(broken.r, query(broken.r), "sts", late)
		if werr == nil || s == nil {
			t.Fatalf("parseSignature=%v, %v; want an error and the signature", s, werr)
		}
		if got, want := s.AccessKeyID, testKeyID; got != want {
			t.Fatalf("AccessKeyID=%q, want %q", got, want)
		}
	})
}

func TestSigV4WrongService(t *testing.T) {
	sv := baseRequest(t)
	if _, werr := parseSignature(sv.r, query(sv.r), "sts", t0); werr != nil {
		t.Fatalf("parseSignature(sts)=%v, want nil", werr)
	}
	_, werr := parseSignature(sv.r, query(sv.r), "iam", t0)
	wantError(t, werr, "SignatureDoesNotMatch", 403, "Credential should be scoped to correct service: 'iam'. ")
}

func TestSigV4TokenMatches(t *testing.T) {
	for _, c := range []struct {
		name      string
		sent, key string
		ok        bool
	}{
		{"long-term key without token", "", "", true},
		{"temporary key with its token", testToken, testToken, true},
		{"temporary key without token", "", testToken, false},
		{"temporary key with another token", testToken[:len(testToken)-1] + "x", testToken, false},
		{"temporary key with a prefix of its token", testToken[:10], testToken, false},
		{"long-term key with a token", testToken, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &signature{SecurityToken: c.sent}
			if got, want := s.tokenMatches(c.key), c.ok; got != want {
				t.Fatalf("tokenMatches=%v, want %v", got, want)
			}
		})
	}
}

func TestVerifyDateWindow(t *testing.T) {
	header := viaServer(t, func(base string) *http.Request {
		return signedPost(t, base, stsForm, "sts", "us-east-1", "", t0, nil)
	})
	presign := viaServer(t, func(base string) *http.Request {
		return presigned(t, base, stsForm+"&X-Amz-Expires=60", "sts", "us-east-1", "", t0)
	})
	for name, sv := range map[string]served{"header": header, "presigned": presign} {
		t.Run(name, func(t *testing.T) {
			for _, now := range []time.Time{
				t0, t0.Add(15 * time.Minute), t0.Add(15*time.Minute + 999*time.Millisecond), t0.Add(-15 * time.Minute),
				t0.Add(2 * time.Minute), // past X-Amz-Expires=60: STS does not enforce it
			} {
				if _, werr := authenticate(sv, testSecret, "", "sts", now); werr != nil {
					t.Fatalf("authenticate at %v: %v", now, werr)
				}
			}
			at := func(now time.Time) *Error {
				_, werr := parseSignature(sv.r, query(sv.r), "sts", now)
				return werr
			}
			wantError(t, at(t0.Add(15*time.Minute+time.Second)), "SignatureDoesNotMatch", 403,
				"Signature expired: 20260301T120000Z is now earlier than 20260301T120001Z (20260301T121501Z - 15 min.)")
			wantError(t, at(t0.Add(-15*time.Minute-time.Second)), "SignatureDoesNotMatch", 403,
				"Signature not yet current: 20260301T120000Z is still later than 20260301T115959Z (20260301T114459Z + 15 min.)")
			wantError(t, at(t0.Add(-15*time.Minute-time.Second).In(time.FixedZone("JST", 9*3600))), "SignatureDoesNotMatch", 403,
				"Signature not yet current: 20260301T120000Z is still later than 20260301T115959Z (20260301T114459Z + 15 min.)")
		})
	}
}

func TestParseDateHeader(t *testing.T) {
	sv := baseRequest(t)
	r := withHeader(withHeader(sv, "X-Amz-Date", ""), "Date", "Sun, 01 Mar 2026 12:00:00 GMT")
	s, werr := parseSignature(r.r, query(r.r), "sts", t0)
	if werr != nil {
		t.Fatal(werr)
	}
	if got, want := s.Time, t0; !got.Equal(want) {
		t.Fatalf("Time=%v, want %v", got, want)
	}
	if got, want := string(s.amzDate[:]), "20260301T120000Z"; got != want {
		t.Fatalf("amzDate=%q, want %q", got, want)
	}
}

func TestParseCredentialTrailingSlashes(t *testing.T) {
	sv := baseRequest(t)
	auth := sv.r.Header.Get("Authorization")
	r := withHeader(sv, "Authorization", strings.Replace(auth, "/aws4_request,", "/aws4_request//,", 1))
	s, werr := authenticate(r, testSecret, "", "sts", t0)
	if werr != nil {
		t.Fatalf("authenticate: %v", werr)
	}
	if got, want := s.scope, "20260301/us-east-1/sts/aws4_request"; got != want {
		t.Fatalf("scope=%q, want %q", got, want)
	}
}

func TestVerifySignatureCase(t *testing.T) {
	sv := baseRequest(t)
	auth := sv.r.Header.Get("Authorization")
	i := strings.LastIndex(auth, "=") + 1
	r := withHeader(sv, "Authorization", auth[:i]+strings.ToUpper(auth[i:]))
	_, werr := authenticate(r, testSecret, "", "sts", t0)
	wantError(t, werr, "SignatureDoesNotMatch", 403, msgMismatch)
}

func flipHex(s string) string {
	b := []byte(s)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}

func TestSigV4NoAllocs(t *testing.T) {
	if poolDrops() {
		t.Skip("sync.Pool drops items under the race detector")
	}
	r, body, now := benchRequest(t)
	q := query(r)
	s, _ := parseSignature(r, q, "sts", now)
	s.verify(r, body, testSecret) // warm the pool and the key cache
	if n := testing.AllocsPerRun(100, func() {
		if werr := s.verify(r, body, testSecret); werr != nil {
			t.Fatal(werr)
		}
	}); n != 0 {
		t.Fatalf("verify allocs=%v, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { parseSignature(r, q, "sts", now) }); n > 1 {
		t.Fatalf("parseSignature allocs=%v, want at most 1", n)
	}
}

// poolDrops reports whether sync.Pool forgets what it was given, as it does
// on purpose under the race detector.
func poolDrops() bool {
	var p sync.Pool
	for i := 0; i < 64; i++ {
		p.Put(&i)
		if p.Get() == nil {
			return true
		}
	}
	return false
}

// benchRequest is an STS call as the SDK signs it, shaped as Go's server
// hands it over.
func benchRequest(t testing.TB) (*http.Request, []byte, time.Time) {
	body := stsForm
	req := signedPost(t, "http://127.0.0.1:4599", body, "sts", "us-east-1", "", t0, nil)
	req.Host = req.URL.Host
	req.RequestURI = "/"
	req.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/sts#1.51.8")
	return req, []byte(body), t0.Add(time.Second)
}

func BenchmarkVerify(b *testing.B) {
	r, body, now := benchRequest(b)
	q := query(r)
	b.ReportAllocs()
	for b.Loop() {
		s, werr := parseSignature(r, q, "sts", now)
		if werr == nil && !s.tokenMatches("") {
			werr = invalidClientToken(namespaceOf("sts"))
		}
		if werr == nil {
			werr = s.verify(r, body, testSecret)
		}
		if werr != nil {
			b.Fatal(werr)
		}
	}
}

func BenchmarkVerifyPresigned(b *testing.B) {
	req := presigned(b, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", testToken, t0)
	req.Host = req.URL.Host
	req.RequestURI = req.URL.RequestURI()
	q := query(req)
	b.ReportAllocs()
	for b.Loop() {
		s, werr := parseSignature(req, q, "sts", t0)
		if werr == nil && !s.tokenMatches(testToken) {
			werr = invalidClientToken(namespaceOf("sts"))
		}
		if werr == nil {
			werr = s.verify(req, nil, testSecret)
		}
		if werr != nil {
			b.Fatal(werr)
		}
	}
}
