package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SigV4 as IAM and STS check it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html).
//
// The checks run in the order AWS's front end runs them, and their texts are
// AWS's own, as recorded from real services: an unsigned request, the
// Authorization header's key=value syntax and required parameters, the date
// format, the date window, Host among the signed headers, the algorithm, the
// credential's five elements, the credential scope (region, service,
// terminator, date), then (after the key lookup) the signature and the
// session token.
const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	sigTerminator = "aws4_request"
	sigSkew       = 15 * time.Minute
	amzDateLayout = "20060102T150405Z"
)

// signature is a parsed SigV4 signature, from the Authorization header or a
// presigned query string. Its strings are substrings of the request's own.
type signature struct {
	AccessKeyID     string
	Region, Service string    // credential scope
	Time            time.Time // X-Amz-Date (or Date header), UTC
	SecurityToken   string    // X-Amz-Security-Token header or query parameter, "" if absent

	Presigned     bool
	Expires       int64  // X-Amz-Expires in seconds, -1 when absent; see checkTime
	ScopeDate     string // the credential scope's YYYYMMDD
	SignedHeaders string // as the client listed them: "content-type;host;x-amz-date"
	Signature     string // hex, as sent

	scope   string   // date/region/service/aws4_request, as it enters the string to sign
	amzDate [16]byte // Time as YYYYMMDDTHHMMSSZ
}

// parseSignature finds and parses the request's SigV4 parameters: the
// Authorization header, else the presigned query (X-Amz-Algorithm, …).
// query is the URL's own parameters, not the form body. It reports every
// error AWS reports before it looks the access key up, except the date window
// (verify, or checkTime) and the scope's service (checkService).
func parseSignature(r *http.Request, query url.Values) (*signature, *Error) {
	return parseSignatureFor(r, query, "", time.Time{})
}

