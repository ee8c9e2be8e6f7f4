package console

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/wire"
)

// Prefix is the path the console is served under.
const Prefix = "/console/"

// maxFormBytes caps a form's body, as the API caps a request's: the
// largest field is a certificate body (16 KiB).
const maxFormBytes = 1 << 20

// Options configure a Console.
type Options struct {
	Log *slog.Logger
}

// Console serves the sign-in console of an emulator.
type Console struct {
	emu      *emulator.Emulator
	log      *slog.Logger
	mux      *http.ServeMux
	sessions *sessions
	static   http.Handler
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// New builds the console of e.
func New(e *emulator.Emulator, o Options) *Console {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	static, _ := fs.Sub(staticFS, "static")
	c := &Console{emu: e, log: o.Log, mux: http.NewServeMux(), sessions: newSessions(e.Clock()),
		static: http.StripPrefix(Prefix+"static/", http.FileServerFS(static))}
	c.routes()
	return c
}

// Mount builds the console of e and serves it at Prefix, in e's handler.
func Mount(e *emulator.Emulator, o Options) *Console {
	c := New(e, o)
	e.Mount(Prefix, c)
	return c
}

// routes is the console's table of contents.
func (c *Console) routes() {
	c.mux.Handle("GET "+Prefix+"static/", c.static)
	c.public("GET "+Prefix+"{$}", c.start)
	c.public("GET "+Prefix+"signin", c.signInPage)
	c.public("GET "+Prefix+"{account}", c.signInPage) // AWS's sign-in URL form
	c.public("POST "+Prefix+"signin", c.signIn)
	c.public("GET "+Prefix+"mfa", c.mfaPage)
	c.public("POST "+Prefix+"mfa", c.mfaCode)
	c.public("GET "+Prefix+"password", c.forcedChangePage)
	c.public("POST "+Prefix+"password", c.forcedChange)
	c.public("POST "+Prefix+"signout", c.signOut)

	c.page("GET "+Prefix+"home", c.home)
	c.credentialRoutes()
	c.viewRoutes()
}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: under no-referrer a browser sends
	// "Origin: null" with the console's own form posts, which the origin
	// check refuses (seen in Chromium, conformance/console).
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	if lang := r.URL.Query().Get("lang"); lang != "" && r.Method == http.MethodGet {
		switchLanguage(w, r, lang)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	c.mux.ServeHTTP(w, r)
}

// page is one request to a console page.
type page struct {
	c   *Console
	w   http.ResponseWriter
	r   *http.Request
	s   *session // nil on a public page before the session exists
	ctx context.Context
	T   texts
	// path is the page a language switch reloads, when it is not the
	// request's own (a form's answer).
	path string
}

// pageHandler answers one page request; an *wire.Error it returns is shown
// in the page, any other error as a generic failure.
type pageHandler func(p *page) error

// public registers a page that needs no sign-in: the sign-in steps. It
// still has a session (for the CSRF token), made on first visit.
func (c *Console) public(pattern string, h pageHandler) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p := &page{c: c, w: w, r: r, s: c.sessions.fromRequest(r), ctx: r.Context(), T: textsFor(r)}
		if r.Method == http.MethodPost && !p.csrfValid() {
			p.refuseCSRF()
			return
		}
		c.finish(p, h(p))
	})
}

// page registers a page of the signed-in user: without a signed-in
// session it redirects to the sign-in page; POSTs need the CSRF token;
// p.ctx carries the signed-in principal.
func (c *Console) page(pattern string, h pageHandler) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p := &page{c: c, w: w, r: r, s: c.sessions.fromRequest(r), T: textsFor(r)}
		if p.s == nil {
			p.redirect(Prefix + "signin")
			return
		}
		if !p.atStage(stageSignedIn) {
			return
		}
		if r.Method == http.MethodPost && !p.csrfValid() {
			p.refuseCSRF()
			return
		}
		caller, err := c.callerOf(r, p.s)
		if errors.Is(err, emulator.ErrConsoleSignedOut) {
			c.sessions.end(w, p.s)
			p.redirect(Prefix + "signin")
			return
		}
		if err != nil {
			c.finish(p, err)
			return
		}
		p.ctx = wire.WithCaller(r.Context(), caller)
		c.finish(p, h(p))
	})
}

// callerOf is the principal a signed-in session acts as: the switched-to
// role's session, or the IAM user, with this request's source address and
// user agent (aws:SourceIp, aws:UserAgent).
func (c *Console) callerOf(r *http.Request, s *session) (wire.Caller, error) {
	var caller wire.Caller
	user, mfaTime, roleKeyID := s.principal()
	if roleKeyID != "" {
		k, err := c.emu.LookupKey(r.Context(), roleKeyID)
		if err == nil && !k.Expired {
			caller = k.Caller
			caller.AccessKeyID = roleKeyID // as the router sets it: a session's policies are found by its key
		} else {
			s.switchBack()
		}
	}
	if caller.ARN == "" {
		var err error
		if caller, err = c.emu.ConsoleCaller(user.Account, user.UserID, mfaTime); err != nil {
			return wire.Caller{}, err
		}
	}
	return withRequest(caller, r), nil
}

// withRequest is caller with r's source address and user agent
// (aws:SourceIp, aws:UserAgent).
func withRequest(caller wire.Caller, r *http.Request) wire.Caller {
	caller.SourceIP, caller.UserAgent, caller.Secure = peerIP(r.RemoteAddr), r.UserAgent(), r.TLS != nil
	return caller
}

// finish answers a handler's error, if any: an AWS error in the error
// page with its status, anything else as a generic failure.
func (c *Console) finish(p *page, err error) {
	if err == nil {
		return
	}
	var we *wire.Error
	if errors.As(err, &we) {
		p.w.WriteHeader(we.Status)
		p.renderStatus("error", awsError(we))
		return
	}
	c.log.Error("console", "path", p.r.URL.Path, "error", err)
	p.w.WriteHeader(http.StatusInternalServerError)
	p.renderStatus("error", &errorView{Message: p.T.Get("error.internal")})
}

// errorView is an error as a page shows it.
type errorView struct {
	Code, Message string
	Status        int
}

func awsError(we *wire.Error) *errorView {
	return &errorView{Code: we.Code, Message: we.Message, Status: we.Status}
}

// asAWSError is err as a page shows it when it is an AWS error; other
// errors are returned for finish.
func asAWSError(err error) (*errorView, error) {
	var we *wire.Error
	if errors.As(err, &we) {
		return awsError(we), nil
	}
	return nil, err
}

func (p *page) redirect(path string) { http.Redirect(p.w, p.r, path, http.StatusSeeOther) }

func (p *page) refuseCSRF() {
	p.w.WriteHeader(http.StatusForbidden)
	p.renderStatus("error", &errorView{Message: p.T.Get("error.csrf")})
}

// flash sets a notice for the next page the session shows.
func (p *page) flash(key string) {
	if p.s != nil {
		p.s.setFlash(key)
	}
}

func peerIP(remoteAddr string) string {
	host := remoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// pathSegment is s escaped for one segment of a console URL.
func pathSegment(s string) string { return url.PathEscape(s) }
