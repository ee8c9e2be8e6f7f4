package wire

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/gorilla/mux"
)

// MaxBodyBytes caps a request body. IAM's largest inputs (policy documents
// of 131,072 characters, URL-encoded) fit well below it.
const MaxBodyBytes = 1 << 20

// Options configure a Router.
type Options struct {
	Credentials Credentials
	Log         *slog.Logger
	// Now is real time for the SigV4 date window; nil means time.Now.
	Now func() time.Time
}

// Router serves the Query protocol for the registered actions at "/" and
// whatever is mounted under other prefixes.
type Router struct {
	mux    *mux.Router
	creds  Credentials
	log    *slog.Logger
	now    func() time.Time
	routes map[string]*route
}

type route struct {
	op   *Operation
	b    func() (*binding, error)
	call func(ctx context.Context, b *binding, form url.Values) (any, error)
}

// NewRouter returns a Router with no actions registered.
func NewRouter(o Options) *Router {
	r := &Router{mux: mux.NewRouter(), creds: o.Credentials, log: o.Log, now: o.Now, routes: map[string]*route{}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	r.mux.Path("/").Methods(http.MethodGet, http.MethodPost).HandlerFunc(r.serveQuery)
	return r
}

// Register routes the action whose SDK input type is I to h. The action name
// comes from the type name (CreateAccessKeyInput → CreateAccessKey) and must
// be in the model, or Register panics: a bug caught at startup. The model
// and the types are joined on the action's first call, which keeps startup
// fast; Bind joins them all at once, for tests.
func Register[I, O any](r *Router, h func(context.Context, *I) (*O, error)) {
	in, out := reflect.TypeFor[I](), reflect.TypeFor[O]()
	name := strings.TrimSuffix(in.Name(), "Input")
	op := LookupOperation(name)
	if op == nil {
		panic("wire: no operation " + name + " in the model")
	}
	r.routes[name] = &route{
		op: op,
		b:  sync.OnceValues(func() (*binding, error) { return bind(op, in, out) }),
		call: func(ctx context.Context, b *binding, form url.Values) (any, error) {
			input := new(I)
			if err := b.decode(form, input); err != nil {
				return nil, err
			}
			output, err := h(ctx, input)
			if err != nil {
				return nil, err
			}
			return output, nil
		},
	}
}

// Bind joins every registered action's model and types now, reporting the
// first mismatch.
func (r *Router) Bind() error {
	for name, rt := range r.routes {
		if _, err := rt.b(); err != nil {
			return fmt.Errorf("wire: %s: %w", name, err)
		}
	}
	return nil
}

// Mount serves h for every path under prefix.
func (r *Router) Mount(prefix string, h http.Handler) { r.mux.PathPrefix(prefix).Handler(h) }

// ServeHTTP implements http.Handler.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.mux.ServeHTTP(w, req) }

// exchange is one Query request as it moves through the router.
type exchange struct {
	id     string
	start  time.Time
	action string
	caller *routedCaller
	keyID  string // the access key id the request was signed with, once read
	ns     string
}

// routedCaller is an authenticated caller with the slot its copies'
// NoteTarget fill: one allocation, and the exchange stays on the stack.
type routedCaller struct {
	Caller
	target string // the resource the handler acted on
}

func (r *Router) serveQuery(w http.ResponseWriter, req *http.Request) {
	x := &exchange{id: newRequestID(), start: time.Now(), ns: namespaceIAM}
	w.Header().Set("x-amzn-RequestId", x.id)
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("panic", "request", x.id, "action", x.action, "panic", p)
			r.respond(w, x, nil, nil, serviceFailure())
		}
	}()
	rt, out, err := r.handle(req, x)
	r.respond(w, x, rt, out, err)
}

// handle authenticates, dispatches, decodes and runs the request's action.
func (r *Router) handle(req *http.Request, x *exchange) (*route, any, error) {
	body, form, query, werr := readParams(req)
	if werr != nil {
		return nil, nil, werr
	}
	x.action = form.Get("Action")
	op := LookupOperation(x.action)
	if op != nil {
		x.ns = op.Service.Namespace
	}
	caller, werr := r.authenticate(req, x, body, query, op)
	if werr != nil {
		return nil, nil, werr
	}
	x.caller = &routedCaller{Caller: caller}
	x.caller.Caller.target = &x.caller.target
	if x.action == "" {
		return nil, nil, missingAction()
	}
	if op == nil || form.Get("Version") != op.Service.Version {
		return nil, nil, invalidAction(x.action, form.Get("Version"))
	}
	if x.caller.AccessKeyID != "" {
		r.creds.KeyUsed(&x.caller.Caller)
	}
	rt := r.routes[op.Name]
	if rt == nil {
		return nil, nil, notImplemented(op.Name)
	}
	b, err := rt.b()
	if err != nil {
		return nil, nil, err // a registration bug: answered as ServiceFailure and logged
	}
	out, err := rt.call(WithCaller(req.Context(), x.caller.Caller), b, form)
	return rt, out, err
}

