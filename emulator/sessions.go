package emulator

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Session lifetimes (STS API reference: AssumeRole, GetSessionToken,
// GetFederationToken DurationSeconds).
const (
	minSessionDuration        = 900 * time.Second
	defaultRoleSessionSeconds = 3600
	// chainedSessionMax caps role chaining, and AssumeRole called with
	// GetSessionToken credentials (aws-facts §4 STS).
	chainedSessionMax = time.Hour
	// sessionSweepGrace is how long an expired session is kept after its
	// expiry: until then its key is answered ExpiredToken, as AWS answers
	// an expired token (whose expiry AWS reads from the token itself);
	// after it, the key is unknown. Sessions are swept when a session is
	// issued and once a minute (sweepEvery).
	sessionSweepGrace = 24 * time.Hour
	sweepEvery        = time.Minute
	sweepBatch        = 256
)

// sessionCredentials are new temporary credentials, made before the
// transaction that stores them (an Update may run twice).
type sessionCredentials struct {
	keyID, secret, token string
}

func newSessionCredentials(account string) sessionCredentials {
	return sessionCredentials{keyID: sessionKeyID(account), secret: secretKey(), token: sessionToken()}
}

// sessionSeq orders session key ids: see sessionKeyID.
var sessionSeq atomic.Uint64

// sessionKeyID is an ASIA key id of account (accessKeyID's layout) whose
// bits after the account hold a sequence that grows with time, instead of
// random ones: sessions are stored by key id, and ids issued in order
// append to the end of the bucket instead of dirtying a random page each
// (AssumeRole is a write, and its throughput is a design target). The
// secret and the token stay random; a key id is no secret on AWS either.
func sessionKeyID(account string) string {
	const tailBits = 39                        // the 7 bits left in the account's last byte and 4 more bytes
	now := uint64(time.Now().UnixMilli()) << 4 // room for 16 ids per millisecond before running ahead
	var seq uint64
	for {
		last := sessionSeq.Load()
		seq = max(last+1, now)
		if sessionSeq.CompareAndSwap(last, seq) {
			break
		}
	}
	raw, _ := base32.StdEncoding.DecodeString(accessKeyID(prefixTemporaryKey, account)[4:])
	raw[0] &^= 0x80
	tail := seq & (1<<tailBits - 1)
	raw[5] = raw[5]&^0x7f | byte(tail>>32)&0x7f
	binary.BigEndian.PutUint32(raw[6:], uint32(tail))
	return prefixTemporaryKey + base32.StdEncoding.EncodeToString(raw)
}

// sessionTokenBytes makes tokens of 428 base64 characters: AWS's are
// several hundred (more with session tags), and clients must not assume a
// size.
const sessionTokenBytes = 308

// sessionToken is an opaque random token. It starts as AWS's current
// tokens do ("IQoJb3JpZ2luX2Vj…", a protobuf header) so that tools that
// sniff the shape see a familiar one.
func sessionToken() string {
	b := make([]byte, sessionTokenBytes)
	rand.Read(b)
	copy(b, "!\n\torigin_ec")
	return base64.StdEncoding.EncodeToString(b)
}

// newSession is a session of kind for the credentials, issued at now and
// expiring after d.
func newSession(cr sessionCredentials, account string, kind store.SessionKind, now time.Time, d time.Duration) *store.Session {
	now = now.Truncate(time.Second)
	return &store.Session{KeyID: cr.keyID, Secret: cr.secret, Token: cr.token, Account: account, Kind: kind,
		Issued: now, Expires: now.Add(d)}
}

// putSession stores s and sweeps sessions long expired, a bounded batch
// per issue.
func putSession(tx *store.Tx, s *store.Session) error {
	if _, err := tx.SweepSessions(s.Issued.Add(-sessionSweepGrace), sweepBatch); err != nil {
		return err
	}
	return tx.PutSession(s)
}

// sweepSessions deletes the sessions expired more than sessionSweepGrace
// ago on the emulator clock, writing only when there is something to
// sweep; New runs it every sweepEvery.
func (e *Emulator) sweepSessions() error {
	cutoff := e.clock.Now().Add(-sessionSweepGrace)
	var due bool
	e.db.View(func(tx *store.Tx) error { due = tx.HasExpiredSessions(cutoff); return nil })
	if !due {
		return nil
	}
	return e.db.Update(func(tx *store.Tx) error {
		_, err := tx.SweepSessions(cutoff, sweepBatch)
		return err
	})
}

// RoleSessionRequest is what a role session is issued from. AssumeRole
// fills it from its input and the calling key; AssumeRoleWithWebIdentity
// and AssumeRoleWithSAML fill it from the verified token or assertion.
type RoleSessionRequest struct {
	// RoleARN is the role to assume, as the request names it; it is
	// already known to be structurally an ARN (roleARNInvalid otherwise).
	RoleARN     string
	SessionName string
	// Duration is the requested lifetime; zero means one hour.
	Duration time.Duration
	// Policy and PolicyARNs are the session policies: the session may do
	// only what both they and the role's policies allow.
	Policy     string
	PolicyARNs []string
	// Tags and TransitiveTagKeys are the session tags as requested (each
	// transitive key one of Tags: transitiveTagKeys); the calling
	// session's transitive tags are added by issueRoleSession.
	Tags              []store.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// MFA and MFATime: the caller proved an MFA code at MFATime (now, or
	// when the calling session was issued with one).
	MFA     bool
	MFATime time.Time
	// Caller is the session whose credentials signed the request, nil for
	// long-term credentials and for web identity and SAML: a role session
	// assumed with temporary credentials is chained (at most one hour) and
	// inherits the caller's transitive tags and source identity.
	Caller *store.Session
	// Region is the request's region, recorded as the role's last use.
	Region string
	// Admit decides, in the issuing transaction, whether the caller may
	// assume role: the trust policy and, for AWS principals, the caller's
	// own policies. role is nil when RoleARN names no usable role; Admit
	// must then answer the same denial as a trust policy would, as AWS
	// does not reveal whether a role exists.
	Admit func(tx *store.Tx, role *store.Role) error
}

// issueRoleSession is the one place role sessions are made, for
// AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML. In one
// transaction it resolves the role, asks req.Admit, checks the duration
// against the role's MaxSessionDuration and the one-hour chaining limit,
// merges the calling session's transitive tags (refusing a conflicting
// key), records RoleLastUsed and stores the session. It returns the stored
// session and the role; the caller builds its output with credentialsOut
// and assumedRoleUserOut. The role is looked up in the account its ARN
// names, when that account is served here; the session belongs to that
// account, and its key id says so.
func (e *Emulator) issueRoleSession(req *RoleSessionRequest) (*store.Session, *store.Role, error) {
	cr := newSessionCredentials(roleAccount(req.RoleARN))
	now := e.clock.Now()
	d := req.Duration
	if d == 0 {
		d = defaultRoleSessionSeconds * time.Second
	}
	var s *store.Session
	var role *store.Role
	err := e.db.Update(func(tx *store.Tx) (err error) {
		role, err = roleOfARN(tx, req.RoleARN)
		if err != nil {
			return err
		}
		if role != nil && !e.opts.Serves(role.Account) {
			role = nil // left in the file by a run that served its account
		}
		if err := req.Admit(tx, role); err != nil {
			return err
		}
		if role == nil { // Admit must refuse it; never issue for no role
			return errors.New("emulator: Admit allowed a missing role")
		}
		if d > time.Duration(role.MaxSessionDuration)*time.Second {
			return durationExceedsRoleMax()
		}
		chained := req.Caller != nil
		if chained && d > chainedSessionMax {
			return durationExceedsChainLimit()
		}
		tags, transitive, err := sessionTags(req)
		if err != nil {
			return err
		}
		s = newSession(cr, role.Account, store.SessionRole, now, d)
		s.PrincipalID, s.RoleName, s.Name, s.Chained = role.ID, role.Name, req.SessionName, chained
		s.MFA, s.MFATime = req.MFA, req.MFATime
		s.Policy, s.PolicyARNs = req.Policy, req.PolicyARNs
		s.Tags, s.TransitiveTagKeys = tags, transitive
		s.SourceIdentity = req.SourceIdentity
		if s.SourceIdentity == "" && req.Caller != nil {
			s.SourceIdentity = req.Caller.SourceIdentity
		}
		if err := recordRoleUse(tx, role, s.Issued, req.Region); err != nil {
			return err
		}
		return putSession(tx, s)
	})
	return s, role, err
}

// recordRoleUse sets the role's RoleLastUsed, which has a precision of
// seconds: a role assumed again within the same second in the same region
// is not written again.
func recordRoleUse(tx *store.Tx, role *store.Role, at time.Time, region string) error {
	if lu := role.LastUsed; lu != nil && lu.Time.Equal(at) && lu.Region == region {
		return nil
	}
	role.LastUsed = &store.RoleLastUsed{Time: at, Region: region}
	return tx.PutRole(role)
}

// sessionTags are the tags of a new role session: the requested ones plus
// the calling session's transitive ones, and the transitive keys of both.
func sessionTags(req *RoleSessionRequest) (tags []store.Tag, transitive []string, err error) {
	tags, transitive = req.Tags, req.TransitiveTagKeys
	if req.Caller == nil {
		return tags, transitive, nil
	}
	for _, k := range req.Caller.TransitiveTagKeys {
		if hasTagKey(req.Tags, k) {
			return nil, nil, transitiveTagConflict()
		}
		for _, t := range req.Caller.Tags {
			if strings.EqualFold(t.Key, k) {
				tags = append(tags, t)
			}
		}
		transitive = append(transitive, k)
	}
	return tags, transitive, nil
}

func hasTagKey(tags []store.Tag, key string) bool {
	for _, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return true
		}
	}
	return false
}

