package emulatortest

import (
	"github.com/iamlocal/iamlocal/emulator/initstate"
)

// WithInit starts the server from s, the structure of an init file
// (iamlocal --init FILE, docs/init.schema.json), and makes Reset return to
// it rather than to an empty state. A refused s fails Start (Open returns
// the error), naming the place in s and the API's refusal. The server
// serves s's accounts, the first the default, unless WithAccounts (given
// before WithInit) says otherwise.
//
//	srv := emulatortest.Start(t, emulatortest.WithInit(&initstate.State{Accounts: []initstate.Account{{
//		ID:    "123456789012",
//		Users: []initstate.User{{Name: "ci", AccessKeys: []initstate.AccessKey{{ID: "FOOBARKEY", Secret: "FOOBARSECRET"}}}},
//	}}}))
func WithInit(s *initstate.State) Option {
	return func(c *config) {
		c.emulator.Init = s
		if len(c.emulator.Accounts) == 0 {
			for _, a := range s.Accounts {
				c.emulator.Accounts = append(c.emulator.Accounts, a.ID)
			}
		}
		c.ready = append(c.ready, func(srv *Server) error { return srv.Emulator.ApplyInit(s) })
	}
}
