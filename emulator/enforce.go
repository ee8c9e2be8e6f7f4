package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/emulator/managed"
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// Enforce is how the emulator applies the policy engine's decisions.
type Enforce uint8

const (
	// EnforceOn denies what AWS would deny (the default).
	EnforceOn Enforce = iota
	// EnforceAudit allows everything but logs what would have been denied.
	EnforceAudit
	// EnforceOff allows every authenticated request without evaluating.
	EnforceOff
)

// ParseEnforce reads the --enforce value: on, audit or off.
func ParseEnforce(s string) (Enforce, error) {
	switch strings.ToLower(s) {
	case "on", "":
		return EnforceOn, nil
	case "audit":
		return EnforceAudit, nil
	case "off":
		return EnforceOff, nil
	}
	return 0, fmt.Errorf("enforce must be on, audit or off, not %q", s)
}

func (m Enforce) String() string { return [...]string{"on", "audit", "off"}[m] }

// requestAuth is what authorize needs beyond the transaction, fixed when
// the request's key is looked up, before the handler's transaction: the
// emulator, the emulator clock's time (so that a re-run Update decides
// alike) and the store generation the principal's policies are cached at.
type requestAuth struct {
	e   *Emulator
	now time.Time
	gen uint64
	// mfaTime is when a console session's MFA code was checked (console.go).
	mfaTime time.Time
}

// withAuth gives the caller of one request what authorize needs.
func (e *Emulator) withAuth(k wire.Key, gen uint64) wire.Key {
	if !k.Caller.Root && e.opts.Enforce != EnforceOff {
		k.Caller.Auth = &requestAuth{e: e, now: e.clock.Now(), gen: gen}
	}
	return k
}

// requestKey is a context key of one action's request (aws:RequestTag/…,
// iam:PolicyARN…) that a handler passes to authorize.
type requestKey struct {
	name   string
	values []string
}

// policyARNKey is iam:PolicyARN, for Attach*/Detach*.
func policyARNKey(arn string) requestKey { return requestKey{"iam:PolicyARN", []string{arn}} }

// boundaryKey is iam:PermissionsBoundary, for Put*PermissionsBoundary and
// CreateUser with a boundary; none when arn is empty.
func boundaryKey(arn string) []requestKey {
	if arn == "" {
		return nil
	}
	return []requestKey{{"iam:PermissionsBoundary", []string{arn}}}
}

// requestTagKeys are aws:RequestTag/<key> for each tag and aws:TagKeys.
func requestTagKeys(tags []store.Tag) []requestKey {
	if len(tags) == 0 {
		return nil
	}
	keys := make([]requestKey, 0, len(tags)+1)
	names := make([]string, 0, len(tags))
	for _, t := range tags {
		keys = append(keys, requestKey{"aws:RequestTag/" + t.Key, []string{t.Value}})
		names = append(names, t.Key)
	}
	return append(keys, requestKey{"aws:TagKeys", names})
}

// tagKeysKey is aws:TagKeys alone, for Untag*.
func tagKeysKey(names []string) requestKey { return requestKey{"aws:TagKeys", names} }

// resourceTagKeys are aws:ResourceTag/<key> and, for users and roles,
// iam:ResourceTag/<key>.
func resourceTagKeys(tags []store.Tag, iamToo bool) []requestKey {
	keys := make([]requestKey, 0, 2*len(tags))
	for _, t := range tags {
		keys = append(keys, requestKey{"aws:ResourceTag/" + t.Key, []string{t.Value}})
		if iamToo {
			keys = append(keys, requestKey{"iam:ResourceTag/" + t.Key, []string{t.Value}})
		}
	}
	return keys
}

// authorizeAsPolicies decides a request of an IAM user against its
// policies, and answers AccessDenied (or, in audit mode, logs) when they do
// not allow it.
func (a *requestAuth) authorizeAsPolicies(tx *store.Tx, c wire.Caller, permission, resource string, keys []requestKey) error {
	p, err := a.e.principals.load(tx, a.gen, c)
	if err != nil {
		return err
	}
	ctx := requestContext(p, c, a.now, keys)
	a.addMFAAge(ctx, c, a.now)
	req := policy.Request{Action: permission, Resource: resource, Context: ctx}
	d := policy.Evaluate(&req, &p.set)
	if d.Allowed || !a.enforceDenial(c, permission, resource, d) {
		return nil
	}
	return accessDenied(c.ARN, permission, deniedResource(permission, resource), denialReason(d.Reason, permission))
}

// enforceDenial logs a denial, and reports whether it stands: in audit
// mode it does not.
func (a *requestAuth) enforceDenial(c wire.Caller, permission, resource string, d policy.Decision) bool {
	msg := "access denied"
	if a.e.opts.Enforce == EnforceAudit {
		msg = "access would be denied (audit)"
	}
	args := []any{"caller", c.ARN, "action", permission, "resource", resource, "reason", d.Reason.String()}
	if d.Policy != "" {
		args = append(args, "policy", d.Policy, "statement", d.Statement)
	} else {
		args = append(args, "policy", "none allowed it")
	}
	a.e.log.Info(msg, args...)
	return a.e.opts.Enforce != EnforceAudit
}

