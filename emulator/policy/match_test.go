package policy

import "testing"

func TestPatternMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "iam:createuser", true},
		{"iam:createuser", "iam:createuser", true},
		{"iam:createuser", "iam:createusers", false},
		{"iam:get*", "iam:getuser", true},
		{"iam:get*", "iam:listusers", false},
		{"iam:*accesskey*", "iam:createaccesskey", true},
		{"iam:*accesskey*", "iam:listaccesskeys", true},
		{"iam:*accesskey*", "iam:createuser", false},
		{"iam:?etuser", "iam:getuser", true},
		{"iam:?etuser", "iam:etuser", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"a*", "a", true},
		{"*z", "abcz", true},
		{`a\*b`, "a*b", true},
		{`a\*b`, "axb", false},
		{`a\?`, "a?", true},
		{`a\\b`, `a\b`, true},
		{"h?llo", "héllo", true},
	}
	for _, c := range cases {
		if got := newPattern(c.pattern).match(c.s); got != c.want {
			t.Errorf("%q.match(%q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

// The examples are AWS's, from "Using wildcards in resource ARNs":
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func TestPatternMatchARN(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:iam::123456789012:user/alice", true},
		{"*", "*", true},
		{"arn:aws:iam::123456789012:user/*", "*", false},
		{"arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/Bob", true},
		{"arn:aws:iam::123456789012:user/Bob", "arn:aws:iam::123456789012:user/bob", false},
		{"arn:aws:iam::123456789012:user/accounting/*", "arn:aws:iam::123456789012:user/accounting/alice", true},
		{"arn:aws:iam::123456789012:user/accounting/*", "arn:aws:iam::123456789012:user/dev/alice", false},
		{"arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt", true},
		{"arn:aws:s3:::amzn-s3-demo-bucket/*/test/*", "arn:aws:s3:::amzn-s3-demo-bucket/1/test/object.jpg", true},
		{"arn:aws:s3:::amzn-s3-demo-bucket/*/test/*", "arn:aws:s3:::amzn-s3-demo-bucket/1/2/test/3/object.jpg", true},
		{"arn:aws:s3:::amzn-s3-demo-bucket/*/test/*", "arn:aws:s3:::amzn-s3-demo-bucket/1/2/object.jpg", false},
		{"arn:aws:iam::*:user/alice", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::*:user/alice", "arn:aws:iam::123456789012:user/bob", false},
		{"arn:aws:iam::12345678901?:user/a*e", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::12345678901?:user/a*e", "arn:aws:iam::123456789012:user/bob", false},
		{"arn:*:iam::123456789012:user/a?ice", "arn:aws-cn:iam::123456789012:user/alice", true},
		// A * that ends the pattern's last segment reaches beyond colons.
		{"arn:aws:iam::*", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:*", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::1*", "arn:aws:iam::123456789012:user/alice", true},
		{"arn:aws:iam::1?3*", "arn:aws:iam::123456789012:user/alice", true},
		// Elsewhere a wildcard stays within its segment.
		{"arn:aws:iam:*:user/alice", "arn:aws:iam::123456789012:user/alice", false},
		{"arn:aws:logs:us-east-1:123456789012:log-group:*:log-stream:s", "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s", true},
	}
	for _, c := range cases {
		if got := newPattern(c.pattern).matchARN(c.arn); got != c.want {
			t.Errorf("%q.matchARN(%q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}
