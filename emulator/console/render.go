package console

import (
	"bytes"
	"html/template"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamlocal/iamlocal/wire"
)

// pages are the console's page templates, parsed on first use: parsing
// them all takes about 10 ms, which the server's start should not wait for.
var pages = sync.OnceValue(parsePages)

// parsePages parses each page's template with the layout around it.
func parsePages() map[string]*template.Template {
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(n.Name(), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		pages[name] = template.Must(template.New(name).Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+n.Name()))
	}
	return pages
}

var templateFuncs = template.FuncMap{
	// pageWith is the page's view with other data, for a template that
	// shows a part of the page (passwordform).
	"pageWith": func(v view, data any) view { v.Data = data; return v },
	"timeOf":   formatTime,

	// The IAM views' (views_policies.go).
	"isAWSPolicy": func(arn *string) bool { return isAWSPolicy(aws.ToString(arn)) },
	"policyPath":  func(arn *string) string { return policyPath(aws.ToString(arn)) },
}

// view is what every page's template gets.
type view struct {
	T        texts
	Lang     string
	CSRF     string
	Path     string // the page's own path, for the language links
	User     string // the signed-in user's name, "" before sign-in
	Account  string
	Role     string // the switched-to role's name, "" for the user itself
	Flash    string // a notice from the previous request, as text
	SignedIn bool
	Data     any

	// RoleAccount is the switched-to role's account, for the header.
	RoleAccount string
}

// render writes the page named name with data, status 200.
func (p *page) render(name string, data any) error {
	p.renderStatus(name, data)
	return nil
}

// renderStatus writes the page named name with data; the status is
// whatever was written before (200 when nothing was).
func (p *page) renderStatus(name string, data any) {
	v := view{T: p.T, Lang: p.T.lang, Path: p.path, Data: data}
	if v.Path == "" && p.r.Method == http.MethodGet {
		v.Path = p.r.URL.Path
	} else if v.Path == "" {
		v.Path = Prefix
	}
	if s := p.s; s != nil {
		v.CSRF = s.csrf
		if k := s.takeFlash(); k != "" {
			v.Flash = p.T.Get(k)
		}
		s.mu.Lock()
		if s.user != nil {
			v.User, v.Account = s.user.UserName, s.user.Account
		}
		v.Role = s.roleName
		v.SignedIn = s.stage == stageSignedIn
		s.mu.Unlock()
	}
	if v.Role != "" && p.ctx != nil {
		v.RoleAccount = wire.CallerFrom(p.ctx).Account
	}
	var buf bytes.Buffer
	if err := pages()[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		p.c.log.Error("console: render", "page", name, "error", err)
		http.Error(p.w, "internal error", http.StatusInternalServerError)
		return
	}
	p.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	p.w.Write(buf.Bytes())
}

// langCookie remembers the language the switch chose.
const langCookie = "iamlocal-console-lang"

// textsFor is the texts in the language the switch chose, else the first
// of the browser's Accept-Language the console has, else English.
func textsFor(r *http.Request) texts {
	if ck, err := r.Cookie(langCookie); err == nil {
		if t, ok := textsIn(ck.Value); ok {
			return t
		}
	}
	t, _ := textsIn(preferredLanguage(r.Header.Get("Accept-Language")))
	return t
}

// preferredLanguage is the supported language the Accept-Language header
// ranks highest: "ja" or "en".
func preferredLanguage(header string) string {
	best, bestQ := "en", -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q = parseQ(v)
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if _, ok := messages[base]; ok && q > bestQ && q > 0 {
			best, bestQ = base, q
		}
	}
	return best
}

// parseQ reads a quality value ("0.8"); anything malformed counts as 0.
func parseQ(v string) float64 {
	q, frac, seen := 0.0, 0.1, false
	for i, c := range v {
		switch {
		case c >= '0' && c <= '9' && !seen:
			q = q*10 + float64(c-'0')
		case c == '.' && !seen && i > 0:
			seen = true
		case c >= '0' && c <= '9':
			q += float64(c-'0') * frac
			frac /= 10
		default:
			return 0
		}
	}
	return min(q, 1)
}

// switchLanguage remembers lang (?lang=ja on any page) and sends the
// browser back to the page without the parameter.
func switchLanguage(w http.ResponseWriter, r *http.Request, lang string) {
	if _, ok := messages[lang]; ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: Prefix, HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 365 * 24 * 3600})
	}
	back := path.Clean(r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		back += "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