// authorizeAssumeRole decides AssumeRole of role by caller c: the role's
// trust policy must allow the caller, and, unless it names the caller
// itself in the role's own account, the caller's own policies must allow
// sts:AssumeRole on the role
// (the engine's resource-based evaluation, policy.PolicySet.Resource);
// sts:TagSession too when the request passes session tags, and
// sts:SetSourceIdentity when it sets a source identity (IAM User Guide,
// "Passing session tags in AWS STS", "Monitor and control actions taken
// with assumed roles"). A refusal of sts:AssumeRole, and a missing role,
// is the one AccessDenied AWS answers.
func authorizeAssumeRole(tx *store.Tx, c wire.Caller, req *RoleSessionRequest, role *store.Role, now time.Time, keys []requestKey) error {
	if role == nil {
		return assumeRoleDenied(c.ARN, req.RoleARN)
	}
	permissions := []string{"sts:AssumeRole"}
	if len(req.Tags) > 0 || len(req.TransitiveTagKeys) > 0 {
		permissions = append(permissions, "sts:TagSession")
	}
	if req.SourceIdentity != "" {
		permissions = append(permissions, "sts:SetSourceIdentity")
	}
	a, _ := c.Auth.(*requestAuth)
	if a == nil {
		return nil
	}
	p, err := a.e.principals.load(tx, a.gen, c)
	if err != nil {
		return err
	}
	set := p.set
	set.Resource, set.ResourceMustAllow = compiled("trust:"+role.Name, role.TrustPolicy), true
	set.CrossAccount = role.Account != c.Account
	if set.Resource == nil {
		return assumeRoleDenied(c.ARN, req.RoleARN)
	}
	ctx := requestContext(p, c, now, keys)
	a.addMFAAge(ctx, c, now)
	if req.MFA {
		ctx["aws:multifactorauthpresent"] = []string{"true"}
		ctx["aws:multifactorauthage"] = []string{strconv.FormatInt(int64(now.Sub(req.MFATime)/time.Second), 10)}
	}
	principal := policy.Caller{Type: "AWS", ID: c.ARN, Account: c.Account}
	if arn := p.context["aws:principalarn"]; len(arn) == 1 && arn[0] != c.ARN {
		principal.Also = arn
	}
	resource := roleARN(partition(c), role.Account, role.Path, role.Name)
	for _, permission := range permissions {
		r := policy.Request{Action: permission, Resource: resource, Context: ctx, Principal: principal}
		d := policy.Evaluate(&r, &set)
		if !d.Allowed && a.enforceDenial(c, permission, resource, d) {
			return stsDenied(c.ARN, permission, req.RoleARN)
		}
	}
	return nil
}

// requestContext is the request's context keys, lower-cased as the engine
// reads them: the principal's, the request's, then the action's own.
func requestContext(p *callerPolicies, c wire.Caller, now time.Time, keys []requestKey) map[string][]string {
	ctx := make(map[string][]string, len(p.context)+8+len(keys))
	for k, v := range p.context {
		ctx[k] = v
	}
	ctx["aws:currenttime"] = []string{now.UTC().Format(time.RFC3339)}
	ctx["aws:epochtime"] = []string{strconv.FormatInt(now.Unix(), 10)}
	ctx["aws:securetransport"] = []string{strconv.FormatBool(c.Secure)}
	if c.SourceIP != "" {
		ctx["aws:sourceip"] = []string{c.SourceIP}
	}
	if c.UserAgent != "" {
		ctx["aws:useragent"] = []string{c.UserAgent}
	}
	if c.Region != "" {
		ctx["aws:requestedregion"] = []string{c.Region}
	}
	// Long-term keys carry no MFA keys at all, as on AWS: that is what makes
	// BoolIfExists aws:MultiFactorAuthPresent false deny them.
	if c.MFA {
		ctx["aws:multifactorauthpresent"] = []string{"true"}
		if !p.mfaTime.IsZero() {
			ctx["aws:multifactorauthage"] = []string{strconv.FormatInt(int64(now.Sub(p.mfaTime)/time.Second), 10)}
		}
	}
	for _, k := range keys {
		ctx[strings.ToLower(k.name)] = k.values
	}
	return ctx
}

// deniedResource is the resource as AWS's AccessDenied names it for the
// action (actions.go).
func deniedResource(permission, resource string) string {
	_, name, _ := strings.Cut(permission, ":")
	a, ok := actionOf(name)
	if !ok {
		return resource
	}
	if resource == "*" && a.DeniedAs == deniedAsPath {
		return a.Lists.String() + " path /"
	}
	if resource == "*" {
		return resource
	}
	_, rest, _ := strings.Cut(resource, ":"+a.Resource.String()+"/")
	switch a.DeniedAs {
	case deniedAsName:
		if i := strings.LastIndexByte(rest, '/'); i >= 0 {
			rest = rest[i+1:]
		}
		return a.Resource.String() + " " + rest
	case deniedAsPath:
		path := "/" + strings.TrimSuffix(rest, "*")
		return a.Lists.String() + " path " + path
	}
	return resource
}

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

// hasCode reports whether err is an AWS error with code.
func hasCode(err error, code string) bool {
	var we *wire.Error
	return errors.As(err, &we) && we.Code == code
}

// missingAuthorized is err, a failed load of the entity an action names,
// unless the caller may not perform action on arn, the ARN the entity
// would have at path "/": then the denial. Authorization comes before
// existence on AWS: a caller without the permission is denied whether or
// not the entity exists (the AccessDenied texts users post for names that
// do not exist; IAM User Guide, "How IAM works": a request is authorized
// before the service performs it), so a denied caller learns nothing.
func missingAuthorized(tx *store.Tx, c wire.Caller, action, arn string, err error) error {
	if hasCode(err, "NoSuchEntity") {
		if denied := authorize(tx, c, action, arn); denied != nil {
			return denied
		}
	}
	return err
}
