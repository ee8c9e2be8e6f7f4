package policy

import (
	"strconv"
	"strings"
)

// Request is one call to authorize.
type Request struct {
	// Action is "service:Action" in any case: "iam:CreateUser".
	Action string
	// Resource is the resource's ARN, or "*" for an action without
	// resource-level permissions.
	Resource string
	// Context holds the request's context keys, lower-cased
	// ("aws:username", "aws:principaltag/team"), each with its values:
	// one for a single-valued key, any number for a multivalued one
	// (aws:TagKeys). An absent key is absent from the map; aws:CurrentTime
	// and the rest come from the caller, so evaluation reads no clock.
	Context map[string][]string
	// Root is set when the caller is the account's root user, whom AWS
	// allows everything in its own account.
	Root bool
	// Principal is the caller as a resource-based policy's Principal
	// element names it.
	Principal Caller
}

// Caller is the principal making a request, for matching a resource-based
// policy's Principal and NotPrincipal.
type Caller struct {
	// Type is the principal type: "AWS" for IAM users, roles and sessions
	// (and the root user), "Service", or "Federated".
	Type string
	// ID is the caller's ARN ("arn:aws:iam::123456789012:user/alice",
	// "arn:aws:sts::123456789012:assumed-role/r/s"), the service name
	// ("ec2.amazonaws.com"), or the identity provider (an ARN or
	// "accounts.google.com").
	ID string
	// Also are other ARNs naming the same caller: for a role session, the
	// role's ARN.
	Also []string
	// Account is the caller's account id, for principals naming the
	// account ("123456789012" or "arn:aws:iam::123456789012:root").
	Account string
}

// PolicySet is every policy that applies to a request.
type PolicySet struct {
	// Identity holds the caller's identity-based policies: its inline and
	// attached policies and those of its groups.
	Identity []*Compiled
	// Boundary is the caller's permissions boundary, nil when none is set.
	Boundary *Compiled
	// Session holds the session policies of a session caller, nil for a
	// caller that is not a session or a session without one.
	Session []*Compiled
	// Resource is the resource-based policy of the resource (a role's
	// trust policy for sts:AssumeRole), nil when it has none.
	Resource *Compiled
	// ResourceMustAllow is set for a resource-based policy that must allow
	// the request itself, as a role trust policy must: AWS makes role trust
	// policies an exception to "an identity-based or a resource-based
	// policy allows".
	ResourceMustAllow bool
	// CrossAccount is set when the resource belongs to another account
	// than the caller: the resource-based policy then never allows alone,
	// however it names the caller, and the caller's identity-based
	// policies must allow too (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
	CrossAccount bool
}

// Reason is why a request was allowed or denied.
type Reason uint8

// The reasons, in AWS's words where AWS's denial message gives them.
const (
	AllowedAsRoot Reason = iota
	AllowedByIdentity
	AllowedByResource
	DeniedExplicitlyByIdentity
	DeniedExplicitlyByBoundary
	DeniedExplicitlyBySession
	DeniedExplicitlyByResource
	DeniedNoIdentityAllow
	DeniedNoBoundaryAllow
	DeniedNoSessionAllow
	DeniedNoResourceAllow
)

var reasonTexts = [...]string{
	AllowedAsRoot:              "allowed as the account's root user",
	AllowedByIdentity:          "allowed by an identity-based policy",
	AllowedByResource:          "allowed by a resource-based policy",
	DeniedExplicitlyByIdentity: "with an explicit deny in an identity-based policy",
	DeniedExplicitlyByBoundary: "with an explicit deny in a permissions boundary",
	DeniedExplicitlyBySession:  "with an explicit deny in a session policy",
	DeniedExplicitlyByResource: "with an explicit deny in a resource-based policy",
	DeniedNoIdentityAllow:      "because no identity-based policy allows the action",
	DeniedNoBoundaryAllow:      "because no permissions boundary allows the action",
	DeniedNoSessionAllow:       "because no session policy allows the action",
	DeniedNoResourceAllow:      "because no resource-based policy allows the action",
}

func (r Reason) String() string {
	if int(r) < len(reasonTexts) {
		return reasonTexts[r]
	}
	return "reason " + strconv.Itoa(int(r))
}

