package policy

import (
	"fmt"
	"strings"
	"testing"
)

// benchPolicy is a managed policy of 20 statements, each with conditions,
// in the shape of real ones: literal and wildcard actions of several
// services, ARNs with paths, tag and MFA conditions.
func benchPolicy(tb testing.TB, n int) *Compiled {
	tb.Helper()
	var statements []string
	for i := range 20 {
		var s string
		switch i % 4 {
		case 0:
			s = fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","ec2:Describe%d*"],"Resource":"arn:aws:s3:::bucket-%d/${aws:username}/*",
				"Condition":{"StringEquals":{"aws:PrincipalTag/team":["blue","green"]},"Bool":{"aws:SecureTransport":"true"}}}`, i, n, n)
		case 1:
			s = fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["iam:Get%d*","iam:List%dGroups"],"Resource":"arn:aws:iam::123456789012:group/team-%d/*",
				"Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}}`, i, n, n, n)
		case 2:
			s = fmt.Sprintf(`{"Sid":"S%d","Effect":"Deny","Action":"dynamodb:Delete%d*","Resource":"*",
				"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`, i, n)
		case 3:
			s = fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["sqs:SendMessage","sns:Publish"],"Resource":"arn:aws:sqs:*:123456789012:queue-%d-*",
				"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]},"StringLike":{"aws:RequestTag/env":"prod-*"}}}`, i, n)
		}
		statements = append(statements, s)
	}
	doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
	d, err := ParseIdentity(doc)
	if err != nil {
		tb.Fatalf("ParseIdentity: %v", err)
	}
	return Compile(fmt.Sprintf("arn:aws:iam::123456789012:policy/p%d", n), d)
}

// benchSet is the case: a user in 2 groups with 10 managed
// policies of 20 statements each on each group.
func benchSet(tb testing.TB) *PolicySet {
	set := &PolicySet{}
	for n := range 20 {
		set.Identity = append(set.Identity, benchPolicy(tb, n))
	}
	return set
}

func benchRequest(action string) *Request {
	return &Request{Action: action, Resource: "arn:aws:iam::123456789012:user/alice",
		Context: ctx{
			"aws:username": {"alice"}, "aws:userid": {"AIDAEXAMPLE"}, "aws:principaltag/team": {"blue"},
			"aws:sourceip": {"10.1.2.3"}, "aws:securetransport": {"true"}, "aws:currenttime": {"2026-12-02T00:00:00Z"},
			"aws:principalarn": {"arn:aws:iam::123456789012:user/alice"}, "aws:principalaccount": {"123456789012"},
		},
		Principal: Caller{Type: "AWS", ID: "arn:aws:iam::123456789012:user/alice", Account: "123456789012"}}
}

// BenchmarkEvaluate400Statements: an action no statement allows, so that
// every candidate statement of the 20 policies is checked (the slowest
// path), and one allowed by the last policy.
func BenchmarkEvaluate400Statements(b *testing.B) {
	set := benchSet(b)
	for _, c := range []struct{ name, action string }{
		{"implicit-deny", "iam:CreateUser"},
		{"allowed-by-last", "iam:Get19User"},
		{"wildcard-denied", "dynamodb:Delete7Table"},
	} {
		req := benchRequest(c.action)
		if c.name == "allowed-by-last" {
			req.Resource = "arn:aws:iam::123456789012:group/team-19/dev"
			if d := Evaluate(req, set); !d.Allowed {
				b.Fatalf("%s: %+v, want allowed", c.name, d)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Evaluate(req, set)
			}
		})
	}
}

// BenchmarkCompile: compiling one of those policies from its parsed form,
// the cost paid once per store generation.
func BenchmarkCompile(b *testing.B) {
	d, err := ParseIdentity(denyWithoutMFA)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Compile("p", d)
	}
}

// BenchmarkEvaluateDenyUnlessMFA: AWS's self-service policy for a
// long-term key, which resolves ${aws:username}.
func BenchmarkEvaluateDenyUnlessMFA(b *testing.B) {
	set := &PolicySet{Identity: []*Compiled{compiled(b, "mfa", denyWithoutMFA)}}
	req := aliceRequest("iam:ChangePassword", "arn:aws:iam::123456789012:user/alice", nil)
	if d := Evaluate(req, set); !d.Allowed {
		b.Fatalf("%+v, want allowed", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(req, set)
	}
}
