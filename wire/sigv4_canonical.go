package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The canonical request and signing key of SigV4 as verify recomputes them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).

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
	b = appendStringToSign(b, s, creq)
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

func appendStringToSign(b []byte, s *signature, creq *[32]byte) []byte {
	b = append(b, sigAlgorithm+"\n"...)
	b = append(b, s.amzDate[:]...)
	b = append(b, '\n')
	b = append(b, s.scope...)
	b = append(b, '\n')
	return hex.AppendEncode(b, creq[:])
}

// signingTexts returns the canonical request and the string to sign as
// verify computes them, for a debug log of a mismatch. The canonical request
// is redacted (see redactCanonical).
func (s *signature) signingTexts(r *http.Request, body []byte) (canonical, stringToSign string) {
	cb := canonPool.Get().(*canonBuf)
	defer cb.release()
	creq := cb.canonicalRequest(r, s, body)
	sum := sha256.Sum256(creq)
	return redactCanonical(string(creq)), string(appendStringToSign(nil, s, &sum))
}

// redactCanonical replaces, in a canonical request, the values of the
// session token (an X-Amz-Security-Token query parameter or header) and of
// the query parameters the model marks sensitive (Password, …): they are
// secrets, and the rest of the text is what a signer needs to compare.
func redactCanonical(creq string) string {
	lines := strings.Split(creq, "\n")
	if len(lines) < 3 {
		return creq
	}
	pairs := strings.Split(lines[2], "&")
	for i, pair := range pairs {
		if name, _, ok := strings.Cut(pair, "="); ok && (name == "X-Amz-Security-Token" || sensitiveParams()[name]) {
			pairs[i] = name + "=" + redacted
		}
	}
	lines[2] = strings.Join(pairs, "&")
	for i := 3; i < len(lines) && lines[i] != ""; i++ {
		if strings.HasPrefix(lines[i], "x-amz-security-token:") {
			lines[i] = "x-amz-security-token:" + redacted
		}
	}
	return strings.Join(lines, "\n")
}

const redacted = "[redacted]"

// sensitiveParams are the top-level input members whose shapes the model
// marks sensitive, by name.
var sensitiveParams = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, svc := range []*Service{iamService, stsService} {
		for _, op := range svc.Operations {
			if op.Input < 0 {
				continue
			}
			for _, m := range svc.Shapes[op.Input].Members {
				if svc.Shapes[m.Shape].Sensitive {
					names[m.Name] = true
				}
			}
		}
	}
	return names
})

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
