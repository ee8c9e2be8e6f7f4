package wire

import (
	"context"
	"errors"
	"log/slog"
)

// Caller is the authenticated principal of a request. Handlers read it with
// CallerFrom.
type Caller struct {
	Account     string // 12-digit account id
	ARN         string // arn:aws:iam::123456789012:root, …:user/taro, arn:aws:sts::…:assumed-role/r/s
	UserID      string // the account id for root, AIDA… for a user, AROA…:session for a role session
	AccessKeyID string
	Root        bool
	MFA         bool   // the credentials were issued with a valid MFA code
	Region      string // the region of the signature's credential scope
	Service     string // the service of the signature's credential scope ("iam" or "sts")
	SourceIP    string // the peer's address, without port: aws:SourceIp
	UserAgent   string // aws:UserAgent
	Secure      bool   // the request came over TLS: aws:SecureTransport
	// Auth is the emulator's own per-request authorization state, carried
	// from key lookup to the handler; wire never reads it.
	Auth any

	// target is the request's resource for its log line, shared by every
	// copy of the Caller the router made; nil elsewhere.
	target *string
}

// NoteTarget records resource (an ARN) as the target of the request, for
// the router's log line. On a Caller that did not come from the router it
// does nothing.
func (c Caller) NoteTarget(resource string) {
	if c.target != nil {
		*c.target = resource
	}
}

// Key is what a request signature is verified against, and who the request
// then acts as.
type Key struct {
	Secret       Secret // never logged
	SessionToken Secret // set for temporary (ASIA…) keys; must equal X-Amz-Security-Token
	Caller       Caller
	// Expired is set for temporary credentials past their expiration:
	// once the token and the signature prove the holder, the request is
	// answered ExpiredToken.
	Expired bool
	// STSOnly is set for credentials that may call STS but no other
	// service (GetSessionToken credentials obtained without MFA): AWS
	// answers their IAM calls InvalidClientTokenId.
	STSOnly bool
}

// Secret is key material: it prints and logs as a placeholder.
type Secret string

func (Secret) String() string { return redacted }

// LogValue keeps a Secret out of structured logs.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Credentials resolves the access key id of a request's signature. The
// emulator implements it; wire defines it because wire is its only user.
type Credentials interface {
	// LookupKey returns the key for an access key id, ErrInvalidKey, or an
	// *Error. It must only read.
	LookupKey(ctx context.Context, accessKeyID string) (Key, error)
	// KeyUsed records that a request signed with the key was authenticated.
	// It must not block on storage.
	KeyUsed(c *Caller)
}

// ErrInvalidKey is what LookupKey returns for an access key id that is
// unknown, deleted or inactive. wire answers it with InvalidClientTokenId
// in the wording of the service that was called.
var ErrInvalidKey = errors.New("wire: invalid access key")

type callerKey struct{}

// WithCaller returns a context carrying c, as the router does after
// authentication; tests of handlers use it directly.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, &c)
}

// CallerFrom returns the request's authenticated caller, or the zero Caller
// when the context carries none.
func CallerFrom(ctx context.Context) Caller {
	if c, ok := ctx.Value(callerKey{}).(*Caller); ok {
		return *c
	}
	return Caller{}
}
