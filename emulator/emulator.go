package emulator

import (
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"golang.org/x/crypto/bcrypt"
)

// Options configure an Emulator.
type Options struct {
	// Account is the default account, a 12-digit id; default 123456789012.
	// With Accounts set, New sets it to Accounts[0].
	Account string
	// Accounts are every account served, 12-digit ids without repeats, the
	// first the default one; empty means Account alone. ServedAccounts
	// and Serves answer from this one list.
	Accounts []string
	// RootAccessKeyID and RootSecret sign as the default account's root.
	// Each served account's root also signs with its account id as the
	// access key id and RootSecret as the secret (LocalStack's convention).
	RootAccessKeyID string // default "test"
	RootSecret      string // default "test"
	Clock           *Clock // nil: a new clock; New moves it to the offset the state file records
	Log             *slog.Logger
	// MaxUsers is the UsersPerAccount quota; zero means AWS's 5000.
	MaxUsers int
	// Now is real time for the SigV4 date window; nil means time.Now.
	Now func() time.Time
	// PasswordCost is the bcrypt cost of console password hashes; zero
	// means bcrypt's default (10). Test servers lower it.
	PasswordCost int
	// ListenHost is the host the server listens on (from --addr): requests
	// naming it are served besides loopback ones. 0.0.0.0 and :: add nothing.
	ListenHost string
	// AllowHosts are further host names (or addresses) requests may name,
	// for containers and names such as host.docker.internal.
	AllowHosts []string
	// AdminToken, when set, is required by the admin endpoints (as
	// Authorization: Bearer or X-Iamlocal-Admin-Token); cmd sets one when
	// the server listens beyond loopback.
	AdminToken string
	// Enforce is how the policy engine's decisions apply: on (the zero
	// value), audit or off.
	Enforce Enforce
	// Init is the starting state (an init file) POST /_iamlocal/reset
	// returns to; nil means an empty state. New does not apply it: the
	// caller calls ApplyInit once at start.
	Init *initstate.State
}

// Default identity of a fresh emulator, public on purpose.
const (
	DefaultAccount         = "123456789012"
	DefaultRootAccessKeyID = "test"
	DefaultRootSecret      = "test"
)

// ServedAccounts is every account served, the default one first.
func (o *Options) ServedAccounts() []string {
	switch {
	case len(o.Accounts) > 0:
		return o.Accounts
	case o.Account != "":
		return []string{o.Account}
	}
	return []string{DefaultAccount}
}

// Serves reports whether account is one of the served accounts.
func (o *Options) Serves(account string) bool {
	return slices.Contains(o.ServedAccounts(), account)
}

func (o *Options) maxUsers() int {
	if o.MaxUsers > 0 {
		return o.MaxUsers
	}
	return defaultMaxUsers
}

func (o *Options) passwordCost() int {
	if o.PasswordCost > 0 {
		return o.PasswordCost
	}
	return bcrypt.DefaultCost
}

// Emulator is IAM and STS over one store.
type Emulator struct {
	db    *store.DB
	clock *Clock
	log   *slog.Logger
	opts  Options
	usage *keyUsage
	keys  keyCache
	// principals caches callers' compiled policies by store generation.
	principals principalCache
	router     *wire.Router
	guard      *guard
	issuer     testIssuer // the built-in OIDC and SAML test issuer's key, loaded on first use
	stop       chan struct{}
	done       sync.WaitGroup
}

// New builds an emulator over db, with its clock at the offset db records,
// and starts its background flush of key usage; Close stops it.
func New(db *store.DB, o Options) *Emulator {
	o.Accounts = slices.Clone(o.ServedAccounts())
	o.Account = o.Accounts[0]
	if o.RootAccessKeyID == "" {
		o.RootAccessKeyID, o.RootSecret = DefaultRootAccessKeyID, DefaultRootSecret
	}
	if o.Clock == nil {
		o.Clock = new(Clock)
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	e := &Emulator{db: db, clock: o.Clock, log: o.Log, opts: o, usage: newKeyUsage(), stop: make(chan struct{})}
	e.loadClock()
	e.router = wire.NewRouter(wire.Options{Credentials: e, Log: o.Log, Now: o.Now})
	e.routes(e.router)
	e.guard = newGuard(&o)
	admin := e.guard.wrapAdmin(e.admin())
	e.router.Mount("/_iamlocal/", admin)
	e.router.Mount("/moto-api/", admin)
	e.done.Add(2)
	go e.every(usageFlushEvery, "flush key usage", e.flushUsage)
	go e.every(sweepEvery, "sweep expired sessions", e.sweepSessions)
	return e
}

// Handler serves IAM, STS and the admin endpoints, and whatever else is
// mounted on it, all behind the guard (guard.go).
func (e *Emulator) Handler() http.Handler { return e.guard.wrap(e.router) }

// Accounts is every account served, the default one first.
func (e *Emulator) Accounts() []string { return slices.Clone(e.opts.Accounts) }

// Serves reports whether account is one of the served accounts.
func (e *Emulator) Serves(account string) bool { return e.opts.Serves(account) }

// Clock is the emulator's clock.
func (e *Emulator) Clock() *Clock { return e.clock }

// Close stops the background work and writes pending key usage. The store
// stays open: it is the caller's.
func (e *Emulator) Close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	e.done.Wait()
	return e.flushUsage()
}
