package emulatortest

import (
	"log/slog"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
)

// Option changes how Start or Open runs the server. Options apply in
// order; a later one wins over an earlier one that sets the same thing.
//
//	srv := emulatortest.Start(t, emulatortest.WithEnforce(emulator.EnforceAudit), emulatortest.WithLogs(slog.LevelInfo))
type Option func(*config)

// config is what the options set before the server starts. An option in
// another file sets what it needs here: a field of emulator (the options
// emulator.New takes), or a step in ready.
type config struct {
	emulator emulator.Options
	logLevel slog.Leveler // nil: the default of Start (warnings) or Open (nothing)
	// ready runs, in order, once the server listens and before Start or
	// Open returns: the place for an option that calls the server.
	ready []func(*Server) error
}

func newConfig(opts []Option) *config {
	c := new(config)
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithEnforce sets how the server applies its policy decisions: on (the
// default: IAM users and roles need policies, as on AWS), audit (allow,
// and log what would be denied at Info, see WithLogs) or off.
func WithEnforce(m emulator.Enforce) Option {
	return func(c *config) { c.emulator.Enforce = m }
}

// WithLogs sends the server's log records of level and above to t.Log
// (to standard error for a server from Open). Start sends warnings and
// errors by default: refused requests, internal errors. slog.LevelInfo
// adds a line per request and the reason of every AccessDenied (which
// policy, or none, decided it); slog.LevelDebug adds the texts a
// signature was computed over when one does not match. No level logs a
// secret key, session token, password or MFA seed.
func WithLogs(level slog.Leveler) Option {
	return func(c *config) { c.logLevel = level }
}

// WithStartTime starts the server's clock at start, so that dates (and
// session expiries, TOTP steps) are the same from run to run, up to how
// long the test has run: the clock runs on from start at real time's
// pace. AdvanceClock moves it further and Reset brings it back to start.
// Signatures are still dated by real time.
func WithStartTime(start time.Time) Option {
	return func(c *config) { c.emulator.Clock = emulator.NewClockAt(start) }
}
