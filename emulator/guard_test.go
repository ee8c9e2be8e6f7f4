package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// serve runs one request through the emulator's whole handler.
func serve(e *Emulator, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.Handler().ServeHTTP(w, r)
	return w
}

// request is r as a program on this machine sends it: Host 127.0.0.1:4599
// and no browser headers, with the given header pairs then set.
func request(method, target, contentType string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, "http://127.0.0.1:4599"+target, nil)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			r.Host = headers[i+1]
			continue
		}
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// presignedCreateUser is a GET that creates user name, presigned with the
// public root key for host, as a web page can make one for an <img> tag.
func presignedCreateUser(t testing.TB, host, name string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://"+host+"/?Action=CreateUser&Version=2010-05-08&UserName="+name, nil)
	creds := aws.Credentials{AccessKeyID: DefaultRootAccessKeyID, SecretAccessKey: DefaultRootSecret}
	const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	u, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, emptyHash, "iam", "us-east-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewRequest(http.MethodGet, u, nil)
}

func userCount(t testing.TB, e *Emulator) int {
	t.Helper()
	out, err := e.ListUsers(e.rootCtx(), &iam.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Users)
}

// wantRefused checks an AWS-shaped 403 AccessDenied whose text has want.
func wantRefused(t testing.TB, w *httptest.ResponseRecorder, want string) {
	t.Helper()
	body := w.Body.String()
	if got := w.Code; got != http.StatusForbidden {
		t.Fatalf("status=%d, want 403; body %s", got, body)
	}
	for _, part := range []string{"<ErrorResponse", "<Type>Sender</Type><Code>AccessDenied</Code><Message>", want, "<RequestId>" + w.Header().Get("x-amzn-RequestId") + "</RequestId>"} {
		if !strings.Contains(body, part) {
			t.Errorf("body lacks %q:\n%s", part, body)
		}
	}
	if id := w.Header().Get("x-amzn-RequestId"); len(id) != 36 {
		t.Errorf("x-amzn-RequestId=%q, want a UUID", id)
	}
}

func TestGuardRefusesCrossSiteReset(t *testing.T) {
	for _, c := range []struct {
		name    string
		headers []string
		want    string
	}{
		{"fetch metadata", []string{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Origin", "https://evil.example"}, "Sec-Fetch-Site: cross-site"},
		{"same-site page", []string{"Sec-Fetch-Site", "same-site"}, "Sec-Fetch-Site: same-site"},
		{"origin only", []string{"Origin", "https://evil.example"}, "origin https://evil.example:"},
		{"sandboxed page", []string{"Origin", "null"}, "origin null:"},
		{"old browser", []string{"User-Agent", "Mozilla/5.0 (Macintosh) Safari/605.1.15"}, "text/plain body from a browser"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTest(t)
			if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("keep")}); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/_iamlocal/reset", "/moto-api/reset"} {
				r := request(http.MethodPost, path, "text/plain", c.headers...)
				r.Body = http.NoBody
				wantRefused(t, serve(e, r), c.want)
			}
			if got, want := userCount(t, e), 1; got != want {
				t.Fatalf("users=%d after a refused reset, want %d", got, want)
			}
		})
	}
}

func TestGuardRefusesBrowserFormsOnAdmin(t *testing.T) {
	e := newTest(t)
	for _, ct := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain;charset=UTF-8"} {
		r := request(http.MethodPost, "/_iamlocal/clock?advance=1h", ct, "Referer", "http://127.0.0.1:4599/")
		wantRefused(t, serve(e, r), "from a browser")
	}
	if got := e.clock.Offset(); got != 0 {
		t.Fatalf("clock offset=%v after refused advances, want 0", got)
	}
	// Programs post forms, JSON or nothing, and are served.
	for _, ct := range []string{"application/x-www-form-urlencoded", "application/json", ""} {
		r := request(http.MethodPost, "/_iamlocal/clock?advance=1m", ct, "User-Agent", "curl/8.5.0")
		if w := serve(e, r); w.Code != http.StatusOK {
			t.Errorf("Content-Type %q: status=%d, want 200: %s", ct, w.Code, w.Body)
		}
	}
}

func TestGuardRefusesPresignedFromPage(t *testing.T) {
	e := newTest(t)
	for _, headers := range [][]string{
		{"Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Dest", "image"},
		{"Origin", "https://evil.example"},
	} {
		r := presignedCreateUser(t, "127.0.0.1:4599", "mallory")
		for i := 0; i < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		wantRefused(t, serve(e, r), "browsers may not drive the emulator")
	}
	if got := userCount(t, e); got != 0 {
		t.Fatalf("users=%d after refused requests, want 0", got)
	}
	// The same URL from a program is served: the guard, not the signature,
	// refused the page.
	if w := serve(e, presignedCreateUser(t, "127.0.0.1:4599", "mallory")); w.Code != http.StatusOK {
		t.Fatalf("status=%d, want 200: %s", w.Code, w.Body)
	}
}

