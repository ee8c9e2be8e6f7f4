package console_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/console"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"golang.org/x/crypto/bcrypt"
)

const account = emulator.DefaultAccount

// testServer is an emulator with its console, served over HTTP as
// iamlocal serves it (behind the guard).
type testServer struct {
	e   *emulator.Emulator
	url string
}

func start(t testing.TB) *testServer {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{VerifyRerun: true})
	if err != nil {
		t.Fatal(err)
	}
	e := emulator.New(db, emulator.Options{PasswordCost: bcrypt.MinCost})
	console.Mount(e, console.Options{Log: slog.New(slog.NewTextHandler(tlog{t}, nil))})
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(func() { srv.Close(); e.Close(); db.Close() })
	return &testServer{e: e, url: srv.URL}
}

// tlog writes the console's log to the test's.
type tlog struct{ t testing.TB }

func (l tlog) Write(b []byte) (int, error) { l.t.Log(strings.TrimSpace(string(b))); return len(b), nil }

// root is a context acting as the account's root user.
func root() context.Context {
	return wire.WithCaller(context.Background(), wire.Caller{Account: account, ARN: "arn:aws:iam::" + account + ":root", UserID: account, Root: true})
}

// must is v, once t has failed on err: must(call(…))(t).
func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// consoleUser makes an IAM user with a console password and, in policies,
// inline policies by name.
func (s *testServer) consoleUser(t testing.TB, name, password string, resetRequired bool, policies map[string]string) {
	t.Helper()
	ctx := root()
	must(s.e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))(t)
	must(s.e.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String(password), PasswordResetRequired: resetRequired}))(t)
	for pn, doc := range policies {
		must(s.e.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String(pn), PolicyDocument: aws.String(doc)}))(t)
	}
}

// allowAll is a policy allowing every action.
const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// browser is a browser with a cookie jar: it sends what a browser sends
// for a same-origin page (Fetch Metadata, Origin on POSTs) and does not
// follow redirects, so tests see them.
type browser struct {
	t      testing.TB
	base   string
	client *http.Client
	body   string // the last page's body
	status int
	header http.Header
	lang   string
}

func (s *testServer) browser(t testing.TB) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: s.url, lang: "en", client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) {
	b.t.Helper()
	req.Header.Set("User-Agent", "Mozilla/5.0 (test)")
	req.Header.Set("Accept-Language", b.lang)
	if req.Header.Get("Sec-Fetch-Site") == "" {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.body, b.status, b.header = string(body), resp.StatusCode, resp.Header
}

// get loads path and follows redirects within the console.
func (b *browser) get(path string) {
	b.t.Helper()
	for range 5 {
		req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
		req.Header.Set("Sec-Fetch-Mode", "navigate")
		b.do(req)
		if b.status != http.StatusSeeOther && b.status != http.StatusFound {
			return
		}
		path = b.header.Get("Location")
	}
	b.t.Fatalf("too many redirects at %s", path)
}

// post submits a form to path with the CSRF token of the last page, and
// follows the redirect that answers it.
func (b *browser) post(path string, form url.Values) {
	b.t.Helper()
	if form.Get("csrf") == "" {
		form.Set("csrf", b.csrf())
	}
	b.postRaw(path, form, b.base)
	if b.status == http.StatusSeeOther {
		b.get(b.header.Get("Location"))
	}
}

// postRaw submits form to path as a page of origin would, without
// following a redirect.
func (b *browser) postRaw(path string, form url.Values, origin string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", origin)
	if origin != b.base {
		req.Header.Set("Sec-Fetch-Site", "cross-site")
	}
	b.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// csrf is the CSRF token in the last page's forms.
func (b *browser) csrf() string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.body)
	if m == nil {
		b.t.Fatalf("no CSRF token in the page:\n%s", b.body)
	}
	return m[1]
}

// text is the last page's visible text, tags removed and entities decoded,
// spaces folded.
func (b *browser) text() string {
	s := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(b.body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// wantText fails unless the last page shows want.
func (b *browser) wantText(want string) {
	b.t.Helper()
	if !strings.Contains(b.text(), want) {
		b.t.Fatalf("page (status %d) does not show %q:\n%s", b.status, want, b.text())
	}
}

// signIn goes through the sign-in form as name with password.
func (b *browser) signIn(name, password string) {
	b.t.Helper()
	b.get("/console/" + account)
	b.post("/console/signin", url.Values{"account": {account}, "username": {name}, "password": {password}})
}

// mfaDevice assigns a virtual MFA device to user name, enabled with codes
// of two steps before the current one, so the current code is fresh. It
// returns the device's serial and seed.
func (s *testServer) mfaDevice(t testing.TB, name string) (serial, seed string) {
	t.Helper()
	ctx := root()
	out := must(s.e.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)}))(t)
	serial, seed = aws.ToString(out.VirtualMFADevice.SerialNumber), string(out.VirtualMFADevice.Base32StringSeed)
	now := s.e.Clock().Now()
	must(s.e.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code(t, seed, now.Add(-60*time.Second))), AuthenticationCode2: aws.String(code(t, seed, now.Add(-30*time.Second)))}))(t)
	return serial, seed
}

// code is the TOTP code of seed at t.
func code(t testing.TB, seed string, at time.Time) string {
	t.Helper()
	return must(emulator.CodesFor(seed, at))(t).Current
}
