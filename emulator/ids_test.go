package emulator

import (
	"strings"
	"testing"
)

func TestAccountOfKeyIDMatchesAWS(t *testing.T) {
	// A real STS key id and its account, as published with the decoding
	// (Aidan Steele, "A short note on AWS KEY ID", 2020).
	got, ok := accountOfKeyID("ASIAY34FZKBOKMUTVV7A")
	if !ok || got != "609629065308" {
		t.Fatalf("accountOfKeyID=%q,%v, want 609629065308", got, ok)
	}
}

func TestAccessKeyIDEncodesAccount(t *testing.T) {
	for _, acct := range []string{"123456789012", "000000000001", "999999999999"} {
		id := accessKeyID(prefixLongTermKey, acct)
		if len(id) != 20 || !strings.HasPrefix(id, "AKIA") || strings.Trim(id, base32Chars) != "" {
			t.Fatalf("accessKeyID=%q, want AKIA + 16 base32 characters", id)
		}
		if got, ok := accountOfKeyID(id); !ok || got != acct {
			t.Fatalf("accountOfKeyID(%s)=%q,%v, want %s", id, got, ok, acct)
		}
	}
}

func TestIDShapes(t *testing.T) {
	id := uniqueID(prefixUser)
	if len(id) != 21 || !strings.HasPrefix(id, "AIDA") || strings.Trim(id, base32Chars) != "" {
		t.Fatalf("uniqueID=%q, want AIDA + 17 base32 characters", id)
	}
	s := secretKey()
	if len(s) != 40 || strings.Trim(s, secretChars) != "" {
		t.Fatalf("secretKey=%q, want 40 characters of %s", s, secretChars)
	}
	if secretKey() == s {
		t.Fatal("two secrets are equal")
	}
}

func TestARNs(t *testing.T) {
	if got, want := userARN("aws", "123456789012", "/", "taro"), "arn:aws:iam::123456789012:user/taro"; got != want {
		t.Errorf("userARN=%q, want %q", got, want)
	}
	if got, want := userARN("aws", "123456789012", "/dev/ops/", "taro"), "arn:aws:iam::123456789012:user/dev/ops/taro"; got != want {
		t.Errorf("userARN=%q, want %q", got, want)
	}
	if got, want := rootARN("aws", "123456789012"), "arn:aws:iam::123456789012:root"; got != want {
		t.Errorf("rootARN=%q, want %q", got, want)
	}
}

func TestPartitionOf(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1": "aws", "ap-northeast-1": "aws", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn",
		"us-gov-west-1": "aws-us-gov", "us-iso-east-1": "aws-iso", "us-isob-east-1": "aws-iso-b", "": "aws",
	} {
		if got := partitionOf(region); got != want {
			t.Errorf("partitionOf(%q)=%q, want %q", region, got, want)
		}
	}
	if got, want := userARN("aws-cn", "123456789012", "/", "taro"), "arn:aws-cn:iam::123456789012:user/taro"; got != want {
		t.Errorf("userARN=%q, want %q", got, want)
	}
	if got, want := arnPartition("arn:aws-us-gov:iam::123456789012:mfa/x"), "aws-us-gov"; got != want {
		t.Errorf("arnPartition=%q, want %q", got, want)
	}
}