// unsignedOperations are the actions AWS serves without a signature (the
// model's authtype "none"; the SDKs send them anonymously): a request for
// one that carries no signature has an anonymous Caller, Account empty.
var unsignedOperations = map[string]bool{"AssumeRoleWithSAML": true, "AssumeRoleWithWebIdentity": true}

// authenticate verifies the request's signature for op (nil when the
// action is unknown) and returns who signed it.
func (r *Router) authenticate(req *http.Request, x *exchange, body []byte, query url.Values, op *Operation) (Caller, *Error) {
	service := ""
	if op != nil {
		service = op.Service.Name
		if unsignedOperations[op.Name] && req.Header.Get("Authorization") == "" && query.Get("X-Amz-Algorithm") == "" {
			return Caller{Service: service, SourceIP: peerIP(req.RemoteAddr), UserAgent: req.Header.Get("User-Agent"), Secure: req.TLS != nil}, nil
		}
	}
	sig, werr := parseSignature(req, query, service, r.now())
	if sig != nil {
		x.keyID = sig.AccessKeyID
	}
	if werr != nil {
		return Caller{}, werr
	}
	key, err := r.creds.LookupKey(req.Context(), sig.AccessKeyID)
	if errors.Is(err, ErrInvalidKey) {
		return Caller{}, invalidClientToken(x.ns)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Caller{}, e
		}
		r.log.Error("key lookup", "request", x.id, "error", err)
		return Caller{}, serviceFailure()
	}
	if !sig.tokenMatches(string(key.SessionToken)) {
		return Caller{}, invalidClientToken(x.ns)
	}
	if werr := sig.verify(req, body, string(key.Secret)); werr != nil {
		if r.log.Enabled(req.Context(), slog.LevelDebug) {
			canonical, stringToSign := sig.signingTexts(req, body)
			r.log.Debug("signature mismatch", "request", x.id, "access_key", sig.AccessKeyID,
				"canonical_request", canonical, "string_to_sign", stringToSign)
		}
		return Caller{}, werr
	}
	if key.STSOnly && service != "sts" {
		return Caller{}, invalidClientToken(x.ns)
	}
	if key.Expired {
		return Caller{}, expiredToken()
	}
	c := key.Caller
	c.AccessKeyID, c.Region, c.Service = sig.AccessKeyID, sig.Region, sig.Service
	c.SourceIP, c.UserAgent, c.Secure = peerIP(req.RemoteAddr), req.Header.Get("User-Agent"), req.TLS != nil
	return c, nil
}

// peerIP is the address of a RemoteAddr ("192.0.2.1:5000", "[::1]:5000")
// without its port, as policies' aws:SourceIp compares it.
func peerIP(remoteAddr string) string {
	host := remoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

// readParams reads the capped body and merges the query string with a form
// body; query is the URL's own parameters, which carry presigned auth.
func readParams(req *http.Request) (body []byte, params, query url.Values, werr *Error) {
	body, err := readBody(req)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, nil, nil, bodyTooLarge()
		}
		return nil, nil, nil, unreadableBody()
	}
	formBody := ""
	if len(body) > 0 && isForm(req.Header.Get("Content-Type")) {
		// The form's strings share the body's bytes instead of a copy of
		// up to a megabyte: nothing writes to body once it is read.
		formBody = unsafe.String(unsafe.SliceData(body), len(body))
	}
	raw := req.URL.RawQuery
	inQuery, inBody := countParams(raw), countParams(formBody)
	if n := inQuery + inBody; n > fewParams && n > modelLimits().params {
		return nil, nil, nil, tooManyParameters(n, modelLimits().params)
	}
	if inQuery > 0 {
		query = make(url.Values, inQuery)
	}
	query, err = parseParams(query, raw, inQuery)
	if err != nil {
		return nil, nil, nil, malformedQuery(err)
	}
	params = query
	if formBody != "" {
		params = make(url.Values, inQuery+inBody)
		for k, v := range query {
			params[k] = v
		}
		if params, err = parseParams(params, formBody, inBody); err != nil {
			return nil, nil, nil, malformedBody(err)
		}
	}
	for k, vs := range params {
		if !utf8.ValidString(k) {
			return nil, nil, nil, nameNotUTF8()
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, nil, nil, valueNotUTF8(k)
			}
		}
	}
	return body, params, query, nil
}

