package emulatortest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamlocal/iamlocal/emulator"
)

// WithAccounts serves every account given (12-digit ids), the first the
// default one: Config signs as its root, RootConfig as the root of any.
func WithAccounts(accounts ...string) Option {
	return func(c *config) { c.emulator.Accounts = accounts }
}

// StartAccounts is Start with WithAccounts(accounts...).
func StartAccounts(t testing.TB, accounts ...string) *Server {
	t.Helper()
	return Start(t, WithAccounts(accounts...))
}

// RootConfig is an aws.Config that signs as the root user of account, a
// served account: its access key id is the account id and its secret the
// root secret, as iamlocal serves every account's root.
func (s *Server) RootConfig(account string) aws.Config {
	return Config(s.URL, account, emulator.DefaultRootSecret, "")
}