// ExplicitDeny reports whether the reason is a matching Deny statement.
func (r Reason) ExplicitDeny() bool {
	return r >= DeniedExplicitlyByIdentity && r <= DeniedExplicitlyByResource
}

// Decision is the outcome of Evaluate. Policy and Statement name the
// statement that decided it: the Deny that matched, or the Allow that
// granted; both are empty when no statement did (root, or nothing
// allowed).
type Decision struct {
	Allowed bool
	Reason  Reason
	Policy  string // the Compiled's ID
	// Statement is the statement's Sid, or "#n" for the n-th statement
	// (from 0) of a statement without one.
	Statement string
	Index     int // the statement's position in its policy, -1 when none
}

// Evaluate decides req against set with AWS's evaluation logic for a
// request within one account
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
// an explicit Deny in any policy wins; otherwise an identity-based policy
// must allow, and so must the permissions boundary when one is set and a
// session policy when the caller has them. A resource-based policy that
// grants the caller by its own ARN allows without an identity-based
// policy; one that grants a session's role does too, but the boundary and
// session policies still limit it; one that grants the caller's account
// delegates to the identity-based policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
func Evaluate(req *Request, set *PolicySet) Decision {
	if set == nil {
		set = &PolicySet{}
	}
	if req.Root {
		return Decision{Allowed: true, Reason: AllowedAsRoot, Index: -1}
	}
	e := evaluation{req: req, action: strings.ToLower(req.Action)}
	identity, deny := e.scan(set.Identity)
	if deny.found() {
		return deny.decision(false, DeniedExplicitlyByIdentity)
	}
	var boundary, resource hit
	if set.Boundary != nil {
		if boundary, deny = e.scan1(set.Boundary); deny.found() {
			return deny.decision(false, DeniedExplicitlyByBoundary)
		}
	}
	session, deny := e.scan(set.Session)
	if deny.found() {
		return deny.decision(false, DeniedExplicitlyBySession)
	}
	g := grantNone
	if set.Resource != nil {
		e.principals = true
		if resource, deny = e.scan1(set.Resource); deny.found() {
			return deny.decision(false, DeniedExplicitlyByResource)
		}
		g = e.grant
	}
	switch {
	case set.ResourceMustAllow && !resource.found():
		return Decision{Reason: DeniedNoResourceAllow, Index: -1}
	case set.CrossAccount && !identity.found():
		return Decision{Reason: DeniedNoIdentityAllow, Index: -1}
	case resource.found() && g == grantCaller && !set.CrossAccount:
		return resource.decision(true, AllowedByResource)
	case !identity.found() && !(resource.found() && g == grantRole):
		return Decision{Reason: DeniedNoIdentityAllow, Index: -1}
	case set.Boundary != nil && !boundary.found():
		return Decision{Reason: DeniedNoBoundaryAllow, Index: -1}
	case set.Session != nil && !session.found():
		return Decision{Reason: DeniedNoSessionAllow, Index: -1}
	}
	if !identity.found() {
		return resource.decision(true, AllowedByResource)
	}
	return identity.decision(true, AllowedByIdentity)
}

// hit is a statement that matched.
type hit struct {
	policy *Compiled
	index  int
}

func (h hit) found() bool { return h.policy != nil }

func (h hit) decision(allowed bool, r Reason) Decision {
	return Decision{Allowed: allowed, Reason: r, Policy: h.policy.ID,
		Statement: h.policy.statements[h.index].label, Index: h.index}
}

type evaluation struct {
	req        *Request
	action     string
	principals bool  // the policy is resource-based: match Principal
	grant      grant // how the last matching resource-based statement named the caller
}

// scan finds the first matching Deny statement of policies and, while no
// Allow has matched, the first matching Allow.
func (e *evaluation) scan(policies []*Compiled) (allow, deny hit) {
	for _, p := range policies {
		candidates := p.candidates(e.action)
		if i := p.first(e, candidates, Deny); i >= 0 {
			return allow, hit{p, i}
		}
		if !allow.found() {
			if i := p.first(e, candidates, Allow); i >= 0 {
				allow = hit{p, i}
			}
		}
	}
	return allow, deny
}

func (e *evaluation) scan1(p *Compiled) (allow, deny hit) {
	return e.scan([]*Compiled{p})
}
