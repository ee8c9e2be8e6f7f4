package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/initstate"
	"github.com/iamlocal/iamlocal/store"
)

const exportUsage = `usage: iamlocal export [--data FILE] [--account ID] [--include-secrets] > state.json

Writes the state of a stopped server's file as JSON in the init format
(docs/init.schema.json), with the ids and dates that let an import
reproduce it exactly. Access key secrets, password hashes and MFA seeds
are left out unless --include-secrets is given. For a running server,
GET /_iamlocal/state answers the same.

Flags:
`

const importUsage = `usage: iamlocal import [--data FILE] [--account ID] < state.json

Replaces the state of a stopped server's file with an init file or an
export, applied through the IAM API as at start with --init: a refused
file names the bad place and changes nothing.

Flags:
`

// stateFlags are the settings of export and import.
type stateFlags struct {
	data, account  string
	accountSet     bool
	includeSecrets bool
}

func parseStateFlags(name, usage string, args []string, getenv func(string) string, stdout io.Writer) (*stateFlags, error) {
	f := &stateFlags{}
	fs := flag.NewFlagSet("iamlocal "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.data, "data", cmpEnv(getenv, "DATA", defaultData), "state `file` (IAMLOCAL_DATA)")
	fs.StringVar(&f.account, "account", cmpEnv(getenv, "ACCOUNT", emulator.DefaultAccount), "the server's 12-digit account `ids`, comma-separated; import takes the file's accounts by default (IAMLOCAL_ACCOUNT)")
	if name == "export" {
		fs.BoolVar(&f.includeSecrets, "include-secrets", false, "also write access key secrets, password hashes and MFA seeds")
	}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w (run iamlocal %s --help)", err, name)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	fs.Visit(func(fl *flag.Flag) { f.accountSet = f.accountSet || fl.Name == "account" })
	f.accountSet = f.accountSet || getenv("IAMLOCAL_ACCOUNT") != ""
	for _, id := range f.accounts() {
		if err := checkAccount(id); err != nil {
			return nil, fmt.Errorf("--account: %w", err)
		}
	}
	return f, nil
}

// accounts are the --account ids.
func (f *stateFlags) accounts() []string {
	var ids []string
	for id := range strings.SplitSeq(f.account, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func cmpEnv(getenv func(string) string, name, def string) string {
	if v := getenv("IAMLOCAL_" + name); v != "" {
		return v
	}
	return def
}

// openStopped opens the state file of a server that must not be running:
// the file's lock says whether one is.
func openStopped(path string) (*store.DB, error) {
	db, err := store.Open(path, store.Options{})
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%s is in use by a running iamlocal: stop it first (a running server exports with GET /_iamlocal/state and returns to its --init state with POST /_iamlocal/reset)", path)
	}
	return db, err
}

// runExport is `iamlocal export`.
func runExport(args []string, getenv func(string) string, stdout io.Writer) error {
	f, err := parseStateFlags("export", exportUsage, args, getenv, stdout)
	if err != nil {
		return err
	}
	if _, err := os.Stat(f.data); err != nil {
		return fmt.Errorf("no state file: %w", err)
	}
	db, err := openStopped(f.data)
	if err != nil {
		return err
	}
	emu := emulator.New(db, emulator.Options{Accounts: f.accounts()})
	s, err := emu.Export(f.includeSecrets)
	err = errors.Join(err, emu.Close(), db.Close())
	if err != nil {
		return err
	}
	return writeState(stdout, s)
}

func writeState(w io.Writer, s *initstate.State) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// runImport is `iamlocal import`.
func runImport(args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	f, err := parseStateFlags("import", importUsage, args, getenv, stdout)
	if err != nil {
		return err
	}
	s, err := initstate.Decode(stdin)
	if err != nil {
		return fmt.Errorf("reading the state from standard input: %w", err)
	}
	accounts := f.accounts()
	if !f.accountSet && len(s.Accounts) > 0 {
		accounts = nil
		for i, a := range s.Accounts {
			if err := checkAccount(a.ID); err != nil {
				return fmt.Errorf("accounts[%d].id: %w", i, err)
			}
			accounts = append(accounts, a.ID)
		}
	}
	db, err := openStopped(f.data)
	if err != nil {
		return err
	}
	emu := emulator.New(db, emulator.Options{Accounts: accounts})
	return errors.Join(emu.ApplyInit(s), emu.Close(), db.Close())
}
