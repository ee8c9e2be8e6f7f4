package emulatortest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamlocal/iamlocal/emulator"
)

// StartAccounts runs a server for the rest of the test that serves every
// account given (12-digit ids), the first the default one: Config signs
// as its root. RootConfig signs as the root of any of them.
func StartAccounts(t testing.TB, accounts ...string) *Server {
	t.Helper()
	s, err := open(t.TempDir(), emulator.Options{Accounts: accounts})
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// RootConfig is an aws.Config that signs as the root user of account, a
// served account: its access key id is the account id and its secret the
// root secret, as iamlocal serves every account's root.
func (s *Server) RootConfig(account string) aws.Config {
	return Config(s.URL, account, emulator.DefaultRootSecret, "")
}
