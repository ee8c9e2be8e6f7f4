package emulator

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/emulator/managed"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Whose policies decide a request: the caller's compiled policy set and
// its own context keys, read from the store once per store generation
// (principalCache) for an IAM user, a role session, a federated user or a
// GetSessionToken session.

// callerPolicies is a principal's policies, compiled, and its own context
// keys: an IAM user's, or a session's (its role's or user's policies and
// its session policies).
type callerPolicies struct {
	set     policy.PolicySet
	context map[string][]string
	// mfaTime is when the session's MFA code was checked:
	// aws:MultiFactorAuthAge counts from it.
	mfaTime time.Time
}

// principalCache holds the principals read at one store generation, as
// keyCache holds keys; at most principalCacheMax of them.
type principalCache struct {
	mu   sync.RWMutex
	gen  uint64
	byID map[string]*callerPolicies
}

const principalCacheMax = 4096

func (pc *principalCache) load(tx *store.Tx, gen uint64, c wire.Caller) (*callerPolicies, error) {
	// The partition is part of the key: the caller's ARN and the policies'
	// ids follow the partition its region names.
	key := partition(c) + "/" + c.UserID
	if isTemporaryKey(c.AccessKeyID) { // sessions of one principal differ in their policies
		key += "/" + c.AccessKeyID
	}
	pc.mu.RLock()
	p, ok := pc.byID[key]
	ok = ok && pc.gen == gen
	pc.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := readPrincipal(tx, c)
	if err != nil {
		return nil, err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen > pc.gen || pc.byID == nil || len(pc.byID) >= principalCacheMax {
		pc.gen, pc.byID = max(gen, pc.gen), map[string]*callerPolicies{}
	}
	if gen == pc.gen {
		pc.byID[key] = p
	}
	return p, nil
}

// readPrincipal reads and compiles the policies of the principal c is:
// an IAM user, or a session (sessionPolicies).
func readPrincipal(tx *store.Tx, c wire.Caller) (*callerPolicies, error) {
	s, err := sessionOf(tx, c)
	if err != nil {
		return nil, err
	}
	if s != nil {
		return readSession(tx, c, s)
	}
	return readUser(tx, c, c.UserID)
}

// readUser reads the policies of the user with id userID: its inline and
// attached policies, those of each of its groups, and its permissions
// boundary. A user deleted since its key was read has none.
func readUser(tx *store.Tx, c wire.Caller, userID string) (*callerPolicies, error) {
	p := &callerPolicies{context: map[string][]string{
		"aws:principalarn":     {c.ARN},
		"aws:principalaccount": {c.Account},
		"aws:principaltype":    {"User"},
		"aws:userid":           {c.UserID},
	}}
	u, err := tx.UserByID(c.Account, userID)
	if errors.Is(err, store.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.context["aws:username"] = []string{u.Name}
	addPrincipalTags(p.context, u.Tags)
	r := policyReader{tx: tx, account: c.Account, partition: partition(c)}
	r.principal("user/"+u.Name, u.ID)
	groups, err := userGroups(tx, u)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		r.principal("group/"+g.Name, g.ID)
	}
	if u.Boundary != "" {
		p.set.Boundary = r.managed(u.Boundary)
	}
	p.set.Identity = r.identity
	return p, r.err
}

// addPrincipalTags sets aws:PrincipalTag/<key> for each tag, replacing a
// value set before: session tags override the role's.
func addPrincipalTags(ctx map[string][]string, tags []store.Tag) {
	for _, t := range tags {
		ctx["aws:principaltag/"+strings.ToLower(t.Key)] = []string{t.Value}
	}
}

// allowAll is root's identity as policies: a federated user root made has
// what its session policies allow.
var allowAll = compiled("root", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)

// readSession reads the policies of a session: a role session has its
// role's policies and boundary, a federated user its user's, a
// GetSessionToken session its user's; session policies, when the session
// has any (a federated user always does, empty allowing nothing), limit
// them. The context carries the session's own keys.
func readSession(tx *store.Tx, c wire.Caller, s *store.Session) (*callerPolicies, error) {
	var p *callerPolicies
	var err error
	switch {
	case s.Kind == store.SessionRole:
		p, err = readRole(tx, c, s.PrincipalID)
	case s.Root:
		p = &callerPolicies{context: map[string][]string{"aws:principalaccount": {c.Account}}}
		p.set.Identity = []*policy.Compiled{allowAll}
	default:
		p, err = readUser(tx, c, s.PrincipalID)
	}
	if err != nil {
		return nil, err
	}
	if s.Kind == store.SessionFederated {
		p.context["aws:principaltype"] = []string{"FederatedUser"}
		p.context["aws:principalarn"] = []string{c.ARN}
		p.context["aws:userid"] = []string{c.UserID}
		delete(p.context, "aws:username")
	}
	p.context["aws:tokenissuetime"] = []string{s.Issued.UTC().Format(time.RFC3339)}
	if s.SourceIdentity != "" {
		p.context["aws:sourceidentity"] = []string{s.SourceIdentity}
	}
	addPrincipalTags(p.context, s.Tags)
	if s.MFA {
		p.mfaTime = s.MFATime
	}
	if s.Kind == store.SessionFederated || s.Policy != "" || len(s.PolicyARNs) > 0 {
		p.set.Session, err = sessionPolicySet(tx, c, s)
	}
	return p, err
}

// readRole reads a role session's role: its inline and attached policies
// and its boundary; the context names the role as aws:PrincipalArn and
// carries no aws:username.
func readRole(tx *store.Tx, c wire.Caller, roleID string) (*callerPolicies, error) {
	p := &callerPolicies{context: map[string][]string{
		"aws:principalaccount": {c.Account},
		"aws:principaltype":    {"AssumedRole"},
		"aws:userid":           {c.UserID},
	}}
	role, err := tx.RoleByID(c.Account, roleID)
	if errors.Is(err, store.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.context["aws:principalarn"] = []string{roleARN(partition(c), role.Account, role.Path, role.Name)}
	addPrincipalTags(p.context, role.Tags)
	r := policyReader{tx: tx, account: c.Account, partition: partition(c)}
	r.principal("role/"+role.Name, role.ID)
	if role.Boundary != "" {
		p.set.Boundary = r.managed(role.Boundary)
	}
	p.set.Identity = r.identity
	return p, r.err
}

// sessionPolicySet compiles a session's policies: its inline policy and
// the managed policies it names (a policy gone since allows nothing).
func sessionPolicySet(tx *store.Tx, c wire.Caller, s *store.Session) ([]*policy.Compiled, error) {
	set := []*policy.Compiled{}
	if s.Policy != "" {
		if p := compiled("session:"+s.KeyID, s.Policy); p != nil {
			set = append(set, p)
		}
	}
	r := policyReader{tx: tx, account: c.Account, partition: partition(c)}
	for _, arn := range s.PolicyARNs {
		if _, ref, ok := strings.Cut(strings.TrimPrefix(arn, "arn:"), ":"); ok {
			if p := r.managed(ref); p != nil {
				set = append(set, p)
			}
		}
	}
	return set, r.err
}

// policyReader collects compiled policies, keeping the first error.
type policyReader struct {
	tx                 *store.Tx
	account, partition string
	identity           []*policy.Compiled
	err                error
}

// principal adds the inline and attached policies of a user, group or role.
func (r *policyReader) principal(owner, id string) {
	if r.err != nil {
		return
	}
	err := eachStoredPolicy(r.tx, r.account, id,
		func(ip *store.InlinePolicy) { r.add(compiled("inline:"+owner+":"+ip.Name, ip.Document)) },
		func(ref string) { r.add(r.managed(ref)) })
	if err != nil {
		r.err = err
	}
}

// eachStoredPolicy calls inline for each inline policy of the principal
// id, then attached for the ref of each managed policy attached to it.
func eachStoredPolicy(tx *store.Tx, account, id string, inline func(*store.InlinePolicy), attached func(ref string)) error {
	policies, err := tx.InlinePolicies(account, id)
	if err != nil {
		return err
	}
	for _, ip := range policies {
		inline(ip)
	}
	refs, err := tx.AttachedPolicies(account, id)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		attached(ref)
	}
	return nil
}

func (r *policyReader) add(p *policy.Compiled) {
	if p != nil {
		r.identity = append(r.identity, p)
	}
}

// managed compiles the default version of the managed policy ref names;
// nil when it is gone.
func (r *policyReader) managed(ref string) *policy.Compiled {
	if r.err != nil {
		return nil
	}
	arn := "arn:" + r.partition + ":" + ref
	if strings.HasPrefix(ref, awsPolicyRefs) {
		return awsManagedCompiled(ref)
	}
	mp, err := findPolicy(r.tx, r.account, ref)
	if err != nil || mp == nil || mp.customer == nil {
		r.err = err
		return nil
	}
	v, ok := mp.customer.Version(mp.customer.Default)
	if !ok {
		return nil
	}
	return compiled(arn, v.Document)
}

// awsManaged caches the compiled AWS managed policies: the catalogue never
// changes while the process runs.
var awsManaged sync.Map // ref → *policy.Compiled

func awsManagedCompiled(ref string) *policy.Compiled {
	if p, ok := awsManaged.Load(ref); ok {
		return p.(*policy.Compiled)
	}
	mp, ok := managed.Lookup("arn:aws:" + ref)
	if !ok {
		return nil
	}
	p := compiled("arn:aws:"+ref, mp.Document)
	if p != nil {
		awsManaged.Store(ref, p)
	}
	return p
}

// compiled parses and compiles a stored document; the store only holds
// documents that were valid when put, so one that no longer parses (a
// parser grown stricter) is left out, as allowing nothing.
func compiled(id, doc string) *policy.Compiled {
	key := id + "\x00" + doc
	if p, ok := compiledDocs.get(key); ok {
		return p
	}
	d, err := policy.Parse(doc)
	if err != nil {
		return nil
	}
	p := policy.Compile(id, d)
	compiledDocs.put(key, p)
	return p
}

// compiledDocs keeps compiled documents by id and text. The principal
// cache goes with the store generation, which every write moves (each
// AssumeRole is one); this one is keyed by content, so it is never stale,
// and keeps parsing off the path of a write that authorizes. Cleared when
// full.
var compiledDocs = docCache{m: map[string]*policy.Compiled{}}

type docCache struct {
	mu sync.RWMutex
	m  map[string]*policy.Compiled
}

const docCacheMax = 4096

func (c *docCache) get(key string) (*policy.Compiled, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.m[key]
	return p, ok
}

func (c *docCache) put(key string, p *policy.Compiled) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= docCacheMax {
		c.m = map[string]*policy.Compiled{}
	}
	c.m[key] = p
}