func TestGuardRefusesDNSRebinding(t *testing.T) {
	const attacker = "rebind.attacker.example"
	e := newTest(t)
	for _, r := range []*http.Request{
		presignedCreateUser(t, attacker, "mallory"),
		request(http.MethodGet, "/_iamlocal/totp?serial=arn:aws:iam::123456789012:mfa/x", "", "Host", attacker),
		request(http.MethodPost, "/_iamlocal/reset", "", "Host", attacker+":4599"),
		request(http.MethodGet, "/_iamlocal/health", "", "Host", "LOCALHOST.evil.example"),
	} {
		wantRefused(t, serve(e, r), "start iamlocal with --allow-host ")
	}
	if got := userCount(t, e); got != 0 {
		t.Fatalf("users=%d after refused requests, want 0", got)
	}
	// Allowed by name, the same presigned request is served.
	allowing := newTestWith(t, Options{AllowHosts: []string{"Rebind.Attacker.Example."}})
	if w := serve(allowing, presignedCreateUser(t, attacker, "mallory")); w.Code != http.StatusOK {
		t.Fatalf("allowed host: status=%d, want 200: %s", w.Code, w.Body)
	}
}

func TestGuardServesOurHosts(t *testing.T) {
	e := newTestWith(t, Options{ListenHost: "devbox.lan", AllowHosts: []string{"host.docker.internal", "10.0.0.7"}})
	for _, host := range []string{
		"localhost", "localhost:4599", "LocalHost.:4599", "127.0.0.1:4599", "127.0.0.2", "127.255.0.9:80",
		"[::1]:4599", "[::1]", "[::ffff:127.0.0.1]:4599", "devbox.lan:4599", "host.docker.internal:4599", "10.0.0.7:4599",
	} {
		r := request(http.MethodGet, "/_iamlocal/health", "", "Host", host, "Origin", "http://"+host, "Sec-Fetch-Site", "same-origin")
		if w := serve(e, r); w.Code != http.StatusOK {
			t.Errorf("Host %s: status=%d, want 200: %s", host, w.Code, w.Body)
		}
	}
	for _, host := range []string{"0.0.0.0:4599", "[::]:4599", "10.0.0.8", "evil.example"} {
		wantRefused(t, serve(e, request(http.MethodGet, "/_iamlocal/health", "", "Host", host)), "--allow-host")
	}
	// An unspecified listen address adds no name.
	any := newTestWith(t, Options{ListenHost: "0.0.0.0"})
	wantRefused(t, serve(any, request(http.MethodGet, "/_iamlocal/health", "", "Host", "0.0.0.0:4599")), "--allow-host 0.0.0.0")
}

func TestGuardAdminToken(t *testing.T) {
	const token = "s3cret-admin-token"
	e := newTestWith(t, Options{AdminToken: token})
	for _, c := range []struct {
		name    string
		headers []string
		want    int
	}{
		{"missing", nil, http.StatusForbidden},
		{"wrong bearer", []string{"Authorization", "Bearer " + token + "x"}, http.StatusForbidden},
		{"wrong header", []string{"X-Iamlocal-Admin-Token", "nope"}, http.StatusForbidden},
		{"empty bearer", []string{"Authorization", "Bearer "}, http.StatusForbidden},
		{"bearer", []string{"Authorization", "Bearer " + token}, http.StatusOK},
		{"bearer lower-case", []string{"Authorization", "bearer " + token}, http.StatusOK},
		{"header", []string{"X-Iamlocal-Admin-Token", token}, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range []*http.Request{
				request(http.MethodPost, "/_iamlocal/reset", "", c.headers...),
				request(http.MethodPost, "/moto-api/reset", "", c.headers...),
				request(http.MethodGet, "/_iamlocal/clock", "", c.headers...),
				request(http.MethodGet, "/_iamlocal/totp?serial=x", "", c.headers...),
			} {
				w := serve(e, r)
				if c.want == http.StatusForbidden {
					wantRefused(t, w, "need the admin token")
					continue
				}
				if w.Code == http.StatusForbidden {
					t.Errorf("%s %s: refused with the token: %s", r.Method, r.URL.Path, w.Body)
				}
			}
		})
	}
	// Health stays open for container health checks; it changes nothing.
	if w := serve(e, request(http.MethodGet, "/_iamlocal/health", "")); w.Code != http.StatusOK {
		t.Errorf("health: status=%d, want 200", w.Code)
	}
	// Without a token configured, loopback admin calls need none.
	open := newTest(t)
	if w := serve(open, request(http.MethodPost, "/_iamlocal/reset", "")); w.Code != http.StatusOK {
		t.Errorf("reset without a configured token: status=%d, want 200: %s", w.Code, w.Body)
	}
}

// BenchmarkGuardCheck is what the guard adds to every request an SDK sends.
func BenchmarkGuardCheck(b *testing.B) {
	g := newGuard(&Options{AllowHosts: []string{"host.docker.internal"}})
	r := request(http.MethodPost, "/", "application/x-www-form-urlencoded; charset=utf-8", "User-Agent", "aws-sdk-go-v2/1.36.3 os/linux lang/go#1.26.8")
	b.ReportAllocs()
	for b.Loop() {
		if g.check(r) != nil {
			b.Fatal("refused")
		}
	}
}
