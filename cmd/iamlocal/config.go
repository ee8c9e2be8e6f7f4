package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/iamlocal/iamlocal/emulator"
)

// config is what the flags and IAMLOCAL_* variables set.
type config struct {
	addr       string
	data       string
	ephemeral  bool
	account    string
	rootKey    string
	rootSecret string
	logLevel   slog.Level
	maxUsers   int
}

const (
	defaultAddr = "127.0.0.1:4599"
	defaultData = "./.iamlocal/state.db"
)

var accountPattern = regexp.MustCompile(`^[0-9]{12}$`)

// parseConfig reads flags over environment defaults over built-in ones.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	env := func(name, def string) string {
		if v := getenv("IAMLOCAL_" + name); v != "" {
			return v
		}
		return def
	}
	c := &config{}
	fs := flag.NewFlagSet("iamlocal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", env("ADDR", defaultAddr), "listen address (IAMLOCAL_ADDR)")
	fs.StringVar(&c.data, "data", env("DATA", defaultData), "state file (IAMLOCAL_DATA)")
	ephemeral, err := strconv.ParseBool(env("EPHEMERAL", "false"))
	if err != nil {
		return nil, fmt.Errorf("IAMLOCAL_EPHEMERAL: %w", err)
	}
	fs.BoolVar(&c.ephemeral, "ephemeral", ephemeral, "use a temporary state file, removed at exit (IAMLOCAL_EPHEMERAL)")
	fs.StringVar(&c.account, "account", env("ACCOUNT", emulator.DefaultAccount), "12-digit account id (IAMLOCAL_ACCOUNT)")
	fs.StringVar(&c.rootKey, "root-access-key", env("ROOT_ACCESS_KEY", emulator.DefaultRootAccessKeyID), "root access key id (IAMLOCAL_ROOT_ACCESS_KEY)")
	fs.StringVar(&c.rootSecret, "root-secret-key", env("ROOT_SECRET_KEY", emulator.DefaultRootSecret), "root secret access key (IAMLOCAL_ROOT_SECRET_KEY)")
	level := fs.String("log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (IAMLOCAL_LOG_LEVEL)")
	maxUsers, err := strconv.Atoi(env("MAX_USERS", "5000"))
	if err != nil {
		return nil, fmt.Errorf("IAMLOCAL_MAX_USERS: %w", err)
	}
	fs.IntVar(&c.maxUsers, "max-users", maxUsers, "UsersPerAccount quota; AWS's is 5000 (IAMLOCAL_MAX_USERS)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return nil, fmt.Errorf("--log-level: %q is not debug, info, warn or error", *level)
	}
	if !accountPattern.MatchString(c.account) {
		return nil, fmt.Errorf("--account: %q is not a 12-digit account id", c.account)
	}
	if c.rootKey == "" || c.rootSecret == "" || strings.ContainsAny(c.rootKey, "/ ") {
		return nil, errors.New("--root-access-key and --root-secret-key must be set, and the key id may not contain '/' or spaces")
	}
	if c.maxUsers < 1 {
		return nil, errors.New("--max-users must be at least 1")
	}
	return c, nil
}