// roleOfARN loads the role arn names; nil, without error, when arn names
// no role of an account here.
func roleOfARN(tx *store.Tx, arn string) (*store.Role, error) {
	account, path, name, ok := parseRoleARN(arn)
	if !ok {
		return nil, nil
	}
	r, err := tx.Role(account, name)
	if errors.Is(err, store.ErrNotFound) || err == nil && (r.Path != path || r.Name != name) {
		return nil, nil
	}
	return r, err
}

// parseRoleARN splits arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
func parseRoleARN(arn string) (account, path, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || parts[3] != "" || len(parts[4]) != 12 {
		return "", "", "", false
	}
	rest, ok := strings.CutPrefix(parts[5], "role/")
	if !ok || rest == "" {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	return parts[4], "/" + rest[:i+1], rest[i+1:], rest[i+1:] != ""
}

// validARN reports whether s has an ARN's structure,
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, with a partition, a
// service and a resource: STS refuses anything else as "<arn> is invalid".
func validARN(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[1] != "" && parts[2] != "" && parts[5] != ""
}

// Principal ARNs of sessions (aws-facts §5): the role's path is dropped
// and the service is sts.
func assumedRoleARN(partition, account, role, session string) string {
	return "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/" + session
}

func federatedUserARN(partition, account, name string) string {
	return "arn:" + partition + ":sts::" + account + ":federated-user/" + name
}

// credentialsOut is a session's credentials as STS returns them.
func credentialsOut(s *store.Session) *ststypes.Credentials {
	return &ststypes.Credentials{AccessKeyId: aws.String(s.KeyID), SecretAccessKey: aws.String(s.Secret),
		SessionToken: aws.String(s.Token), Expiration: aws.Time(s.Expires)}
}

// assumedRoleUserOut is a role session's AssumedRoleUser.
func assumedRoleUserOut(partition string, r *store.Role, s *store.Session) *ststypes.AssumedRoleUser {
	return &ststypes.AssumedRoleUser{Arn: aws.String(assumedRoleARN(partition, r.Account, r.Name, s.Name)),
		AssumedRoleId: aws.String(r.ID + ":" + s.Name)}
}

// sessionOwner is the principal a session's key acts as. A role session
// and a federated user keep their identity when their role or user is
// deleted (they then have no permissions); a GetSessionToken session of a
// deleted user is wire.ErrInvalidKey, as the user's own keys are.
func sessionOwner(tx *store.Tx, s *store.Session) (wire.Caller, error) {
	c := wire.Caller{Account: s.Account, MFA: s.MFA}
	switch {
	case s.Kind == store.SessionRole:
		c.ARN, c.UserID = assumedRoleARN("aws", s.Account, s.RoleName, s.Name), s.PrincipalID+":"+s.Name
	case s.Kind == store.SessionFederated:
		c.ARN, c.UserID = federatedUserARN("aws", s.Account, s.Name), s.Account+":"+s.Name
	case s.Root:
		c.ARN, c.UserID, c.Root = rootARN("aws", s.Account), s.Account, true
	default:
		u, err := tx.UserByID(s.Account, s.PrincipalID)
		if err != nil {
			return c, keyOwnerGone(err)
		}
		c.ARN, c.UserID = userARN("aws", s.Account, u.Path, u.Name), u.ID
	}
	return c, nil
}

// keyOwnerGone maps a missing owner to an invalid key.
func keyOwnerGone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return wire.ErrInvalidKey
	}
	return err
}

