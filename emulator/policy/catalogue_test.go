package policy

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"testing"
)

// catalogue is the AWS managed policy catalogue of ../shared/data; tests
// that need it skip where it is absent. IAMLOCAL_MANAGED_POLICIES names
// another copy.
func catalogue(tb testing.TB) []managedPolicy {
	tb.Helper()
	path := os.Getenv("IAMLOCAL_MANAGED_POLICIES")
	if path == "" {
		path = "/work/shared/data/aws-managed-policies.json.gz"
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("no managed policy catalogue: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("gzip %s: %v", path, err)
	}
	var c struct{ Policies []managedPolicy }
	if err := json.NewDecoder(z).Decode(&c); err != nil {
		tb.Fatalf("decode %s: %v", path, err)
	}
	return c.Policies
}

type managedPolicy struct {
	PolicyName string
	Document   json.RawMessage
}

func TestParseIdentityAcceptsEveryAWSManagedPolicy(t *testing.T) {
	policies := catalogue(t)
	if got, want := len(policies), 1485; got != want {
		t.Fatalf("catalogue holds %d policies, want %d", got, want)
	}
	for _, p := range policies {
		if _, err := ParseIdentity(string(p.Document)); err != nil {
			t.Errorf("%s: %v", p.PolicyName, err)
		}
	}
}

// typicalPolicy is about 1 KB: a user managing their own credentials.
const typicalPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowViewAccountInfo",
      "Effect": "Allow",
      "Action": ["iam:GetAccountPasswordPolicy", "iam:GetAccountSummary"],
      "Resource": "*"
    },
    {
      "Sid": "AllowManageOwnAccessKeys",
      "Effect": "Allow",
      "Action": ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:UpdateAccessKey"],
      "Resource": "arn:aws:iam::*:user/${aws:username}"
    },
    {
      "Sid": "AllowOwnBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      "Resource": ["arn:aws:s3:::bucket-name/home/${aws:userid}", "arn:aws:s3:::bucket-name/home/${aws:userid}/*"]
    },
    {
      "Sid": "DenyWithoutMFA",
      "Effect": "Deny",
      "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}, "DateLessThan": {"aws:CurrentTime": "2030-12-31T23:59:59Z"}}
    }
  ]
}`

func BenchmarkParseIdentityTypical(b *testing.B) {
	b.SetBytes(int64(len(typicalPolicy)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIdentity(typicalPolicy); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseIdentityLargestAWSManaged(b *testing.B) {
	var largest managedPolicy
	for _, p := range catalogue(b) {
		if len(p.Document) > len(largest.Document) {
			largest = p
		}
	}
	doc := string(largest.Document)
	b.Logf("%s: %d bytes", largest.PolicyName, len(doc))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIdentity(doc); err != nil {
			b.Fatal(err)
		}
	}
}
