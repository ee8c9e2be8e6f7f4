package emulatortest

import (
	"github.com/iamlocal/iamlocal/emulator/initstate"
)

// WithInit starts the server from s, the structure of an init file
// (iamlocal --init FILE, docs/init.schema.json), and makes Reset return to
// it rather than to an empty state. A refused s fails Start (Open returns
// the error), naming the place in s and the API's refusal. The server's
// account is s's first account.
//
//	srv := emulatortest.Start(t, emulatortest.WithInit(&initstate.State{Accounts: []initstate.Account{{
//		ID:    "123456789012",
//		Users: []initstate.User{{Name: "ci", AccessKeys: []initstate.AccessKey{{ID: "FOOBARKEY", Secret: "FOOBARSECRET"}}}},
//	}}}))
func WithInit(s *initstate.State) Option {
	return func(c *config) {
		c.emulator.Init = s
		if len(s.Accounts) > 0 {
			c.emulator.Account = s.Accounts[0].ID
		}
		c.ready = append(c.ready, func(srv *Server) error { return srv.Emulator.ApplyInit(s) })
	}
}
