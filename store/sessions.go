package store

import (
	"encoding/binary"
	"time"
)

// Sessions live in top-level buckets of their own, as access keys do, so
// that a request's ASIA… key id finds its session without knowing the
// account. State files written before sessions existed have neither
// bucket: reads treat a missing bucket as empty and the first write
// creates it, so no migration is needed.
var (
	bucketSessions      = []byte("sessions")      // key id → Session
	bucketSessionExpiry = []byte("sessionexpiry") // expiry (unix s, big-endian) + key id → nothing
)

// SessionKind is what issued a session.
type SessionKind string

const (
	// SessionRole is a role session: AssumeRole and its web-identity and
	// SAML variants.
	SessionRole SessionKind = "role"
	// SessionFederated is a federated user: GetFederationToken.
	SessionFederated SessionKind = "federated"
	// SessionToken is a GetSessionToken session of a user or root.
	SessionToken SessionKind = "token"
)

// Session is a set of temporary credentials and the context STS issued
// them with. Secret and Token are key material: never logged.
type Session struct {
	KeyID   string      `json:"id"` // ASIA…
	Account string      `json:"account"`
	Secret  string      `json:"secret"`
	Token   string      `json:"token"`
	Kind    SessionKind `json:"kind"`
	// PrincipalID is the role id (AROA…) of a role session, the user id
	// (AIDA…) of a federated user or a user's GetSessionToken session, and
	// the account id of root's GetSessionToken session (Root is set).
	PrincipalID string    `json:"principal"`
	Root        bool      `json:"root,omitempty"`
	Name        string    `json:"name,omitempty"` // role session name, federated user name
	Issued      time.Time `json:"issued"`
	Expires     time.Time `json:"expires"`
	// MFA is set when the session was issued with a valid MFA code, at
	// MFATime (which is then aws:MultiFactorAuthAge's origin).
	MFA     bool      `json:"mfa,omitempty"`
	MFATime time.Time `json:"mfatime,omitzero"`
	// Policy and PolicyARNs are the session policies as passed: the
	// emulator compiles them when it evaluates.
	Policy     string   `json:"policy,omitempty"`
	PolicyARNs []string `json:"policyarns,omitempty"`
	Tags       []Tag    `json:"tags,omitempty"`
	// TransitiveTagKeys are the tag keys that pass on to sessions this one
	// assumes (role chaining).
	TransitiveTagKeys []string `json:"transitive,omitempty"`
	SourceIdentity    string   `json:"sourceidentity,omitempty"`
	// Chained: a role session assumed with temporary credentials.
	Chained bool `json:"chained,omitempty"`
}

// Session loads the session whose access key id is id, in any account.
func (tx *Tx) Session(id string) (*Session, error) {
	s := new(Session)
	if err := get(tx.tx.Bucket(bucketSessions), []byte(id), s); err != nil {
		return nil, err
	}
	return s, nil
}

// PutSession stores a new session and its expiry index entry.
func (tx *Tx) PutSession(s *Session) error {
	b, err := tx.createBucket(nil, bucketSessions)
	if err != nil {
		return err
	}
	idx, err := tx.createBucket(nil, bucketSessionExpiry)
	if err != nil {
		return err
	}
	if err := tx.put(b, []byte(s.KeyID), s); err != nil {
		return err
	}
	return tx.putRaw(idx, expiryKey(s.Expires, s.KeyID), nil)
}

func expiryKey(t time.Time, id string) []byte {
	return append(binary.BigEndian.AppendUint64(nil, uint64(max(t.Unix(), 0))), id...)
}

// SweepSessions deletes at most limit sessions that expired before
// cutoff, oldest first, and reports how many it deleted.
func (tx *Tx) SweepSessions(cutoff time.Time, limit int) (int, error) {
	idx := tx.tx.Bucket(bucketSessionExpiry)
	if idx == nil {
		return 0, nil
	}
	end := binary.BigEndian.AppendUint64(nil, uint64(max(cutoff.Unix(), 0)))
	var doomed [][]byte
	c := idx.Cursor()
	for k, _ := c.First(); k != nil && len(doomed) < limit && string(k[:8]) < string(end); k, _ = c.Next() {
		doomed = append(doomed, append([]byte(nil), k...))
	}
	sessions := tx.tx.Bucket(bucketSessions)
	for _, k := range doomed {
		if err := tx.del(idx, k); err != nil {
			return 0, err
		}
		if sessions != nil {
			if err := tx.del(sessions, k[8:]); err != nil {
				return 0, err
			}
		}
	}
	return len(doomed), nil
}

// HasExpiredSessions reports whether any session expired before cutoff.
func (tx *Tx) HasExpiredSessions(cutoff time.Time) bool {
	idx := tx.tx.Bucket(bucketSessionExpiry)
	if idx == nil {
		return false
	}
	k, _ := idx.Cursor().First()
	return k != nil && int64(binary.BigEndian.Uint64(k[:8])) < cutoff.Unix()
}
