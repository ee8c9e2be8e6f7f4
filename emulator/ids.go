package emulator

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"strings"

	"github.com/iamlocal/iamlocal/wire"
)

// Unique-id prefixes (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
const (
	prefixUser            = "AIDA"
	prefixGroup           = "AGPA"
	prefixRole            = "AROA"
	prefixInstanceProfile = "AIPA"
	prefixPolicy          = "ANPA"
	prefixLongTermKey     = "AKIA"
	prefixTemporaryKey    = "ASIA"
	prefixServerCert      = "ASCA"
	prefixSSHPublicKey    = "APKA"
	prefixServiceCred     = "ACCA"
	uniqueIDSuffixChars   = 17 // 21 characters in all
)

const base32Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// uniqueID returns prefix plus 17 random base32 characters, the shape of
// AWS's AIDA…/AROA…/AGPA… ids.
func uniqueID(prefix string) string { return prefix + randomBase32(uniqueIDSuffixChars) }

// randomBase32 is n random base32 characters; 32 symbols take exactly five
// random bits each, so the choice is unbiased.
func randomBase32(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = base32Chars[b[i]&31]
	}
	return string(b)
}

// signingCertificateID has the shape of the docs' example signing
// certificate id, TA7SMP42TDN5Z26OBPJE7EXAMPLE: 28 uppercase base32
// characters (the model asks for at least 24 word characters).
func signingCertificateID() string { return randomBase32(28) }

// accessKeyID returns a 20-character key id that encodes its account the way
// AWS's current key ids do: the first six bytes of the base32 payload hold
// the account number in bits 7..46, so GetAccessKeyInfo can read the
// account off any key id without a lookup.
func accessKeyID(prefix, account string) string {
	var b [10]byte
	rand.Read(b[:])
	var acct uint64
	for _, c := range account {
		acct = acct*10 + uint64(c-'0')
	}
	z := binary.BigEndian.Uint64(append([]byte{0, 0}, b[:6]...))
	z = z&^0x7fffffffff80 | acct<<7&0x7fffffffff80
	var head [8]byte
	binary.BigEndian.PutUint64(head[:], z)
	copy(b[:6], head[2:])
	return prefix + base32.StdEncoding.EncodeToString(b[:])
}

// accountOfKeyID reads the account number out of a key id made as
// accessKeyID makes them; ok is false when the id cannot hold one.
func accountOfKeyID(id string) (account string, ok bool) {
	if len(id) < 20 {
		return "", false
	}
	raw, err := base32.StdEncoding.DecodeString(strings.ToUpper(id[4:20]))
	if err != nil {
		return "", false
	}
	z := binary.BigEndian.Uint64(append([]byte{0, 0}, raw[:6]...))
	n := (z & 0x7fffffffff80) >> 7
	digits := []byte("000000000000")
	for i := len(digits) - 1; i >= 0 && n > 0; i-- {
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	return string(digits), n == 0
}

const secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// secretKey returns a 40-character secret access key; 64 symbols take
// exactly six random bits each, so the choice is unbiased.
func secretKey() string {
	var b [40]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = secretChars[b[i]&63]
	}
	return string(b[:])
}

// partitionOf is the partition of a region, as ARNs name it: a request
// signed for cn-north-1 is answered with arn:aws-cn:… ARNs
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "eu-isoe-"):
		return "aws-iso-e"
	case strings.HasPrefix(region, "us-isof-"):
		return "aws-iso-f"
	}
	return "aws"
}

// callerOf is the request's caller, its ARN in the partition of the region
// the request was signed for (keys are cached with aws-partition ARNs).
func callerOf(ctx context.Context) wire.Caller {
	c := wire.CallerFrom(ctx)
	if p := partition(c); p != "aws" && strings.HasPrefix(c.ARN, "arn:aws:") {
		c.ARN = "arn:" + p + c.ARN[len("arn:aws"):]
	}
	return c
}

func partition(c wire.Caller) string { return partitionOf(c.Region) }

// arnPartition is the partition an ARN names: "aws" in arn:aws:iam::….
func arnPartition(arn string) string {
	rest, ok := strings.CutPrefix(arn, "arn:")
	p, _, found := strings.Cut(rest, ":")
	if !ok || !found {
		return "aws"
	}
	return p
}

// Principal ARNs.
func rootARN(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

func userARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":user" + path + name
}

func groupARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":group" + path + name
}

// policyARN is a customer managed policy's ARN.
func policyARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":policy" + path + name
}

func roleARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":role" + path + name
}

func instanceProfileARN(partition, account, path, name string) string {
	return "arn:" + partition + ":iam::" + account + ":instance-profile" + path + name
}
