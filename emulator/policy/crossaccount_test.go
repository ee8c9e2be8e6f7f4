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
	cases := []struct {
		name      string
		principal string
		identity  []*Compiled
		allowed   bool
		reason    Reason
	}{
		{"user ARN without identity policy", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, nil, false, DeniedNoIdentityAllow},
		{"user ARN and identity policy", `{"AWS":"arn:aws:iam::123456789012:user/alice"}`, []*Compiled{allowAssume}, true, AllowedByIdentity},
		{"account root and identity policy", `{"AWS":"arn:aws:iam::123456789012:root"}`, []*Compiled{allowAssume}, true, AllowedByIdentity},
		{"star without identity policy", `"*"`, nil, false, DeniedNoIdentityAllow},
		{"identity policy without trust", `{"AWS":"arn:aws:iam::210987654321:root"}`, []*Compiled{allowAssume}, false, DeniedNoResourceAllow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := &PolicySet{Identity: c.identity, Resource: trust(c.principal), ResourceMustAllow: true, CrossAccount: true}
			got := Evaluate(aliceRequest("sts:AssumeRole", role, nil), set)
			if got.Allowed != c.allowed || got.Reason != c.reason {
				t.Fatalf("decision = %+v (%v), want allowed=%v reason=%v", got, got.Reason, c.allowed, c.reason)
			}
		})
	}
}
