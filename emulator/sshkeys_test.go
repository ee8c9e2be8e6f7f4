package emulator

import (
	"strings"
	"testing"
)

// FuzzParseSSHPublicKey checks that no body panics the parser, and that a
// key it accepts survives the trip through its SSH wire form.
func FuzzParseSSHPublicKey(f *testing.F) {
	for _, seed := range []string{
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me@host",
		"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAQ==",
		"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
		"-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n",
		"ssh-ed25519 AAAA",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		key, err := parseSSHPublicKey(body)
		if err != nil {
			return
		}
		back, err := parseSSHRSABlob(sshBlob(key))
		if err != nil {
			t.Fatalf("accepted key does not parse back from its wire form: %v", err)
		}
		if back.E != key.E || back.N.Cmp(key.N) != 0 {
			t.Fatalf("wire round trip changed the key")
		}
		if fp := sshFingerprint(sshBlob(key)); len(fp) != 47 || strings.Count(fp, ":") != 15 {
			t.Fatalf("fingerprint %q is not 16 colon-separated bytes", fp)
		}
	})
}
