package emulator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

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
