package policy

import (
	"slices"
	"strings"
)

// principalSet is a compiled Principal or NotPrincipal element. AWS allows
// no wildcard in a principal but "*" itself, so identifiers compare
// exactly.
type principalSet struct {
	any bool
	ids map[string][]string // by principal type: "AWS", "Service", "Federated", "CanonicalUser"
}

func compilePrincipal(p *Principal) *principalSet {
	ids := make(map[string][]string, len(p.IDs))
	for typ, list := range p.IDs {
		ids[typ] = slices.Clone(list)
	}
	return &principalSet{any: p.Any, ids: ids}
}

// grant is how a resource-based policy's statement names the caller, which
// decides what else must allow the request.
type grant uint8

const (
	// grantNone: the statement does not name the caller.
	grantNone grant = iota
	// grantAccount: it names the caller's account, which delegates the
	// decision to the account's identity-based policies.
	grantAccount
	// grantRole: it names the role of a role session; permissions
	// boundaries and session policies still limit it.
	grantRole
	// grantCaller: it names the caller itself (its ARN, or "*").
	grantCaller
)

// match answers how the element names the caller. A statement without a
// Principal element names no one.
func (p *principalSet) match(c *Caller) grant {
	if p == nil {
		return grantNone
	}
	if p.any {
		return grantCaller
	}
	best := grantNone
	for _, id := range p.ids[c.Type] {
		switch {
		case id == "*" || id == c.ID:
			return grantCaller
		case c.Type == "AWS" && slices.Contains(c.Also, id):
			best = max(best, grantRole)
		case c.Type == "AWS" && c.Account != "" && namesAccount(id, c.Account):
			best = max(best, grantAccount)
		}
	}
	return best
}

// namesAccount reports whether id is the account as a principal: its id,
// or arn:PARTITION:iam::ACCOUNT:root.
func namesAccount(id, account string) bool {
	if id == account {
		return true
	}
	rest, ok := strings.CutPrefix(id, "arn:")
	if !ok {
		return false
	}
	_, rest, _ = strings.Cut(rest, ":")
	return rest == "iam::"+account+":root"
}
