package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/initstate"
)

// config is what the flags and IAMLOCAL_* variables set.
type config struct {
	addr       string
	data       string
	ephemeral  bool
	account    string // the default account: accounts.items[0]
	accounts   listFlag
	rootKey    string
	rootSecret string
	logLevel   slog.Level
	maxUsers   int
	allowHosts listFlag
	adminToken string
	enforceArg string
	enforce    emulator.Enforce
	initPath   string
	init       *initstate.State // read from initPath
	accountSet bool             // --account or IAMLOCAL_ACCOUNT was given
}

const (
	defaultAddr = "127.0.0.1:4599"
	defaultData = "./.iamlocal/state.db"
)

var (
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
	// An access key id is what SigV4's Credential=ID/date/region/service/
	// aws4_request carries, and the header parser splits on anything else.
	rootKeyPattern = regexp.MustCompile(`^\w+$`)
	// A token travels in a header: visible ASCII, no spaces.
	tokenPattern = regexp.MustCompile(`^[\x21-\x7e]+$`)
)

// parseConfig reads flags over environment defaults over built-in ones.
func parseConfig(args []string, getenv func(string) string) (*config, error) {
	c := &config{}
	fs, level, err := flags(c, getenv)
	if err != nil {
		return nil, err
	}
	fs.SetOutput(io.Discard) // errors come back to main, and --help prints to stdout
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w (run iamlocal help)", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", *level)
	}
	fs.Visit(func(f *flag.Flag) { c.accountSet = c.accountSet || f.Name == "account" })
	c.accountSet = c.accountSet || getenv("IAMLOCAL_ACCOUNT") != ""
	if err := c.readInit(); err != nil {
		return nil, err
	}
	return c, c.check()
}

// flags declares the serve flags over c, with defaults from the IAMLOCAL_*
// variables getenv reads. The usage text is printed from the same set.
func flags(c *config, getenv func(string) string) (fs *flag.FlagSet, level *string, err error) {
	env := func(name, def string) string {
		if v := getenv("IAMLOCAL_" + name); v != "" {
			return v
		}
		return def
	}
	fs = flag.NewFlagSet("iamlocal", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("ADDR", defaultAddr), "listen `address`; beyond loopback the admin endpoints need a token (IAMLOCAL_ADDR)")
	fs.StringVar(&c.data, "data", env("DATA", defaultData), "state `file` (IAMLOCAL_DATA)")
	ephemeral, err := strconv.ParseBool(env("EPHEMERAL", "false"))
	if err != nil {
		return nil, nil, fmt.Errorf("IAMLOCAL_EPHEMERAL: %w", err)
	}
	fs.BoolVar(&c.ephemeral, "ephemeral", ephemeral, "use a temporary state file, removed at exit (IAMLOCAL_EPHEMERAL)")
	c.accounts.check = checkAccount
	if err := c.accounts.add(env("ACCOUNT", emulator.DefaultAccount)); err != nil {
		return nil, nil, fmt.Errorf("IAMLOCAL_ACCOUNT: %w", err)
	}
	fs.Var(&c.accounts, "account", "12-digit account `id` to serve; repeat or separate with commas to serve several, the first the default, whose root signs with --root-access-key; each account's root also signs with its id as the key id (IAMLOCAL_ACCOUNT)")
	fs.StringVar(&c.rootKey, "root-access-key", env("ROOT_ACCESS_KEY", emulator.DefaultRootAccessKeyID), "root access key `id`: letters, digits, _ (IAMLOCAL_ROOT_ACCESS_KEY)")
	fs.StringVar(&c.rootSecret, "root-secret-key", env("ROOT_SECRET_KEY", emulator.DefaultRootSecret), "root secret access `key`, printed only when it is the default (IAMLOCAL_ROOT_SECRET_KEY)")
	fs.StringVar(&c.enforceArg, "enforce", env("ENFORCE", "on"), "policy `mode`: on (deny as AWS would), audit (allow, log what would be denied) or off (IAMLOCAL_ENFORCE)")
	level = fs.String("log-level", env("LOG_LEVEL", "info"), "log `level`: debug, info, warn or error (IAMLOCAL_LOG_LEVEL)")
	maxUsers, err := strconv.Atoi(env("MAX_USERS", "5000"))
	if err != nil {
		return nil, nil, fmt.Errorf("IAMLOCAL_MAX_USERS: %w", err)
	}
	fs.IntVar(&c.maxUsers, "max-users", maxUsers, "the UsersPerAccount quota (`n` users); AWS's is 5000 (IAMLOCAL_MAX_USERS)")
	c.allowHosts.check = checkHost
	if err := c.allowHosts.add(env("ALLOW_HOSTS", "")); err != nil {
		return nil, nil, fmt.Errorf("IAMLOCAL_ALLOW_HOSTS: %w", err)
	}
	fs.Var(&c.allowHosts, "allow-host", "also serve requests naming this `host`, e.g. host.docker.internal; repeat or separate with commas (IAMLOCAL_ALLOW_HOSTS)")
	fs.StringVar(&c.initPath, "init", env("INIT", ""), "starting state: an init `file` (JSON, docs/init.schema.json) applied at start and by every reset; without --account its first account is the server's (IAMLOCAL_INIT)")
	fs.StringVar(&c.adminToken, "admin-token", env("ADMIN_TOKEN", ""), "`token` the admin endpoints require; generated when --addr is beyond loopback (IAMLOCAL_ADMIN_TOKEN)")
	return fs, level, nil
}

