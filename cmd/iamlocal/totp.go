package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/store"
)

const totpUsage = `usage: iamlocal totp --serial DEVICE | --seed BASE32 [flags]

Prints the current and the next code of a virtual MFA device, for hands-on
use without a phone, on the running server's clock (which
/_iamlocal/clock may have moved ahead of real time). Each code works once:
codes the device has already accepted are marked used.

Flags:
`

// totpTimeout bounds each question to the server: a stalled server must
// not hang a command typed by hand.
const totpTimeout = 5 * time.Second

// totpFlags are the settings of `iamlocal totp`.
type totpFlags struct {
	serial, seed, endpoint, data, account string
}

// runTOTP is the `iamlocal totp` subcommand.
func runTOTP(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f, usage, err := parseTOTP(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return nil
	}
	if err == nil && (f.serial == "") == (f.seed == "") {
		err = errors.New("give one of --serial and --seed")
	}
	if err != nil {
		usage(stderr)
		return err
	}
	srv := adminClient{endpoint: f.endpoint, token: getenv("IAMLOCAL_ADMIN_TOKEN"), http: &http.Client{Timeout: totpTimeout}}
	var codes emulator.Codes
	if f.seed != "" {
		codes, err = seedCodes(srv, f.seed, stderr)
	} else {
		codes, err = srv.codes(f.serial)
		if unreachable(err) {
			codes, err = fileCodes(f.data, f.account, f.serial)
			if err != nil {
				err = fmt.Errorf("no server answers at %s, and %w", f.endpoint, err)
			}
		}
	}
	if err != nil {
		return err
	}
	printCodes(stdout, codes)
	return nil
}

// parseTOTP reads the flags; usage prints the help to a writer. The
// endpoint is --endpoint, else AWS_ENDPOINT_URL (what the AWS CLI and SDKs
// follow), else the address the server listens on by default.
func parseTOTP(args []string, getenv func(string) string) (totpFlags, func(io.Writer), error) {
	env := func(name, def string) string {
		if v := getenv("IAMLOCAL_" + name); v != "" {
			return v
		}
		return def
	}
	endpoint := "http://" + env("ADDR", defaultAddr)
	if v := getenv("AWS_ENDPOINT_URL"); v != "" {
		endpoint = v
	}
	var f totpFlags
	fs := flag.NewFlagSet("iamlocal totp", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller prints the error, then the usage
	fs.StringVar(&f.serial, "serial", "", "a device of the server: its serial number (ARN) or its name; asked at --endpoint, or\nread from the --data state file when no server answers")
	fs.StringVar(&f.seed, "seed", "", "the Base32StringSeed that create-virtual-mfa-device returned")
	fs.StringVar(&f.endpoint, "endpoint", endpoint, "the running server (AWS_ENDPOINT_URL, else http:// and IAMLOCAL_ADDR)")
	fs.StringVar(&f.data, "data", env("DATA", defaultData), "state file, when no server answers (IAMLOCAL_DATA)")
	defaultAccount, _, _ := strings.Cut(env("ACCOUNT", emulator.DefaultAccount), ",") // the server's default account
	fs.StringVar(&f.account, "account", strings.TrimSpace(defaultAccount), "account of a device named by its name in the state file (IAMLOCAL_ACCOUNT)")
	usage := func(w io.Writer) {
		fmt.Fprint(w, totpUsage)
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	f.endpoint = strings.TrimRight(f.endpoint, "/")
	return f, usage, err
}

// seedCodes computes a seed's codes on the clock of the server, when one
// answers, since that is the clock that will check them; else on real
// time.
func seedCodes(srv adminClient, seed string, stderr io.Writer) (emulator.Codes, error) {
	offset, err := srv.clockOffset()
	if err != nil && !unreachable(err) {
		fmt.Fprintf(stderr, "iamlocal totp: codes on real time: %v\n", err)
	}
	return emulator.CodesFor(seed, time.Now().Add(offset))
}

func printCodes(w io.Writer, c emulator.Codes) {
	if c.CurrentUsed {
		fmt.Fprintf(w, "current %s (used; the next fresh code comes in %d s)\n", c.Current, c.FreshSecs)
	} else {
		fmt.Fprintf(w, "current %s (for %d more seconds)\n", c.Current, c.ValidSecs)
	}
	if c.NextUsed {
		fmt.Fprintf(w, "next    %s (used)\n", c.Next)
	} else {
		fmt.Fprintf(w, "next    %s\n", c.Next)
	}
}

// adminClient asks a running server's /_iamlocal/ endpoints.
type adminClient struct {
	endpoint string
	token    string // IAMLOCAL_ADMIN_TOKEN, for a server bound beyond loopback
	http     *http.Client
}

// unreachable tells that no server answered at all (as opposed to one
// that answered with an error).
func unreachable(err error) bool {
	var u *url.Error
	return errors.As(err, &u)
}

// get decodes the JSON answer of GET path into v, or returns what the
// server said went wrong.
func (c adminClient) get(path string, v any) error {
	req, err := http.NewRequest(http.MethodGet, c.endpoint+path, nil)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		var e struct{ Error, Account string }
		if json.Unmarshal(body, &e) != nil || e.Error == "" {
			// The guard refuses with an AWS error document (a host it does not
			// serve, a missing admin token): its message says what to do.
			var refused struct {
				Error struct{ Code, Message string }
			}
			if xml.Unmarshal(body, &refused) == nil && refused.Error.Message != "" {
				return fmt.Errorf("the server at %s refused: %s", c.endpoint, refused.Error.Message)
			}
			return fmt.Errorf("the server at %s answered %s (is it iamlocal?)", c.endpoint, resp.Status)
		}
		if e.Account != "" {
			return fmt.Errorf("the server at %s (account %s) answered: %s", c.endpoint, e.Account, e.Error)
		}
		return fmt.Errorf("the server at %s answered: %s", c.endpoint, e.Error)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("the server at %s: %w", c.endpoint, err)
	}
	return nil
}

// codes asks the server for a device's codes, on its clock.
func (c adminClient) codes(device string) (emulator.Codes, error) {
	var codes emulator.Codes
	err := c.get("/_iamlocal/totp?serial="+url.QueryEscape(device), &codes)
	return codes, err
}

// clockOffset asks how far the server's clock runs ahead of real time.
func (c adminClient) clockOffset() (time.Duration, error) {
	var clock struct{ Offset string }
	if err := c.get("/_iamlocal/clock", &clock); err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(clock.Offset)
	if err != nil {
		return 0, fmt.Errorf("the server at %s gave the clock offset %q: %w", c.endpoint, clock.Offset, err)
	}
	return d, nil
}

// fileCodes reads the device from a state file no server holds, on the
// clock the file recorded: the one a server restarted on it would use.
func fileCodes(path, account, device string) (emulator.Codes, error) {
	if _, err := os.Stat(path); err != nil {
		return emulator.Codes{}, fmt.Errorf("there is no state file at %s (--data)", path)
	}
	db, err := store.Open(path, store.Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		return emulator.Codes{}, err
	}
	defer db.Close()
	var offset time.Duration
	if err := db.View(func(tx *store.Tx) (err error) { offset, err = tx.ClockOffset(); return err }); err != nil {
		return emulator.Codes{}, err
	}
	codes, err := emulator.DeviceCodes(db, account, device, time.Now().Add(offset))
	if err != nil {
		return codes, fmt.Errorf("the state file %s (account %s, --account) answers: %w", path, account, err)
	}
	return codes, nil
}
