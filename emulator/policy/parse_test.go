package policy

import (
	"reflect"
	"testing"
)

func mustParse(t testing.TB, doc string) *Document {
	t.Helper()
	d, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse(%s) = %v, want nil", doc, err)
	}
	return d
}

func TestParseStatementObjectOrList(t *testing.T) {
	one := mustParse(t, `{"Version":"2012-10-17","Id":"p1","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	list := mustParse(t, `{"Version":"2012-10-17","Id":"p1","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	want := &Document{Version: "2012-10-17", ID: "p1", Statements: []Statement{
		{Effect: Allow, Action: []string{"s3:getobject"}, Resource: []string{"*"}},
	}}
	if !reflect.DeepEqual(one, want) {
		t.Fatalf("one statement = %+v, want %+v", one, want)
	}
	if !reflect.DeepEqual(list, want) {
		t.Fatalf("list of one = %+v, want %+v", list, want)
	}
}

func TestParseStringOrListValues(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"A","Effect":"Deny","NotAction":["IAM:Get*","S3:List*"],"NotResource":["arn:aws:s3:::B","arn:aws:s3:::B/*"]},
		{"Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::Bucket"}]}`)
	want := []Statement{
		{Sid: "A", Effect: Deny, NotAction: []string{"iam:get*", "s3:list*"},
			NotResource: []string{"arn:aws:s3:::B", "arn:aws:s3:::B/*"}},
		{Effect: Allow, Action: []string{}, Resource: []string{"arn:aws:s3:::Bucket"}},
	}
	if !reflect.DeepEqual(d.Statements, want) {
		t.Fatalf("statements = %+v, want %+v", d.Statements, want)
	}
	if d.Statements[0].Action != nil {
		t.Fatalf("absent Action = %#v, want nil", d.Statements[0].Action)
	}
}

func TestParsePrincipal(t *testing.T) {
	cases := []struct {
		name, principal string
		want            *Principal
	}{
		{"star", `"*"`, &Principal{Any: true}},
		{"map of string and list", `{"AWS":"arn:aws:iam::111122223333:root","Service":["ec2.amazonaws.com","lambda.amazonaws.com"]}`,
			&Principal{IDs: map[string][]string{
				"AWS":     {"arn:aws:iam::111122223333:root"},
				"Service": {"ec2.amazonaws.com", "lambda.amazonaws.com"},
			}}},
		{"AWS star", `{"AWS":"*"}`, &Principal{IDs: map[string][]string{"AWS": {"*"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":`+c.principal+`,"Action":"sts:AssumeRole"}}`)
			if got := d.Statements[0].Principal; !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Principal = %+v, want %+v", got, c.want)
			}
		})
	}
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":["a","b"]},"Action":"s3:*","Resource":"*"}}`)
	if got, want := d.Statements[0].NotPrincipal, (&Principal{IDs: map[string][]string{"AWS": {"a", "b"}}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("NotPrincipal = %+v, want %+v", got, want)
	}
}

func TestParseConditions(t *testing.T) {
	d := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{
		"StringEquals":{"aws:RequestTag/CostCenter":["A-123","B-456"],"aws:PrincipalTag/Team":"Data"},
		"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":"cost*"},
		"Bool":{"aws:SecureTransport":false},
		"NumericLessThan":{"s3:max-keys":10},
		"DateGreaterThan":{"aws:CurrentTime":[]},
		"Unknown":{}}}}`)
	want := []Condition{
		{Operator: "Bool", Base: "Bool", Key: "aws:securetransport", Values: []string{"false"}},
		{Operator: "DateGreaterThan", Base: "DateGreaterThan", Key: "aws:currenttime", Values: []string{}},
		{Operator: "ForAnyValue:StringLikeIfExists", Set: "ForAnyValue", Base: "StringLike", IfExists: true,
			Key: "aws:tagkeys", Values: []string{"cost*"}},
		{Operator: "NumericLessThan", Base: "NumericLessThan", Key: "s3:max-keys", Values: []string{"10"}},
		{Operator: "StringEquals", Base: "StringEquals", Key: "aws:principaltag/team", Values: []string{"Data"}},
		{Operator: "StringEquals", Base: "StringEquals", Key: "aws:requesttag/costcenter", Values: []string{"A-123", "B-456"}},
	}
	if got := d.Statements[0].Conditions; !reflect.DeepEqual(got, want) {
		t.Fatalf("Conditions =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseRefusesSyntax(t *testing.T) {
	cases := map[string]string{
		"trailing data":                  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}} {}`,
		"top level list":                 `[]`,
		"Principal and NotPrincipal":     `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"s3:*"}}`,
		"Principal other string":         `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"s3:*"}}`,
		"Principal list value of object": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":[{}]},"Action":"s3:*"}}`,
		"null condition value":           `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Null":{"a":null}}}}`,
		"nested condition list":          `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a":[["b"]]}}}}`,
		"Version number":                 `{"Version":2012,"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := Parse(doc)
			if err != errSyntax {
				t.Fatalf("Parse(%s) = %+v, %v; want %v", doc, d, err, errSyntax)
			}
		})
	}
}

// TestParseIdentityBeyondTheRecordedCases covers AWS behaviour the recorded
// cases do not: a principal in an identity policy (reported by AWS users),
// the other partitions, and messages that echo input as written.
func TestParseIdentityBeyondTheRecordedCases(t *testing.T) {
	refused := []struct{ name, doc, want string }{
		{"Principal", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*"}}`,
			"Policy document should not specify a principal."},
		{"NotPrincipal", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}}`,
			"Policy document should not specify a principal."},
		{"vendor echoed as written", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"S3 X:Get","Resource":"*"}}`,
			"Vendor S3 X is not valid"},
		{"empty vendor", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":":Get","Resource":"*"}}`,
			"Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"first resource fault in document order", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:*","Resource":"zz"},{"Effect":"Allow","Action":"s3:*","Resource":"aa"}]}`,
			`Resource zz must be in ARN format or "*".`},
		{"legacy fault before a later format fault", `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::b"},{"Effect":"Allow","Action":"s3:*","Resource":"aa"}]}`,
			"The policy failed legacy parsing"},
		{"Date condition with a boolean", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":true}}}}`,
			"The policy failed legacy parsing"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			wantMalformed(t, c.doc, c.want)
		})
	}
	accepted := []struct{ name, doc string }{
		{"aws-cn partition", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws-cn:s3:::b"}}`},
		{"aws-us-gov partition", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws-us-gov:iam::111122223333:role/r"}}`},
		{"any partition", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:*:s3:::b"}}`},
		{"s3 job with region and account", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:*:*:job/*"}}`},
		{"epoch date", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:EpochTime":1700000000}}}}`},
		{"negative offset", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T10:00:00-05:00"}}}}`},
	}
	for _, c := range accepted {
		t.Run(c.name, func(t *testing.T) {
			if _, err := ParseIdentity(c.doc); err != nil {
				t.Fatalf("ParseIdentity(%s) = %v, want nil", c.doc, err)
			}
		})
	}
}

func TestParseIdentityLowerCasesActionsAfterChecking(t *testing.T) {
	d, err := ParseIdentity(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["IAM:GetUser","s3:*"],"Resource":"*"}}`)
	if err != nil {
		t.Fatalf("ParseIdentity = %v, want nil", err)
	}
	if got, want := d.Statements[0].Action, []string{"iam:getuser", "s3:*"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Action = %q, want %q", got, want)
	}
}
