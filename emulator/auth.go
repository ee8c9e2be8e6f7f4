package emulator

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// LookupKey implements wire.Credentials: a root key (rootKeyAccount), a
// stored long-term access key that is active, or the temporary key of a
// stored STS session (ASIA…), with its token and, once the emulator clock
// is past its expiration, marked expired. It only reads, and answers from
// the key cache while no write but the usage flush has committed since the
// key was read; a cached session's expiry is checked against the clock on
// every lookup, so no clock move lets it outlive its expiry.
func (e *Emulator) LookupKey(_ context.Context, id string) (wire.Key, error) {
	if account, ok := e.rootKeyAccount(id); ok {
		return wire.Key{Secret: wire.Secret(e.opts.RootSecret), Caller: accountRoot(account)}, nil
	}
	gen := e.db.DataGeneration() // the usage flush changes nothing cached here
	k, ok := e.keys.get(gen, id)
	if !ok {
		var err error
		if k, err = e.readKey(id); err != nil {
			return wire.Key{}, err
		}
		e.keys.put(gen, id, k)
	}
	return e.withAuth(k.at(e.clock.Now()), gen), nil
}

// cachedKey is a key as read, with the expiry of a temporary key (zero
// for long-term keys).
type cachedKey struct {
	key     wire.Key
	expires time.Time
}

// at is the key as it stands at now.
func (k cachedKey) at(now time.Time) wire.Key {
	key := k.key
	key.Expired = !k.expires.IsZero() && !now.Before(k.expires)
	return key
}

func isTemporaryKey(id string) bool { return strings.HasPrefix(id, prefixTemporaryKey) }

func (e *Emulator) readKey(id string) (cachedKey, error) {
	var key cachedKey
	err := e.db.View(func(tx *store.Tx) (err error) {
		if isTemporaryKey(id) {
			key, err = sessionKey(tx, id)
		} else {
			key.key, err = longTermKey(tx, id)
		}
		return err
	})
	return key, err
}