// sessionOf is the session the caller's key belongs to; nil for long-term
// keys and root's configured key.
func sessionOf(tx *store.Tx, c wire.Caller) (*store.Session, error) {
	if !strings.HasPrefix(c.AccessKeyID, prefixTemporaryKey) {
		return nil, nil
	}
	s, err := tx.Session(c.AccessKeyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return s, err
}

// sessionPolicies are a request's session policies and tags, checked.
type sessionPolicies struct {
	policy string
	arns   []string
	tags   []store.Tag
	// given: a policy, policy ARNs or tags were passed (AssumeRole then
	// reports PackedPolicySize).
	given  bool
	packed int // PackedPolicySize, a percentage
}

func newSessionPolicies(doc *string, arns []ststypes.PolicyDescriptorType, tags []ststypes.Tag) (sessionPolicies, error) {
	sp := sessionPolicies{policy: aws.ToString(doc), given: doc != nil || len(arns) > 0 || len(tags) > 0}
	if doc != nil {
		if _, err := policy.ParseIdentity(*doc); err != nil {
			var pe *policy.Error
			if errors.As(err, &pe) {
				return sp, malformedPolicyDocument(pe.Message)
			}
			return sp, err
		}
	}
	for _, a := range arns {
		sp.arns = append(sp.arns, aws.ToString(a.Arn))
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		k := strings.ToLower(aws.ToString(t.Key))
		if seen[k] {
			return sp, duplicateSessionTagKeys()
		}
		seen[k] = true
		sp.tags = append(sp.tags, store.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	sp.packed = packedPolicySize(sp.policy, sp.arns, sp.tags)
	if sp.packed > 100 {
		return sp, packedPolicyTooLarge(sp.packed)
	}
	return sp, nil
}

// transitiveTagKeys are TransitiveTagKeys as given, each one of the
// requested tags; duplicates (in any case) are refused as duplicate tag
// keys are.
func transitiveTagKeys(keys []string, tags []store.Tag) ([]string, error) {
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if !hasTagKey(tags, k) {
			return nil, transitiveTagNotRequested()
		}
		if seen[strings.ToLower(k)] {
			return nil, duplicateSessionTagKeys()
		}
		seen[strings.ToLower(k)] = true
	}
	return keys, nil
}

// packedBudget is the room STS packs session policies and tags into. AWS
// does not publish its packing; this budget, over a deflate of the
// policy's white-space-free text and of the tags, puts a small policy near
// the 16% AWS reports for one (aws-facts §5) and a dense 1,700-character
// policy over 100%, as users report of AWS.
const packedBudget = 360

// packedPolicySize is PackedPolicySize: the percentage of packedBudget
// the session policies and tags take, 0 when there are none.
func packedPolicySize(doc string, arns []string, tags []store.Tag) int {
	var raw bytes.Buffer
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			raw.WriteRune(r)
		}
	}
	for _, a := range arns {
		raw.WriteString(a)
	}
	for _, t := range tags {
		raw.WriteString(t.Key + "=" + t.Value)
	}
	if raw.Len() == 0 {
		return 0
	}
	var packed bytes.Buffer
	w, _ := flate.NewWriter(&packed, flate.BestCompression)
	w.Write(raw.Bytes())
	w.Close()
	return (packed.Len()*100 + packedBudget - 1) / packedBudget
}
