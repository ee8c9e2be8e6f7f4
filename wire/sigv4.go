package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
// terminator, date), all in parseSignature; then, after the key lookup, the
// session token and the signature.
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

// parseSignature finds and parses the request's SigV4 parameters (the
// Authorization header, else the presigned query: X-Amz-Algorithm, …) and
// runs every check AWS runs before it looks the access key up, in AWS's
// order: the date window against now comes before the credential checks,
// and service (the action's, "iam" or "sts"; "" for an unknown action, whose
// scope is not checked) joins the one message that lists every scope
// problem. query is the URL's own parameters, not the form body.
//
// Once the credential has been read, the signature is returned even with an
// error, so that the log line can name the access key id.
func parseSignature(r *http.Request, query url.Values, service string, now time.Time) (*signature, *Error) {
	auth := first(r.Header["Authorization"])
	algs, presigned := query["X-Amz-Algorithm"]
	switch {
	case auth != "" && presigned:
		return nil, headerAndQuerySigned()
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
		return s, werr
	}
	if werr := s.checkTime(now); werr != nil {
		return s, werr
	}
	if !signsHost(s.SignedHeaders) {
		return s, hostNotSigned()
	}
	if alg != sigAlgorithm {
		return s, unsupportedAlgorithm(alg)
	}
	if werr := s.parseCredential(cred, service); werr != nil {
		return s, werr
	}
	return s, nil
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
			return "", "", notKeyValuePair(tok, auth)
		}
		switch k {
		case "Credential":
			cred = v
			s.AccessKeyID = keyIDOf(v)
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
		return "", "", incompleteAuthorization(auth, cred == "", sig == "", !haveSigned, date == "")
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
	s.AccessKeyID = keyIDOf(cred)
	if alg == "" || cred == "" || sig == "" || signed == "" || date == "" {
		var missing []string
		for _, p := range [...]struct{ name, value string }{
			{"X-Amz-Algorithm", alg}, {"X-Amz-Credential", cred}, {"X-Amz-Signature", sig},
			{"X-Amz-SignedHeaders", signed}, {"X-Amz-Date", date},
		} {
			if p.value == "" {
				missing = append(missing, p.name)
			}
		}
		return "", "", incompletePresignedQuery(missing)
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
	return badSignatureDate(v)
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
		return badCredentialElements(cred)
	}
	key, scope, _ := strings.Cut(c, "/")
	date, rest, _ := strings.Cut(scope, "/")
	region, rest, _ := strings.Cut(rest, "/")
	svc, term, _ := strings.Cut(rest, "/")
	s.AccessKeyID, s.ScopeDate, s.Region, s.Service, s.scope = key, date, region, svc, scope

	var f scopeFaults
	f.region = !validRegion(region)
	if service != "" && svc != service {
		f.service = service
	}
	if term != sigTerminator {
		f.term = term
	}
	if date != string(s.amzDate[:8]) {
		f.date, f.amzDate = date, string(s.amzDate[:])
	}
	if f == (scopeFaults{}) {
		return nil
	}
	return badCredentialScope(f)
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

// checkTime checks the signature's date against now: 15 minutes either way.
// Presigned requests get the same window: STS does not honour X-Amz-Expires
// (presigned GetCallerIdentity URLs live 15 minutes whatever it says, which
// EKS tokens with X-Amz-Expires=60 rely on), so Expires is only recorded.
func (s *signature) checkTime(now time.Time) *Error {
	now = now.UTC().Truncate(time.Second)
	if earliest := now.Add(-sigSkew); s.Time.Before(earliest) {
		return signatureExpired(s.Time, earliest, now)
	}
	if latest := now.Add(sigSkew); s.Time.After(latest) {
		return signatureNotYetCurrent(s.Time, latest, now)
	}
	return nil
}

// tokenMatches compares X-Amz-Security-Token with the key's session token
// (empty for a long-term key) in constant time.
func (s *signature) tokenMatches(want string) bool {
	return want == "" && s.SecurityToken == "" || want != "" && constantTimeEqual(want, s.SecurityToken)
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

// verify recomputes the signature with secret over the request as received.
// (parseSignature has checked the date window.) The payload hash is always
// that of the body received: AWS does not take X-Amz-Content-Sha256's word
// for it, so a body changed after signing fails, and "UNSIGNED-PAYLOAD" is
// just a mismatch.
func (s *signature) verify(r *http.Request, body []byte, secret string) *Error {
	cb := canonPool.Get().(*canonBuf)
	defer cb.release()
	creq := sha256.Sum256(cb.canonicalRequest(r, s, body))
	key := signingKey(secret, s.ScopeDate, s.Region, s.Service)
	sum := cb.sign(&key, s, &creq)
	var got [64]byte
	hex.Encode(got[:], sum[:])
	if !constantTimeEqual(got[:], s.Signature) {
		return signatureMismatch()
	}
	return nil
}

// keyIDOf is the access key id of a Credential parameter.
func keyIDOf(cred string) string {
	id, _, _ := strings.Cut(cred, "/")
	return id
}
