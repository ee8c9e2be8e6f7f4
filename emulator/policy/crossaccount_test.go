package policy

import "testing"

// A role of another account: its trust policy and the caller's own
// identity-based policies must both allow, however the trust names the
// caller.
func TestEvaluateCrossAccountTrust(t *testing.T) {
	const role = "arn:aws:iam::210987654321:role/r"
	trust := func(principal string) *Compiled {
		return compiled(t, "trust:role/r", `{"Version":"2012-10-17","Statement":{"Sid":"Trust","Effect":"Allow","Principal":`+principal+`,"Action":"sts:AssumeRole"}}`)
	}
	allowAssume := compiled(t, "assume", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+role+`"}}`)
	check := func(name, principal string, identity []*Compiled, allowed bool, reason Reason) {
		t.Run(name, func(t *testing.T) {
			set := &PolicySet{Identity: identity, Resource: trust(principal), ResourceMustAllow: true, CrossAccount: true}
			got := Evaluate(aliceRequest("sts:AssumeRole", role, nil), set)
			if got.Allowed != allowed || got.Reason != reason {
				t.Fatalf("decision = %+v (%v), want allowed=%v reason=%v", got, got.Reason, allowed, reason)
			}
		})
	}
	check("user ARN without identity policy", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, nil, false, DeniedNoIdentityAllow)
	check("user ARN and identity policy", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, []*Compiled{allowAssume}, true, AllowedByIdentity)
	check("account root and identity policy", `{"AWS":"arn:aws:iam::123456789012:root"}`, []*Compiled{allowAssume}, true, AllowedByIdentity)
	check("star without identity policy", `"*"`, nil, false, DeniedNoIdentityAllow)
	check("identity policy without trust", `{"AWS":"arn:aws:iam::210987654321:root"}`, []*Compiled{allowAssume}, false, DeniedNoResourceAllow)
}
