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
	return &principalSet{any: p.Any, ids: p.IDs}
}

// match reports whether the element names the caller, and whether it names
// it directly (by its ARN, or "*") rather than through its account, which
// delegates the decision to the account's identity-based policies. A
// statement without a Principal element names no one.
func (p *principalSet) match(c *Caller) (matched, direct bool) {
	if p == nil {
		return false, false
	}
	if p.any {
		return true, true
	}
	for _, id := range p.ids[c.Type] {
		switch {
		case id == "*" || id == c.ID:
			return true, true
		case c.Type == "AWS" && slices.Contains(c.Also, id):
			return true, true
		case c.Type == "AWS" && c.Account != "" && namesAccount(id, c.Account):
			matched = true
		}
	}
	return matched, false
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
