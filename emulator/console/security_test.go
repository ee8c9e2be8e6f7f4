package console_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSessionCookie(t *testing.T) {
	s := start(t)
	s.consoleUser(t, "taro", "Passw0rd!x", false, nil)
	b := s.browser(t)
	b.get("/console/signin")
	before := sessionCookie(t, b.header)
	b.postRaw("/console/signin", url.Values{"csrf": {b.csrf()}, "account": {account}, "username": {"taro"}, "password": {"Passw0rd!x"}}, b.base)
	if got, want := b.status, http.StatusSeeOther; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	after := sessionCookie(t, b.header)
	for _, c := range []*http.Cookie{before, after} {
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/console/" {
			t.Fatalf("cookie %q: HttpOnly=%v SameSite=%v Path=%q, want HttpOnly, Strict, /console/", c.Name, c.HttpOnly, c.SameSite, c.Path)
		}
		if got, want := len(c.Value), 26; got != want { // rand.Text: 128 bits
			t.Fatalf("session id length=%d, want %d", got, want)
		}
	}
	if before.Value == after.Value {
		t.Fatal("signing in kept the session id of the sign-in page")
	}
	if loc := b.header.Get("Location"); strings.Contains(loc, "?") {
		t.Fatalf("redirect after sign-in carries a query: %q", loc)
	}
}

// sessionCookie is the session cookie the response set (the last one).
func sessionCookie(t testing.TB, h http.Header) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == "iamlocal-console" && c.Value != "" {
			found = c
		}
	}
	if found == nil {
		t.Fatalf("no session cookie in %v", h["Set-Cookie"])
	}
	return found
}

func TestCSRFRefused(t *testing.T) {
	s, b := signedIn(t)
	for name, token := range map[string]string{"missing": "", "wrong": "AAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		t.Run(name, func(t *testing.T) {
			form := url.Values{}
			if token != "" {
				form.Set("csrf", token)
			}
			b.postRaw("/console/security-credentials/keys/create", form, b.base)
			if got, want := b.status, http.StatusForbidden; got != want {
				t.Fatalf("status=%d, want %d", got, want)
			}
			b.wantText("This form has expired or did not come from this console.")
		})
	}
	t.Run("sign-in", func(t *testing.T) {
		b := s.browser(t)
		b.get("/console/signin")
		b.postRaw("/console/signin", url.Values{"account": {account}, "username": {"taro"}, "password": {"Passw0rd!x"}}, b.base)
		if got, want := b.status, http.StatusForbidden; got != want {
			t.Fatalf("status=%d, want %d", got, want)
		}
	})
	b.get("/console/security-credentials")
	b.wantText("No access keys.")
}

func TestCrossSitePostRefusedByGuard(t *testing.T) {
	s, b := signedIn(t)
	b.postRaw("/console/security-credentials/keys/create", url.Values{"csrf": {b.csrf()}}, "http://evil.example")
	if got, want := b.status, http.StatusForbidden; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	if !strings.Contains(b.body, "iamlocal refused a request a web page sent") {
		t.Fatalf("the refusal is not the guard's:\n%s", b.body)
	}
	b.get("/console/security-credentials")
	b.wantText("No access keys.")

	// A real browser sends no SameSite=Strict cookie from another site.
	for dest, want := range map[string]int{"document": http.StatusOK, "iframe": http.StatusForbidden} {
		t.Run("navigation from another site to "+dest, func(t *testing.T) {
			b := s.browser(t)
			req, _ := http.NewRequest(http.MethodGet, b.base+"/console/123456789012", nil)
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.Header.Set("Sec-Fetch-Mode", "navigate")
			req.Header.Set("Sec-Fetch-Dest", dest)
			b.do(req)
			if got := b.status; got != want {
				t.Fatalf("status=%d, want %d", got, want)
			}
		})
	}
}

func TestPageHeaders(t *testing.T) {
	_, b := signedIn(t)
	for name, want := range map[string]string{
		"Cache-Control":   "no-store",
		"X-Frame-Options": "DENY",
	} {
		if got := b.header.Get(name); got != want {
			t.Fatalf("%s=%q, want %q", name, got, want)
		}
	}
	if csp := b.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src") {
		t.Fatalf("Content-Security-Policy=%q, want frames refused and no scripts", csp)
	}
}

var urlAttr = regexp.MustCompile(`(?:href|action|src)="([^"]*)"`)

// TestNoSecretInURLs checks every link and form of the page that shows a
// new key's secret and a new MFA device's seed.
func TestNoSecretInURLs(t *testing.T) {
	_, b := signedIn(t)
	b.post("/console/security-credentials/mfa/create", url.Values{"name": {"taro"}})
	b.post("/console/security-credentials/keys/create", url.Values{})
	page := html.UnescapeString(b.body)
	secret := newKeySecret.FindStringSubmatch(page)
	seed := mfaSecret.FindStringSubmatch(page)
	if secret == nil || seed == nil {
		t.Fatalf("the page shows no secret and seed:\n%s", b.text())
	}
	for _, m := range urlAttr.FindAllStringSubmatch(page, -1) {
		u := m[1]
		if strings.HasPrefix(u, "data:image/png;base64,") {
			continue
		}
		if strings.Contains(u, secret[1]) || strings.Contains(u, seed[1]) || strings.Contains(u, "csrf") {
			t.Fatalf("URL %q carries a secret", u)
		}
		if _, query, _ := strings.Cut(u, "?"); query != "" && !strings.HasPrefix(query, "lang=") {
			t.Fatalf("URL %q has a query", u)
		}
	}
}
