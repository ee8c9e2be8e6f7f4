package policy

import (
	"strings"
	"testing"
)

type ctx = map[string][]string

// conditionHolds compiles block, a policy's Condition element, and decides
// it for c.
func conditionHolds(t testing.TB, block string, c ctx) bool {
	t.Helper()
	doc := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":`+block+`}}`)
	s := Compile("test", doc).statements[0]
	for i := range s.conditions {
		if !s.conditions[i].eval(c) {
			return false
		}
	}
	return true
}

type conditionCase struct {
	name, block string
	ctx         ctx
	want        bool
}

func runConditionCases(t *testing.T, cases []conditionCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := conditionHolds(t, c.block, c.ctx); got != c.want {
				t.Fatalf("%s with %v = %v, want %v", c.block, c.ctx, got, c.want)
			}
		})
	}
}

func TestConditionString(t *testing.T) {
	tag := func(v ...string) ctx { return ctx{"aws:principaltag/job-category": v} }
	runConditionCases(t, []conditionCase{
		{"equals", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, tag("iamuser-admin"), true},
		{"equals is case-sensitive", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, tag("IAMuser-admin"), false},
		{"equals absent", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`, ctx{}, false},
		{"key is case-insensitive", `{"StringEquals":{"AWS:PRINCIPALTAG/Job-Category":"x"}}`, tag("x"), true},
		{"equals takes * literally", `{"StringEquals":{"aws:PrincipalTag/job-category":"*"}}`, tag("x"), false},
		{"values OR", `{"StringEquals":{"aws:PrincipalTag/job-category":["a","b"]}}`, tag("b"), true},
		{"not equals", `{"StringNotEquals":{"aws:PrincipalTag/job-category":"a"}}`, tag("b"), true},
		{"not equals NOR", `{"StringNotEquals":{"aws:PrincipalTag/job-category":["a","b"]}}`, tag("b"), false},
		{"not equals absent is true", `{"StringNotEquals":{"aws:PrincipalTag/job-category":"a"}}`, ctx{}, true},
		{"ignore case", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"johndoe"}}`, tag("JohnDoe"), true},
		{"not equals ignore case", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"johndoe"}}`, tag("JohnDoe"), false},
		{"like", `{"StringLike":{"aws:PrincipalTag/job-category":"iam*-admin"}}`, tag("iamuser-admin"), true},
		{"like ?", `{"StringLike":{"aws:PrincipalTag/job-category":"a?c"}}`, tag("abc"), true},
		{"like no wildcard is equality", `{"StringLike":{"aws:PrincipalTag/job-category":"abc"}}`, tag("abcd"), false},
		{"like is case-sensitive", `{"StringLike":{"aws:PrincipalTag/job-category":"A*"}}`, tag("abc"), false},
		{"not like", `{"StringNotLike":{"aws:PrincipalTag/job-category":["a*","b*"]}}`, tag("c"), true},
		{"not like NOR", `{"StringNotLike":{"aws:PrincipalTag/job-category":["a*","b*"]}}`, tag("bc"), false},
		{"not like absent is true", `{"StringNotLike":{"aws:PrincipalTag/job-category":"a*"}}`, ctx{}, true},
		{"keys AND", `{"StringEquals":{"aws:PrincipalTag/job-category":"a","aws:username":"bob"}}`, ctx{"aws:principaltag/job-category": {"a"}, "aws:username": {"alice"}}, false},
		{"operators AND", `{"StringEquals":{"aws:PrincipalTag/job-category":"a"},"StringLike":{"aws:username":"a*"}}`, ctx{"aws:principaltag/job-category": {"a"}, "aws:username": {"alice"}}, true},
	})
}

func TestConditionNumeric(t *testing.T) {
	keys := func(v string) ctx { return ctx{"s3:max-keys": {v}} }
	runConditionCases(t, []conditionCase{
		{"less than equals", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, keys("10"), true},
		{"less than equals above", `{"NumericLessThanEquals":{"s3:max-keys":"10"}}`, keys("11"), false},
		{"less than", `{"NumericLessThan":{"s3:max-keys":10}}`, keys("10"), false},
		{"greater than", `{"NumericGreaterThan":{"s3:max-keys":10}}`, keys("10.5"), true},
		{"greater than equals", `{"NumericGreaterThanEquals":{"s3:max-keys":10}}`, keys("10"), true},
		{"equals decimal", `{"NumericEquals":{"s3:max-keys":"10.0"}}`, keys("10"), true},
		{"not equals", `{"NumericNotEquals":{"s3:max-keys":["1","2"]}}`, keys("2"), false},
		{"not equals other", `{"NumericNotEquals":{"s3:max-keys":["1","2"]}}`, keys("3"), true},
		{"context not a number", `{"NumericEquals":{"s3:max-keys":"1"}}`, keys("one"), false},
		{"absent", `{"NumericLessThan":{"s3:max-keys":"10"}}`, ctx{}, false},
		{"absent IfExists", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, ctx{}, true},
		{"present IfExists", `{"NumericLessThanIfExists":{"s3:max-keys":"10"}}`, keys("20"), false},
	})
}

func TestConditionDate(t *testing.T) {
	now := func(v string) ctx { return ctx{"aws:currenttime": {v}} }
	runConditionCases(t, []conditionCase{
		{"window inside", `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}`, now("2020-05-01T12:00:00Z"), true},
		{"window after", `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}`, now("2020-07-01T00:00:00Z"), false},
		{"equals across zones", `{"DateEquals":{"aws:CurrentTime":"2020-04-01T02:00:00+02:00"}}`, now("2020-04-01T00:00:00Z"), true},
		{"epoch policy value", `{"DateLessThan":{"aws:CurrentTime":"1585699200"}}`, now("2020-03-31T23:59:59Z"), true},
		{"epoch context value", `{"DateGreaterThanEquals":{"aws:EpochTime":"2020-04-01T00:00:00Z"}}`, ctx{"aws:epochtime": {"1585699200"}}, true},
		{"date only", `{"DateLessThanEquals":{"aws:CurrentTime":"2020-04-01"}}`, now("2020-04-01T00:00:00Z"), true},
		{"fractions", `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00.5Z"}}`, now("2020-04-01T00:00:00.6Z"), true},
		{"not equals", `{"DateNotEquals":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}`, now("2020-04-01T00:00:00Z"), false},
		{"token age", `{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}`, ctx{}, false},
	})
}