// readBody reads the body into one buffer of its announced length (a
// large body would otherwise be copied as its buffer doubles), capped at
// MaxBodyBytes.
func readBody(req *http.Request) ([]byte, error) {
	n := int64(0)
	if req.ContentLength > 0 {
		n = min(req.ContentLength, MaxBodyBytes)
	}
	buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
	_, err := buf.ReadFrom(http.MaxBytesReader(nil, req.Body, MaxBodyBytes))
	return buf.Bytes(), err
}

// countParams counts the name=value pairs of a query string or form body
// without parsing it.
func countParams(s string) int {
	n := 0
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair != "" {
			n++
		}
	}
	return n
}

var errSemicolon = errors.New("invalid semicolon separator in query")

// parseParams adds the n name=value pairs of s to params as url.ParseQuery
// parses them, but with one allocation for all the values instead of one
// per name, into a map the caller sized: a large form costs a tenth.
func parseParams(params url.Values, s string, n int) (url.Values, error) {
	var firstErr error
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	var values []string
	if n > 0 {
		values = make([]string, 0, n)
	}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if strings.Contains(pair, ";") {
			fail(errSemicolon)
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if strings.IndexByte(pair, '%') >= 0 || strings.IndexByte(pair, '+') >= 0 {
			var err error
			if k, err = url.QueryUnescape(k); err != nil {
				fail(err)
				continue
			}
			if v, err = url.QueryUnescape(v); err != nil {
				fail(err)
				continue
			}
		}
		if old, ok := params[k]; ok {
			params[k] = append(old, v)
			continue
		}
		values = append(values, v)
		params[k] = values[len(values)-1 : len(values) : len(values)]
	}
	return params, firstErr
}

func isForm(contentType string) bool {
	return contentType == "" || strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded")
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// respond writes the result or error document and the request log line.
func (r *Router) respond(w http.ResponseWriter, x *exchange, rt *route, out any, err error) {
	bp := bufPool.Get().(*[]byte)
	buf, status, code := (*bp)[:0], http.StatusOK, ""
	if err != nil {
		e := r.awsError(x, err)
		status, code = e.Status, e.Code
		buf = appendErrorResponse(buf, x.ns, e, x.id)
	} else {
		b, _ := rt.b() // bound before the call that produced out
		buf = b.appendResponse(buf, out, x.id)
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(status)
	w.Write(buf)
	*bp = buf
	bufPool.Put(bp)
	r.logRequest(x, status, code)
}

func (r *Router) awsError(x *exchange, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	r.log.Error("internal error", "request", x.id, "action", x.action, "error", err)
	return serviceFailure()
}

// logRequest writes the request's log line: who (the caller's ARN, or the
// access key id of a signature that did not verify; never its secret),
// what on which resource, and the answer.
func (r *Router) logRequest(x *exchange, status int, code string) {
	if !r.log.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	var buf [8]slog.Attr
	attrs := append(buf[:0], slog.String("id", x.id), slog.String("action", x.action))
	if x.caller != nil {
		attrs = append(attrs, slog.String("caller", x.caller.ARN))
	} else if x.keyID != "" {
		attrs = append(attrs, slog.String("access_key", x.keyID))
	}
	if x.caller != nil && x.caller.target != "" {
		attrs = append(attrs, slog.String("resource", x.caller.target))
	}
	attrs = append(attrs, slog.Int("status", status))
	if code != "" {
		attrs = append(attrs, slog.String("error", code))
	}
	attrs = append(attrs, slog.Duration("took", time.Since(x.start)))
	r.log.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
}

const namespaceIAM = "https://iam.amazonaws.com/doc/2010-05-08/"

// NewUUID returns a random UUID (version 4), the shape of AWS's request ids
// and of other ids AWS makes (service-linked role deletion tasks).
func NewUUID() string { return newRequestID() }

// newRequestID returns a random UUID (version 4), as AWS request ids are.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