// readInit reads the --init file. Without --account (or
// IAMLOCAL_ACCOUNT), the server serves the file's accounts, the first the
// default; with it, the file may fill only accounts it names.
func (c *config) readInit() error {
	if c.initPath == "" {
		return nil
	}
	s, err := readInitFile(c.initPath)
	if err != nil {
		return err
	}
	c.init = s
	if c.accountSet || len(s.Accounts) == 0 {
		return nil
	}
	c.accounts.items = nil
	for i, a := range s.Accounts {
		if err := c.accounts.add(a.ID); err != nil {
			return fmt.Errorf("init %s: accounts[%d].id: %w", c.initPath, i, err)
		}
	}
	return nil
}

// readInitFile reads and decodes an init file; the error names the file.
func readInitFile(path string) (*initstate.State, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--init: %w", err)
	}
	defer f.Close()
	s, err := initstate.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", path, err)
	}
	return s, nil
}

func (c *config) check() error {
	if len(c.accounts.items) == 0 {
		return errors.New("--account: give at least one 12-digit account id")
	}
	c.account = c.accounts.items[0]
	if c.rootKey == "" || c.rootSecret == "" {
		return errors.New("--root-access-key and --root-secret-key must be set")
	}
	if c.rootKey != c.account && slices.Contains(c.accounts.items, c.rootKey) {
		return fmt.Errorf("--root-access-key: %q is the id of account %s, whose root it already signs as; give the default account's root another key id", c.rootKey, c.rootKey)
	}
	if !rootKeyPattern.MatchString(c.rootKey) {
		return fmt.Errorf("--root-access-key: %q may hold only letters, digits and underscores: a SigV4 Authorization header cannot carry any other character, so no client could sign with it", c.rootKey)
	}
	var err error
	if c.enforce, err = emulator.ParseEnforce(c.enforceArg); err != nil {
		return fmt.Errorf("--enforce: %q is not on, audit or off", c.enforceArg)
	}
	if c.maxUsers < 1 {
		return errors.New("--max-users must be at least 1")
	}
	if c.adminToken != "" && !tokenPattern.MatchString(c.adminToken) {
		return errors.New("--admin-token may hold only visible ASCII characters, no spaces: it is sent in a header")
	}
	return nil
}

// listFlag is a repeatable flag (--allow-host, --account) whose values
// may also be comma-separated, as its IAMLOCAL_* variable's is. The first
// flag replaces what the variable set; check refuses a bad item.
type listFlag struct {
	items   []string
	flagged bool
	check   func(string) error
}

func (l *listFlag) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(l.items, ",")
}

func (l *listFlag) Set(v string) error {
	if !l.flagged {
		l.items, l.flagged = nil, true
	}
	return l.add(v)
}

func (l *listFlag) add(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if err := l.check(item); err != nil {
			return err
		}
		if !slices.Contains(l.items, item) {
			l.items = append(l.items, item)
		}
	}
	return nil
}

func checkHost(h string) error {
	if strings.ContainsAny(h, "/@ \t") {
		return fmt.Errorf("%q is not a host name: give a name or an address, such as host.docker.internal, not a URL", h)
	}
	return nil
}

func checkAccount(a string) error {
	if !accountPattern.MatchString(a) {
		return fmt.Errorf("%q is not a 12-digit account id", a)
	}
	return nil
}
