package policy

import "testing"

func TestParseTrust(t *testing.T) {
	existing := "arn:aws:iam::123456789012:role/exists"
	exists := func(arn string) bool { return arn != "arn:aws:iam::123456789012:role/missing" }
	stmt := func(body string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` + body + `}]}`
	}
	cases := []struct {
		name, doc, want string // want "" for accepted
	}{
		{"service", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"`), ""},
		{"account root with MFA", stmt(`"Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`), ""},
		{"account id", stmt(`"Principal":{"AWS":"123456789012"},"Action":["sts:AssumeRole","sts:TagSession"]`), ""},
		{"existing role", stmt(`"Principal":{"AWS":"` + existing + `"},"Action":"sts:AssumeRole"`), ""},
		{"star", stmt(`"Principal":"*","Action":"sts:AssumeRole*"`), ""},
		{"web identity", stmt(`"Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"`), ""},
		{"no version", `{"Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`, ""},
		{"not json", "not valid json", "This policy contains invalid Json"},
		{"truncated json", `{"Version":"2012-10-17"`, "This policy contains invalid Json"},
		{"other action", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:InvalidAction"`), "AssumeRole policy may only specify STS AssumeRole actions."},
		{"s3 action", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"`), "AssumeRole policy may only specify STS AssumeRole actions."},
		{"resource", stmt(`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"arn:aws:s3:::example_bucket"`), "Has prohibited field Resource"},
		{"no principal", stmt(`"Action":"sts:AssumeRole"`), "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"},
		{"missing role", stmt(`"Principal":{"AWS":"arn:aws:iam::123456789012:role/missing"},"Action":"sts:AssumeRole"`), `Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/missing"`},
		{"not a principal", stmt(`"Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"`), `Invalid principal in policy: "AWS":"bob"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTrust(tc.doc, exists)
			got := ""
			if err != nil {
				got = err.(*Error).Message
			}
			if got != tc.want {
				t.Fatalf("ParseTrust = %q, want %q", got, tc.want)
			}
		})
	}
}