// parseSignatureFor is parseSignature with AWS's complete pre-lookup order:
// given the service of the action ("iam" or "sts") and the current time, it
// also reports the date window and a wrong service where AWS does, that is,
// before the credential checks, and the service within the one scope message
// that lists every scope problem. An empty service or a zero now skips that
// check.
func parseSignatureFor(r *http.Request, query url.Values, service string, now time.Time) (*signature, *Error) {
	auth := first(r.Header["Authorization"])
	algs, presigned := query["X-Amz-Algorithm"]
	switch {
	case auth != "" && presigned:
		return nil, Errorf("SignatureDoesNotMatch", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
	case auth == "" && !presigned:
		return nil, missingAuthenticationToken()
	}
	s := &signature{Expires: -1}
	var alg, cred string
	var werr *Error
	if presigned {
		alg, cred, werr = s.parseQuery(r, query, first(algs))
	} else {
		alg, cred, werr = s.parseHeader(r, auth)
	}
	if werr != nil {
		return nil, werr
	}
	if !now.IsZero() {
		if werr := s.checkTime(now); werr != nil {
			return nil, werr
		}
	}
	if !signsHost(s.SignedHeaders) {
		return nil, Errorf("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if alg != sigAlgorithm {
		return nil, Errorf("IncompleteSignature", "Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg)
	}
	if werr := s.parseCredential(cred, service); werr != nil {
		return nil, werr
	}
	return s, nil
}

func missingAuthenticationToken() *Error {
	return Errorf("MissingAuthenticationToken", "Request is missing Authentication Token")
}

// parseHeader reads "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".
// AWS splits the parameters at commas and white space alike, so a stray space
// inside a value shows up as a pair without "=".
func (s *signature) parseHeader(r *http.Request, auth string) (alg, cred string, werr *Error) {
	if !strings.HasPrefix(auth, "AWS4-") {
		return "", "", missingAuthenticationToken()
	}
	alg, rest := auth, ""
	if i := strings.IndexAny(auth, " \t"); i >= 0 {
		alg, rest = auth[:i], auth[i+1:]
	}
	var sig, signed string
	var haveSigned bool
	for rest != "" {
		i := 0
		for i < len(rest) && isAuthSep(rest[i]) {
			i++
		}
		j := i
		for j < len(rest) && !isAuthSep(rest[j]) {
			j++
		}
		tok := rest[i:j]
		rest = rest[j:]
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return "", "", Errorf("IncompleteSignature", "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", tok, auth)
		}
		switch k {
		case "Credential":
			cred = v
		case "Signature":
			sig = v
		case "SignedHeaders":
			signed, haveSigned = v, true
		}
	}
	date, amz := first(r.Header["X-Amz-Date"]), true
	if date == "" {
		date, amz = first(r.Header["Date"]), false
	}
	if cred == "" || sig == "" || !haveSigned || date == "" {
		var missing []string
		if cred == "" {
			missing = append(missing, "Authorization header requires 'Credential' parameter.")
		}
		if sig == "" {
			missing = append(missing, "Authorization header requires 'Signature' parameter.")
		}
		if !haveSigned {
			missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
		}
		if date == "" {
			missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		}
		return "", "", Errorf("IncompleteSignature", "%s Authorization=%s", strings.Join(missing, " "), auth)
	}
	if werr := s.setTime(date, !amz); werr != nil {
		return "", "", werr
	}
	s.Signature, s.SignedHeaders = sig, signed
	s.SecurityToken = first(r.Header["X-Amz-Security-Token"])
	return alg, cred, nil
}

func isAuthSep(c byte) bool { return c == ',' || c == ' ' || c == '\t' }

// parseQuery reads a presigned request's X-Amz-* parameters, the first value
// of each.
func (s *signature) parseQuery(r *http.Request, query url.Values, alg string) (string, string, *Error) {
	if alg != "" && !strings.HasPrefix(alg, "AWS4-") {
		return "", "", missingAuthenticationToken()
	}
	cred := first(query["X-Amz-Credential"])
	sig := first(query["X-Amz-Signature"])
	signed := first(query["X-Amz-SignedHeaders"])
	date := first(query["X-Amz-Date"])
	if alg == "" || cred == "" || sig == "" || signed == "" || date == "" {
		var b strings.Builder
		for _, p := range [...]struct{ name, value string }{
			{"X-Amz-Algorithm", alg}, {"X-Amz-Credential", cred}, {"X-Amz-Signature", sig},
			{"X-Amz-SignedHeaders", signed}, {"X-Amz-Date", date},
		} {
			if p.value == "" {
				b.WriteString("AWS query-string parameters must include '" + p.name + "'. ")
			}
		}
		b.WriteString("Re-examine the query-string parameters.")
		return "", "", Errorf("IncompleteSignature", "%s", b.String())
	}
	if werr := s.setTime(date, false); werr != nil {
		return "", "", werr
	}
	s.Presigned, s.Signature, s.SignedHeaders = true, sig, signed
	if v := first(query["X-Amz-Expires"]); v != "" {
		if e, err := strconv.ParseInt(v, 10, 64); err == nil {
			s.Expires = e
		}
	}
	s.SecurityToken = first(query["X-Amz-Security-Token"])
	if s.SecurityToken == "" {
		s.SecurityToken = first(r.Header["X-Amz-Security-Token"])
	}
	return alg, cred, nil
}

// setTime parses X-Amz-Date, or the Date header, which may also be an HTTP
// date ("Mon, 09 Sep 2011 23:36:00 GMT", as AWS's original test suite signs).
func (s *signature) setTime(v string, httpDate bool) *Error {
	if t, ok := parseAmzDate(v); ok {
		s.Time = t
		copy(s.amzDate[:], v)
		return nil
	}
	if httpDate {
		if t, err := http.ParseTime(v); err == nil {
			s.Time = t.UTC()
			s.Time.AppendFormat(s.amzDate[:0], amzDateLayout)
			return nil
		}
	}
	return Errorf("IncompleteSignature", "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", v)
}

// parseAmzDate parses YYYYMMDDTHHMMSSZ without allocating.
func parseAmzDate(v string) (time.Time, bool) {
	if len(v) != 16 || v[8] != 'T' || v[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d := num(v[0:4]), num(v[4:6]), num(v[6:8])
	h, mi, sec := num(v[9:11]), num(v[11:13]), num(v[13:15])
	if y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // February 30th and the like
	}
	return t, true
}

// signsHost reports whether the signed headers include Host (any case), as
// AWS requires.
func signsHost(signed string) bool {
	for signed != "" {
		var name string
		name, signed, _ = strings.Cut(signed, ";")
		if strings.EqualFold(name, "host") || name == ":authority" {
			return true
		}
	}
	return false
}

// parseCredential splits keyid/date/region/service/aws4_request and checks the
// scope. Trailing slashes do not count, as in Java's String.split.
func (s *signature) parseCredential(cred, service string) *Error {
	end := len(cred)
	for end > 0 && cred[end-1] == '/' {
		end--
	}
	c := cred[:end]
	if strings.Count(c, "/") != 4 {
		return Errorf("IncompleteSignature", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	key, scope, _ := strings.Cut(c, "/")
	date, rest, _ := strings.Cut(scope, "/")
	region, rest, _ := strings.Cut(rest, "/")
	svc, term, _ := strings.Cut(rest, "/")
	s.AccessKeyID, s.ScopeDate, s.Region, s.Service, s.scope = key, date, region, svc, scope

	badRegion := !validRegion(region)
	badService := service != "" && svc != service
	badTerm := term != sigTerminator
	badDate := date != string(s.amzDate[:8])
	if !badRegion && !badService && !badTerm && !badDate {
		return nil
	}
	var b strings.Builder
	if badRegion {
		b.WriteString("Credential should be scoped to a valid region. ")
	}
	if badService {
		b.WriteString("Credential should be scoped to correct service: '" + service + "'. ")
	}
	if badTerm {
		b.WriteString("Credential should be scoped with a valid terminator: 'aws4_request', not '" + term + "'. ")
	}
	if badDate {
		b.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			date + "' != '" + string(s.amzDate[:8]) + "', from '" + string(s.amzDate[:]) + "'. ")
	}
	return Errorf("SignatureDoesNotMatch", "%s", b.String())
}

// validRegion accepts any syntactically valid region name: users sign IAM
// calls with whatever region their profile names.
func validRegion(r string) bool {
	if r == "" || len(r) > 64 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkService reports AWS's error when the scope's service is not the one
// the action belongs to ("iam" or "sts").
func (s *signature) checkService(service string) *Error {
	if s.Service == service {
		return nil
	}
	return Errorf("SignatureDoesNotMatch", "Credential should be scoped to correct service: '%s'. ", service)
}

// checkTime checks the signature's date against now: 15 minutes either way.
// Presigned requests get the same window: STS does not honour X-Amz-Expires
// (presigned GetCallerIdentity URLs live 15 minutes whatever it says, which
// EKS tokens with X-Amz-Expires=60 rely on), so Expires is only recorded.
func (s *signature) checkTime(now time.Time) *Error {
	now = now.UTC().Truncate(time.Second)
	if earliest := now.Add(-sigSkew); s.Time.Before(earliest) {
		return Errorf("SignatureDoesNotMatch", "Signature expired: %s is now earlier than %s (%s - 15 min.)",
			s.Time.Format(amzDateLayout), earliest.Format(amzDateLayout), now.Format(amzDateLayout))
	}
	if latest := now.Add(sigSkew); s.Time.After(latest) {
		return Errorf("SignatureDoesNotMatch", "Signature not yet current: %s is still later than %s (%s + 15 min.)",
			s.Time.Format(amzDateLayout), latest.Format(amzDateLayout), now.Format(amzDateLayout))
	}
	return nil
}

// checkToken compares X-Amz-Security-Token with the key's session token
// (empty for a long-term key) in constant time.
func (s *signature) checkToken(want string) *Error {
	if want == "" && s.SecurityToken == "" || want != "" && constantTimeEqual(want, s.SecurityToken) {
		return nil
	}
	return Errorf("InvalidClientTokenId", "The security token included in the request is invalid")
}

// constantTimeEqual compares a and b in time that depends only on their
// lengths.
func constantTimeEqual[A, B ~string | ~[]byte](a A, b B) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// verify recomputes the signature with secret over the request as received
// and checks the date window against now. The payload hash is always that of
// the body received: AWS does not take X-Amz-Content-Sha256's word for it, so
// a body changed after signing fails, and "UNSIGNED-PAYLOAD" is just a
// mismatch.
func (s *signature) verify(r *http.Request, body []byte, secret string, now time.Time) *Error {
	if werr := s.checkTime(now); werr != nil {
		return werr
	}
	cb := canonPool.Get().(*canonBuf)
	defer cb.release()
	creq := sha256.Sum256(cb.canonicalRequest(r, s, body))
	key := signingKey(secret, s.ScopeDate, s.Region, s.Service)
	sum := cb.sign(&key, s, &creq)
	var got [64]byte
	hex.Encode(got[:], sum[:])
	if !constantTimeEqual(got[:], s.Signature) {
		return Errorf("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

// canonBuf holds the buffers one verification needs; pooled so that the hot
// path does not allocate.
type canonBuf struct {
	b, scratch []byte
	pairs      []queryPair
}

// queryPair locates one encoded name=value pair in canonBuf.scratch.
type queryPair struct{ k0, k1, v0, v1 int }

var canonPool = sync.Pool{New: func() any {
	return &canonBuf{b: make([]byte, 0, 1024), scratch: make([]byte, 0, 512), pairs: make([]queryPair, 0, 16)}
}}

// release returns cb to the pool unless a huge query string grew it.
func (cb *canonBuf) release() {
	if cap(cb.b) <= 64<<10 && cap(cb.scratch) <= 64<<10 && cap(cb.pairs) <= 1024 {
		canonPool.Put(cb)
	}
}

// canonicalRequest builds
//
//	METHOD\nURI\nQUERY\nname:value\n…\n\nsigned;headers\nhex(sha256(body))
func (cb *canonBuf) canonicalRequest(r *http.Request, s *signature, body []byte) []byte {
	b := append(cb.b[:0], r.Method...)
	b = append(b, '\n')
	b = appendCanonicalURI(b, requestPath(r))
	b = append(b, '\n')
	b = cb.appendCanonicalQuery(b, r.URL.RawQuery, s.Presigned)
	b = append(b, '\n')
	for names := s.SignedHeaders; names != ""; {
		var name string
		name, names, _ = strings.Cut(names, ";")
		if name != "" {
			b = appendCanonicalHeader(b, r, name)
		}
	}
	b = append(b, '\n')
	b = append(b, s.SignedHeaders...)
	b = append(b, '\n')
	sum := sha256.Sum256(body)
	b = hex.AppendEncode(b, sum[:])
	cb.b = b
	return b
}

// requestPath is the path as the client sent it, still escaped.
func requestPath(r *http.Request) string {
	u := r.RequestURI
	if u == "" || u == "*" {
		return r.URL.EscapedPath()
	}
	if u[0] != '/' { // absolute form: http://host/path
		if i := strings.Index(u, "://"); i >= 0 {
			u = u[i+3:]
			if j := strings.IndexAny(u, "/?"); j >= 0 && u[j] == '/' {
				u = u[j:]
			} else {
				u = "/"
			}
		}
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

// appendCanonicalURI normalizes the path (no empty, "." or ".." segments) and
// URI-encodes it once more. The SDKs sign their already escaped path escaped
// again, so "%20" on the wire is "%2520" here.
func appendCanonicalURI(b []byte, p string) []byte {
	if p == "" || p == "/" {
		return append(b, '/')
	}
	if strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
		strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") || p[0] != '/' {
		trailing := strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
		p = path.Clean("/" + p)
		if trailing && p != "/" {
			p += "/"
		}
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '/' || unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return b
}

// appendCanonicalQuery decodes every name and value of the raw query ("+" is
// a space), encodes them again the SigV4 way and sorts the pairs by name,
// then value. A presigned request's X-Amz-Signature is left out.
func (cb *canonBuf) appendCanonicalQuery(b []byte, raw string, presigned bool) []byte {
	if raw == "" {
		return b
	}
	sc, pairs := cb.scratch[:0], cb.pairs[:0]
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		p := queryPair{k0: len(sc)}
		sc = appendQueryComponent(sc, k)
		p.k1 = len(sc)
		if presigned && string(sc[p.k0:p.k1]) == "X-Amz-Signature" {
			sc = sc[:p.k0]
			continue
		}
		p.v0 = len(sc)
		sc = appendQueryComponent(sc, v)
		p.v1 = len(sc)
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(x, y queryPair) int {
		if c := bytes.Compare(sc[x.k0:x.k1], sc[y.k0:y.k1]); c != 0 {
			return c
		}
		return bytes.Compare(sc[x.v0:x.v1], sc[y.v0:y.v1])
	})
	for i, p := range pairs {
		if i > 0 {
			b = append(b, '&')
		}
		b = append(b, sc[p.k0:p.k1]...)
		b = append(b, '=')
		b = append(b, sc[p.v0:p.v1]...)
	}
	cb.scratch, cb.pairs = sc, pairs
	return b
}

func appendQueryComponent(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		case c == '+':
			c = ' '
		}
		if unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return b
}

const upperHex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// appendCanonicalHeader appends "name:value\n" for one signed header, the
// name as the client listed it, repeated headers joined by commas, each value
// trimmed and its runs of spaces collapsed. Go keeps Host in r.Host, not in
// r.Header. A signed header the request lacks contributes no line.
func appendCanonicalHeader(b []byte, r *http.Request, name string) []byte {
	if strings.EqualFold(name, "host") {
		host := r.Host
		if host == "" {
			host = r.URL.Host
		}
		b = append(b, name...)
		b = append(b, ':')
		b = appendHeaderValue(b, host)
		return append(b, '\n')
	}
	var vs []string
	if strings.EqualFold(name, "content-length") {
		// Go's client keeps it in r.ContentLength only.
		if vs = r.Header["Content-Length"]; vs == nil {
			if r.ContentLength < 0 {
				return b
			}
			b = append(b, name...)
			b = append(b, ':')
			b = strconv.AppendInt(b, r.ContentLength, 10)
			return append(b, '\n')
		}
	} else if vs = headerValues(r.Header, name); vs == nil {
		return b
	}
	b = append(b, name...)
	b = append(b, ':')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendHeaderValue(b, v)
	}
	return append(b, '\n')
}

// headerValues looks name up in h without allocating: first under its
// canonical MIME form, as Go's server stores headers, then case-insensitively.
func headerValues(h http.Header, name string) []string {
	var buf [128]byte
	if len(name) <= len(buf) {
		k := buf[:len(name)]
		upper := true
		for i := 0; i < len(name); i++ {
			c := name[i]
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			k[i] = c
			upper = c == '-'
		}
		if vs, ok := h[string(k)]; ok {
			return vs
		}
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			return vs
		}
	}
	return nil
}

func appendHeaderValue(b []byte, v string) []byte {
	v = strings.Trim(v, " \t")
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			space = true
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return b
}

// sign computes HMAC-SHA256(key, string to sign) with the string to sign
// built in the pooled buffer:
//
//	AWS4-HMAC-SHA256\nYYYYMMDDTHHMMSSZ\ndate/region/service/aws4_request\nhex(sha256(canonical request))
func (cb *canonBuf) sign(key *[32]byte, s *signature, creq *[32]byte) [32]byte {
	b := cb.scratch[:0]
	for i := 0; i < 64; i++ {
		k := byte(0)
		if i < len(key) {
			k = key[i]
		}
		b = append(b, k^0x36)
	}
	b = append(b, sigAlgorithm+"\n"...)
	b = append(b, s.amzDate[:]...)
	b = append(b, '\n')
	b = append(b, s.scope...)
	b = append(b, '\n')
	b = hex.AppendEncode(b, creq[:])
	inner := sha256.Sum256(b)
	cb.scratch = b
	var outer [64 + 32]byte
	for i := 0; i < 64; i++ {
		k := byte(0)
		if i < len(key) {
			k = key[i]
		}
		outer[i] = k ^ 0x5c
	}
	copy(outer[64:], inner[:])
	return sha256.Sum256(outer[:])
}

// signingKeys caches derived signing keys, keyed by secret, date, region and
// service: one entry per slot, a newer key replacing an older one, so the
// cache never holds more than len(signingKeys) keys.
var (
	signingKeys    [1024]atomic.Pointer[signingKeyEntry]
	signingKeySeed = maphash.MakeSeed()
)

type signingKeyEntry struct {
	secret, date, region, service string
	key                           [32]byte
}

// signingKey returns HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func signingKey(secret, date, region, service string) [32]byte {
	var h maphash.Hash
	h.SetSeed(signingKeySeed)
	h.WriteString(secret)
	h.WriteByte(0)
	h.WriteString(date)
	h.WriteByte(0)
	h.WriteString(region)
	h.WriteByte(0)
	h.WriteString(service)
	slot := &signingKeys[h.Sum64()%uint64(len(signingKeys))]
	if e := slot.Load(); e != nil && e.secret == secret && e.date == date && e.region == region && e.service == service {
		return e.key
	}
	e := &signingKeyEntry{
		secret: strings.Clone(secret), date: strings.Clone(date),
		region: strings.Clone(region), service: strings.Clone(service),
		key: deriveSigningKey(secret, date, region, service),
	}
	slot.Store(e)
	return e.key
}

func deriveSigningKey(secret, date, region, service string) [32]byte {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, service)
	k = mac(k, sigTerminator)
	return [32]byte(k)
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}