func TestConditionBool(t *testing.T) {
	mfa := func(v string) ctx { return ctx{"aws:multifactorauthpresent": {v}} }
	runConditionCases(t, []conditionCase{
		{"true", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`, mfa("true"), true},
		{"JSON boolean", `{"Bool":{"aws:MultiFactorAuthPresent":true}}`, mfa("true"), true},
		{"case", `{"Bool":{"aws:SecureTransport":"True"}}`, ctx{"aws:securetransport": {"true"}}, true},
		{"false vs true", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, mfa("true"), false},
		{"absent", `{"Bool":{"aws:MultiFactorAuthPresent":"false"}}`, ctx{}, false},
		{"absent IfExists", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, ctx{}, true},
		{"present IfExists", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`, mfa("true"), false},
	})
}

func TestConditionBinary(t *testing.T) {
	runConditionCases(t, []conditionCase{
		{"equal", `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, ctx{"key": {"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}, true},
		{"different", `{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, ctx{"key": {"QmluYXJ5"}}, false},
		{"policy not base64", `{"BinaryEquals":{"key":"not base64!"}}`, ctx{"key": {"not base64!"}}, false},
	})
}

func TestConditionIPAddress(t *testing.T) {
	ip := func(v string) ctx { return ctx{"aws:sourceip": {v}} }
	runConditionCases(t, []conditionCase{
		{"v4 in", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ip("203.0.113.7"), true},
		{"v4 out", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`, ip("203.0.114.7"), false},
		{"bare address", `{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}`, ip("203.0.113.7"), true},
		{"unmasked block", `{"IpAddress":{"aws:SourceIp":"203.0.113.7/24"}}`, ip("203.0.113.9"), true},
		{"v6 in", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ip("2001:db8:1234:5678::1"), true},
		{"v6 out", `{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}`, ip("2001:db8:1234:5679::1"), false},
		{"v4 in a v6 list", `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}`, ip("203.0.113.1"), true},
		{"mapped v4", `{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`, ip("::ffff:127.0.0.1"), true},
		{"not", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, ip("198.51.100.1"), true},
		{"not NOR", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`, ip("192.0.2.1"), false},
		{"context not an address", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`, ip("localhost"), false},
	})
}

func TestConditionARN(t *testing.T) {
	src := func(v string) ctx { return ctx{"aws:sourcearn": {v}} }
	runConditionCases(t, []conditionCase{
		{"equals", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:t"}}`, src("arn:aws:sns:us-east-1:123456789012:t"), true},
		{"like per segment", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, src("arn:aws:sns:us-west-2:123456789012:t"), true},
		{"like other account", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`, src("arn:aws:sns:us-west-2:210987654321:t"), false},
		{"equals takes wildcards", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:123456789012:t"}}`, src("arn:aws:sns:eu-west-1:123456789012:t"), true},
		{"case-sensitive", `{"ArnLike":{"aws:SourceArn":"arn:aws:iam::123456789012:user/Bob"}}`, src("arn:aws:iam::123456789012:user/bob"), false},
		{"not like", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:iam::*:role/admin*"}}`, src("arn:aws:iam::1:role/dev"), true},
		{"not equals NOR", `{"ArnNotEquals":{"aws:SourceArn":["arn:aws:iam::1:role/a","arn:aws:iam::1:role/b"]}}`, src("arn:aws:iam::1:role/a"), false},
		{"not like absent", `{"ArnNotLike":{"aws:SourceArn":"arn:aws:iam::*:role/admin*"}}`, ctx{}, true},
	})
}

func TestConditionNull(t *testing.T) {
	runConditionCases(t, []conditionCase{
		{"true when absent", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{}, true},
		{"true when present", `{"Null":{"aws:TokenIssueTime":"true"}}`, ctx{"aws:tokenissuetime": {"2020-01-01T00:00:00Z"}}, false},
		{"false when present", `{"Null":{"aws:TokenIssueTime":false}}`, ctx{"aws:tokenissuetime": {"2020-01-01T00:00:00Z"}}, true},
		{"false when absent", `{"Null":{"aws:TokenIssueTime":"false"}}`, ctx{}, false},
		{"empty list is absent", `{"Null":{"aws:TagKeys":"true"}}`, ctx{"aws:tagkeys": {}}, true},
	})
}

// The cases follow AWS's "Set operators for multivalued context keys"
// examples: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func TestConditionSetQualifiers(t *testing.T) {
	tags := func(v ...string) ctx { return ctx{"aws:tagkeys": v} }
	const allowed = `["environment","cost-center"]`
	runConditionCases(t, []conditionCase{
		{"all values: every key allowed", `{"ForAllValues:StringEquals":{"aws:TagKeys":` + allowed + `}}`, tags("environment", "cost-center"), true},
		{"all values: one key not allowed", `{"ForAllValues:StringEquals":{"aws:TagKeys":` + allowed + `}}`, tags("environment", "owner"), false},
		{"all values: absent key", `{"ForAllValues:StringEquals":{"aws:TagKeys":` + allowed + `}}`, ctx{}, true},
		{"all values: empty key", `{"ForAllValues:StringEquals":{"aws:TagKeys":` + allowed + `}}`, tags(), true},
		{"any value: one matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":` + allowed + `}}`, tags("owner", "environment"), true},
		{"any value: none matches", `{"ForAnyValue:StringEquals":{"aws:TagKeys":` + allowed + `}}`, tags("owner"), false},
		{"any value: absent key", `{"ForAnyValue:StringEquals":{"aws:TagKeys":` + allowed + `}}`, ctx{}, false},
		{"any value: absent key IfExists", `{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":` + allowed + `}}`, ctx{}, true},
		{"any value not equals: one outside", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":` + allowed + `}}`, tags("environment", "owner"), true},
		{"any value not equals: all inside", `{"ForAnyValue:StringNotEquals":{"aws:TagKeys":` + allowed + `}}`, tags("environment"), false},
		{"all values not equals: none inside", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":` + allowed + `}}`, tags("owner", "team"), true},
		{"all values not equals: one inside", `{"ForAllValues:StringNotEquals":{"aws:TagKeys":` + allowed + `}}`, tags("owner", "environment"), false},
		{"all values like", `{"ForAllValues:StringLike":{"aws:TagKeys":["key*","tag?"]}}`, tags("key1", "tag2"), true},
		// "Multivalued context keys require a condition set operator."
		{"unqualified on a multivalued key", `{"StringEquals":{"aws:TagKeys":"environment"}}`, tags("owner", "environment"), false},
		{"unqualified on a multivalued key of one value", `{"StringEquals":{"aws:TagKeys":"environment"}}`, tags("environment"), false},
		{"unqualified negated on a multivalued key", `{"StringNotEquals":{"aws:TagKeys":"environment"}}`, tags("owner", "team"), false},
		{"unqualified on several values of another key", `{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`, ctx{"aws:principaltag/team": {"blue", "red"}}, false},
		{"unqualified IfExists on a multivalued key", `{"StringEqualsIfExists":{"aws:TagKeys":"environment"}}`, tags("environment"), false},
	})
}

func TestConditionVariables(t *testing.T) {
	alice := ctx{"aws:username": {"alice"}, "aws:principaltag/team": {"blue"}, "aws:requesttag/team": {"blue"}}
	runConditionCases(t, []conditionCase{
		{"equals a tag", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}`, alice, true},
		{"other tag", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}`, ctx{"aws:requesttag/team": {"red"}, "aws:principaltag/team": {"blue"}}, false},
		{"variable in like", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx{"aws:username": {"alice"}, "s3:prefix": {"home/alice/docs"}}, true},
		{"variable in like other user", `{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}`, ctx{"aws:username": {"bob"}, "s3:prefix": {"home/alice/docs"}}, false},
		{"resolved value is literal", `{"StringLike":{"s3:prefix":"${aws:PrincipalTag/p}"}}`, ctx{"aws:principaltag/p": {"a*"}, "s3:prefix": {"abc"}}, false},
		{"unresolved makes it false", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}`, ctx{"aws:requesttag/team": {"blue"}}, false},
		{"unresolved negated is false too", `{"StringNotEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}`, ctx{"aws:requesttag/team": {"blue"}}, false},
		{"default", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team, 'none'}"}}`, ctx{"aws:requesttag/team": {"none"}}, true},
		{"default unused", `{"StringEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team, 'none'}"}}`, alice, true},
		{"${*} literal", `{"StringLike":{"s3:prefix":"a${*}"}}`, ctx{"s3:prefix": {"a*"}}, true},
		{"${*} not a wildcard", `{"StringLike":{"s3:prefix":"a${*}"}}`, ctx{"s3:prefix": {"ab"}}, false},
		{"${?} ${$}", `{"StringEquals":{"s3:prefix":"${?}${$}"}}`, ctx{"s3:prefix": {"?$"}}, true},
		{"not in Numeric", `{"NumericEquals":{"s3:max-keys":"${aws:username}"}}`, ctx{"aws:username": {"1"}, "s3:max-keys": {"1"}}, false},
	})
}

func TestConditionVariablesNeedVersion2012(t *testing.T) {
	for _, version := range []string{`"Version":"2008-10-17",`, ""} {
		doc := mustParse(t, `{`+version+`"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"${aws:username}"}}}}`)
		c := Compile("p", doc).statements[0].conditions[0]
		if got := c.eval(ctx{"aws:username": {"alice"}, "s3:prefix": {"alice"}}); got {
			t.Fatalf("%s: variable resolved, want literal text", strings.TrimSuffix(version, ","))
		}
		if got := c.eval(ctx{"s3:prefix": {"${aws:username}"}}); !got {
			t.Fatalf("%s: literal ${aws:username} did not match", strings.TrimSuffix(version, ","))
		}
	}
}

// TestConditionAbsentKeyEveryOperator: for a key the request lacks, AWS
// makes every …IfExists form true, a negated operator true and the others
// false.
func TestConditionAbsentKeyEveryOperator(t *testing.T) {
	for name, op := range operators {
		if op.kind == opNull {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if got, want := conditionHolds(t, `{"`+name+`":{"k":"1"}}`, ctx{"other": {"1"}}), op.negated; got != want {
				t.Fatalf("%s with the key absent = %v, want %v", name, got, want)
			}
			if got := conditionHolds(t, `{"`+name+`IfExists":{"k":"1"}}`, ctx{}); !got {
				t.Fatalf("%sIfExists with the key absent = false, want true", name)
			}
		})
	}
}
