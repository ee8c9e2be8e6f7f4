package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/iamlocal/iamlocal/wire"
)

// guard stands in front of every endpoint and refuses what no program on
// this machine sends: a Host that is not one of ours (DNS rebinding), a
// request a web page made (Fetch Metadata, Origin), and, on the admin
// endpoints, a browser form post or a missing admin token. The root key is
// public, so the signature check alone does not keep a web page out.
type guard struct {
	hosts map[string]bool // allowed names beyond loopback, as hostName gives them
	token [sha256.Size]byte
	gated bool // the admin endpoints need the token
	log   *slog.Logger
}

func newGuard(o *Options) *guard {
	g := &guard{hosts: map[string]bool{}, log: o.Log}
	for _, h := range append([]string{o.ListenHost}, o.AllowHosts...) {
		if name := hostName(h); name != "" && !unspecified(name) {
			g.hosts[name] = true
		}
	}
	if o.AdminToken != "" {
		g.token, g.gated = sha256.Sum256([]byte(o.AdminToken)), true
	}
	return g
}

// wrap guards every request to next.
func (g *guard) wrap(next http.Handler) http.Handler { return g.checked(g.check, next) }

// wrapAdmin adds the admin endpoints' own checks to next.
func (g *guard) wrapAdmin(next http.Handler) http.Handler { return g.checked(g.checkAdmin, next) }

func (g *guard) checked(check func(*http.Request) *wire.Error, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := check(r); err != nil {
			g.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g *guard) check(r *http.Request) *wire.Error {
	if !g.allowed(r.Host) {
		return hostNotAllowed(clip(hostName(r.Host)))
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "cross-site", "same-site":
		if !consoleNavigation(r) {
			return crossSiteRefused(site)
		}
	}
	if origin, ok := r.Header["Origin"]; ok && !g.allowedOrigin(origin[0]) {
		return originNotAllowed(clip(origin[0]))
	}
	return nil
}

func (g *guard) checkAdmin(r *http.Request) *wire.Error {
	if ct := simpleContentType(r.Header.Get("Content-Type")); ct != "" && r.Method == http.MethodPost && fromBrowser(r) {
		return browserFormRefused(ct)
	}
	if g.gated && !(r.Method == http.MethodGet && r.URL.Path == "/_iamlocal/health") && !g.tokenSent(r) {
		return adminTokenRequired()
	}
	return nil
}

// consolePrefix is where the console (emulator/console) is mounted.
const consolePrefix = "/console/"

// consoleNavigation reports whether r is a browser opening a console page
// from a link on another site: a top-level GET, which shows the page and
// changes nothing (the console's SameSite=Strict cookie is not sent with
// it, so it is signed out). Its forms, frames and fetches stay refused.
func consoleNavigation(r *http.Request) bool {
	h := r.Header
	return r.Method == http.MethodGet && h.Get("Sec-Fetch-Mode") == "navigate" && h.Get("Sec-Fetch-Dest") == "document" &&
		strings.HasPrefix(r.URL.Path, consolePrefix)
}

// refuse answers err and logs what was refused; the log names the path,
// never the query (a presigned request's) nor any credential header.
func (g *guard) refuse(w http.ResponseWriter, r *http.Request, err *wire.Error) {
	id := wire.WriteError(w, err)
	g.log.Warn("refused request", "id", id, "method", r.Method, "path", clip(r.URL.Path), "why", err.Message)
}

// allowed reports whether host (a Host header or an Origin's authority)
// names this server: loopback, the listen address or an allowed host.
func (g *guard) allowed(host string) bool {
	name := bareHost(host)
	if ip, err := netip.ParseAddr(name); err == nil {
		ip = ip.Unmap()
		return ip.IsLoopback() || g.hosts[ip.String()]
	}
	return name == "localhost" || g.hosts[name]
}

// allowedOrigin reports whether a browser's Origin is a page of an allowed
// host; "null" (a sandboxed or file page) never is.
func (g *guard) allowedOrigin(origin string) bool {
	scheme, authority, ok := strings.Cut(origin, "://")
	return ok && (scheme == "http" || scheme == "https") && !strings.ContainsAny(authority, "/@") && g.allowed(authority)
}

func (g *guard) tokenSent(r *http.Request) bool {
	sent := r.Header.Get("X-Iamlocal-Admin-Token")
	if auth := r.Header.Get("Authorization"); sent == "" && len(auth) > len("Bearer ") && strings.EqualFold(auth[:len("Bearer ")], "Bearer ") {
		sent = auth[len("Bearer "):]
	}
	sum := sha256.Sum256([]byte(sent))
	return sent != "" && subtle.ConstantTimeCompare(sum[:], g.token[:]) == 1
}

// hostName is the host of a Host header, an authority or a --allow-host
// value as allowed compares it: lower-case, without port, brackets or
// trailing dot, and an IP address in its canonical form.
func hostName(hostport string) string {
	host := bareHost(hostport)
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return host
}

// bareHost is hostport lower-case, without port, brackets or trailing dot.
func bareHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// unspecified reports whether name is 0.0.0.0 or ::, which a server binds
// to and no client names.
func unspecified(name string) bool {
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.IsUnspecified()
}

// simpleContentType is the media type of a body a web page may send without
// a CORS preflight, or "" for any other.
func simpleContentType(contentType string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return mt
	}
	return ""
}

// fromBrowser reports whether a request looks like a browser's: browsers
// old and new send a Mozilla user agent, and add Fetch Metadata, Origin or
// Referer; SDKs, the AWS CLI, curl and Go's client send none of these.
func fromBrowser(r *http.Request) bool {
	h := r.Header
	return strings.HasPrefix(h.Get("User-Agent"), "Mozilla/") || h.Get("Sec-Fetch-Mode") != "" ||
		h.Get("Sec-Fetch-Site") != "" || h.Get("Origin") != "" || h.Get("Referer") != ""
}

// clip keeps a client's text short enough to quote in an answer or a log.
func clip(s string) string {
	const max = 255
	if len(s) > max {
		return strings.ToValidUTF8(s[:max], "") + "…"
	}
	return s
}