func longTermKey(tx *store.Tx, id string) (wire.Key, error) {
	k, err := tx.AccessKey(id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !k.Active {
		return wire.Key{}, wire.ErrInvalidKey
	}
	if err != nil {
		return wire.Key{}, err
	}
	c, err := keyOwner(tx, k)
	return wire.Key{Secret: wire.Secret(k.Secret), Caller: c}, err
}

// sessionKey is the key of a stored session. GetSessionToken credentials
// made without MFA serve STS only: AWS answers their IAM calls
// InvalidClientTokenId (aws-facts §4 STS).
func sessionKey(tx *store.Tx, id string) (cachedKey, error) {
	s, err := tx.Session(id)
	if errors.Is(err, store.ErrNotFound) {
		return cachedKey{}, wire.ErrInvalidKey
	}
	if err != nil {
		return cachedKey{}, err
	}
	c, err := sessionOwner(tx, s)
	if err != nil {
		return cachedKey{}, err
	}
	key := wire.Key{Secret: wire.Secret(s.Secret), SessionToken: wire.Secret(s.Token), Caller: c,
		STSOnly: s.Kind == store.SessionToken && !s.MFA}
	return cachedKey{key: key, expires: s.Expires}, nil
}

// keyCache holds keys read at one store generation. The generation is read
// before the View, so an entry never outlives a write it might not reflect.
type keyCache struct {
	mu   sync.RWMutex
	gen  uint64
	keys map[string]cachedKey
}

func (c *keyCache) get(gen uint64, id string) (cachedKey, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.gen != gen {
		return cachedKey{}, false
	}
	k, ok := c.keys[id]
	return k, ok
}

func (c *keyCache) put(gen uint64, id string, k cachedKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen > c.gen || c.keys == nil {
		c.gen, c.keys = gen, map[string]cachedKey{}
	}
	if gen == c.gen {
		c.keys[id] = k
	}
}

// rootKeyAccount is the account whose root the configured root key id
// signs as: RootAccessKeyID the default account's, and a served account's
// 12-digit id that account's, as LocalStack users know it
// (https://docs.localstack.cloud/references/credentials/). Both sign with
// RootSecret; an id of an account not served here is no key.
func (e *Emulator) rootKeyAccount(id string) (string, bool) {
	if id == e.opts.RootAccessKeyID {
		return e.opts.Account, true
	}
	return id, isAccountID(id) && e.opts.Serves(id)
}

// isAccountID reports whether s is a 12-digit account id.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (e *Emulator) rootCaller() wire.Caller { return accountRoot(e.opts.Account) }

// accountRoot is the root user of account.
func accountRoot(account string) wire.Caller {
	return wire.Caller{Account: account, ARN: rootARN("aws", account), UserID: account, Root: true}
}

// keyOwner is the principal a long-term key acts as: its user, or the root
// user for the keys root made for itself (their owner id is the account id,
// which is root's UserId).
func keyOwner(tx *store.Tx, k *store.AccessKey) (wire.Caller, error) {
	if k.UserID == k.Account {
		return accountRoot(k.Account), nil
	}
	u, err := tx.UserByID(k.Account, k.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.Caller{}, wire.ErrInvalidKey
	}
	if err != nil {
		return wire.Caller{}, err
	}
	return wire.Caller{Account: k.Account, ARN: userARN("aws", k.Account, u.Path, u.Name), UserID: u.ID}, nil
}

// authorize decides whether caller may perform the permission
// ("iam:CreateUser") on resource (an ARN, or "*"), with the action's own
// context keys, and answers AccessDenied when the caller's policies do not
// allow it. Every handler calls it inside its transaction before acting.
// The root user, and every caller with --enforce off, is allowed without
// evaluation; a Caller that did not come through key lookup (tests calling
// handlers directly) has no authorization state and is allowed too.
func authorize(tx *store.Tx, caller wire.Caller, permission, resource string, keys ...requestKey) error {
	caller.NoteTarget(resource)
	a, _ := caller.Auth.(*requestAuth)
	if a == nil || caller.Root {
		return nil
	}
	return a.authorizeAsPolicies(tx, caller, permission, resource, keys)
}

// keyUsage holds the last use of stored keys in memory until the next
// flush: authentication never writes (AWS itself reports last use late).
type keyUsage struct {
	mu      sync.Mutex
	pending map[string]store.KeyUse
	// flushing is the batch being written: still visible until committed.
	flushing map[string]store.KeyUse
}

func newKeyUsage() *keyUsage { return &keyUsage{pending: map[string]store.KeyUse{}} }

const usageFlushEvery = time.Second

// KeyUsed implements wire.Credentials. Temporary keys are not recorded:
// GetAccessKeyLastUsed covers long-term keys only.
func (e *Emulator) KeyUsed(c *wire.Caller) {
	if _, root := e.rootKeyAccount(c.AccessKeyID); root || isTemporaryKey(c.AccessKeyID) {
		return
	}
	now := e.clock.Now().Truncate(time.Second)
	e.usage.mu.Lock()
	if u, ok := e.usage.pending[c.AccessKeyID]; !ok || !u.Date.Equal(now) || u.Region != c.Region || u.Service != c.Service {
		e.usage.pending[c.AccessKeyID] = store.KeyUse{Date: now, Region: c.Region, Service: c.Service}
	}
	e.usage.mu.Unlock()
}

// pendingUse is the not yet flushed last use of key id.
func (e *Emulator) pendingUse(id string) (store.KeyUse, bool) {
	e.usage.mu.Lock()
	defer e.usage.mu.Unlock()
	if u, ok := e.usage.pending[id]; ok {
		return u, true
	}
	u, ok := e.usage.flushing[id]
	return u, ok
}

// unflushedUsage copies the key usage not yet in the store; what is
// pending is newer than what is being flushed.
func (e *Emulator) unflushedUsage() map[string]store.KeyUse {
	e.usage.mu.Lock()
	defer e.usage.mu.Unlock()
	m := make(map[string]store.KeyUse, len(e.usage.pending)+len(e.usage.flushing))
	for id, u := range e.usage.flushing {
		m[id] = u
	}
	for id, u := range e.usage.pending {
		m[id] = u
	}
	return m
}

// latestUse is the later of a key's stored last use and its unflushed one
// (pending, when has).
func latestUse(stored *store.KeyUse, pending store.KeyUse, has bool) *store.KeyUse {
	if has && (stored == nil || !pending.Date.Before(stored.Date)) {
		return &pending
	}
	return stored
}

// every runs fn every d until Close, logging its errors as what: the
// background work of the emulator (the key-usage flush, the session sweep).
func (e *Emulator) every(d time.Duration, what string, fn func() error) {
	defer e.done.Done()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			if err := fn(); err != nil {
				e.log.Error(what, "error", err)
			}
		}
	}
}

// flushUsage writes the pending key usage in one transaction.
func (e *Emulator) flushUsage() error {
	e.usage.mu.Lock()
	batch := e.usage.pending
	if len(batch) == 0 {
		e.usage.mu.Unlock()
		return nil
	}
	e.usage.pending = map[string]store.KeyUse{}
	e.usage.flushing = batch
	e.usage.mu.Unlock()
	err := e.db.UpdateUsage(func(tx *store.Tx) error {
		for id, use := range batch {
			if err := tx.RecordKeyUse(id, use); err != nil {
				return err
			}
		}
		return nil
	})
	e.usage.mu.Lock()
	e.usage.flushing = nil
	e.usage.mu.Unlock()
	return err
}

// forgetUsage drops pending usage (admin reset).
func (e *Emulator) forgetUsage() {
	e.usage.mu.Lock()
	e.usage.pending = map[string]store.KeyUse{}
	e.usage.flushing = nil
	e.usage.mu.Unlock()
}
