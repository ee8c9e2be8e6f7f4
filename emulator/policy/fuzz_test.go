package policy

import (
	"errors"
	"testing"
)

// FuzzParse checks that no document panics the parser, the validator or
// the engine, and that every refusal is an *Error (answered as
// MalformedPolicyDocument).
func FuzzParse(f *testing.F) {
	for _, c := range awsInvalid {
		f.Add(c.doc)
	}
	for _, c := range awsValid {
		f.Add(c.doc)
	}
	f.Add(denyWithoutMFA)
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"${aws:PrincipalTag/t, 'x'}*"}}}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		d, err := Parse(doc)
		var perr *Error
		if err != nil && !errors.As(err, &perr) {
			t.Fatalf("Parse error %T %v, want *Error", err, err)
		}
		if _, err := ParseIdentity(doc); err != nil && !errors.As(err, &perr) {
			t.Fatalf("ParseIdentity error %T %v, want *Error", err, err)
		}
		if d == nil {
			return
		}
		req := &Request{Action: "iam:GetUser", Resource: "arn:aws:iam::123456789012:user/alice",
			Context:   ctx{"aws:username": {"alice"}, "aws:tagkeys": {"a", "b"}, "aws:currenttime": {"2020-01-01T00:00:00Z"}},
			Principal: Caller{Type: "AWS", ID: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"}}
		p := Compile("fuzz", d)
		Evaluate(req, &PolicySet{Identity: []*Compiled{p}, Boundary: p, Session: []*Compiled{p}, Resource: p})
	})
}
