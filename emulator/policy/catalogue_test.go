package policy

import (
	"testing"

	"github.com/iamlocal/iamlocal/emulator/managed"
)

func TestParseIdentityAcceptsEveryAWSManagedPolicy(t *testing.T) {
	policies := managed.All()
	if got, want := len(policies), 1485; got != want {
		t.Fatalf("catalogue holds %d policies, want %d", got, want)
	}
	for _, p := range policies {
		if _, err := ParseIdentity(p.Document); err != nil {
			t.Errorf("%s: %v", p.Name, err)
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
	largest := managed.All()[0]
	for _, p := range managed.All() {
		if len(p.Document) > len(largest.Document) {
			largest = p
		}
	}
	doc := largest.Document
	b.Logf("%s: %d bytes", largest.Name, len(doc))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseIdentity(doc); err != nil {
			b.Fatal(err)
		}
	}
}
