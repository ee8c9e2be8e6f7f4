package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/store"
)

const totpUsage = `usage: iamlocal totp --serial ARN | --seed BASE32

Prints the current and the next code of a virtual MFA device, for hands-on
use without a phone:
  --serial ARN   a device of the server (asked at --endpoint, on its clock;
                 when no server answers, read from the --data state file)
  --seed BASE32  the Base32StringSeed that create-virtual-mfa-device returned
`

// runTOTP is the `iamlocal totp` subcommand.
func runTOTP(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	env := func(name, def string) string {
		if v := getenv("IAMLOCAL_" + name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("iamlocal totp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, totpUsage) }
	serial := fs.String("serial", "", "device serial number (its ARN)")
	seed := fs.String("seed", "", "device seed (base32)")
	endpoint := fs.String("endpoint", "http://"+env("ADDR", defaultAddr), "the running server")
	data := fs.String("data", env("DATA", defaultData), "state file, when no server answers")
	account := fs.String("account", env("ACCOUNT", emulator.DefaultAccount), "account of the state file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var (
		codes emulator.Codes
		err   error
	)
	switch {
	case (*serial == "") == (*seed == ""):
		fs.Usage()
		return errors.New("give one of --serial and --seed")
	case *seed != "":
		codes, err = emulator.CodesFor(*seed, time.Now())
	default:
		codes, err = serverCodes(*endpoint, *serial)
		var unreachable *url.Error
		if errors.As(err, &unreachable) {
			codes, err = fileCodes(*data, *account, *serial)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "current %s (for %d more seconds)\nnext    %s\n", codes.Current, codes.ValidSecs, codes.Next)
	return nil
}

// serverCodes asks a running server, whose clock the codes must follow.
func serverCodes(endpoint, serial string) (emulator.Codes, error) {
	var codes emulator.Codes
	resp, err := http.Get(endpoint + "/_iamlocal/totp?serial=" + url.QueryEscape(serial))
	if err != nil {
		return codes, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&e)
		return codes, fmt.Errorf("%s: %s", endpoint, e.Error)
	}
	return codes, json.NewDecoder(resp.Body).Decode(&codes)
}

// fileCodes reads the device from a state file no server holds, on real
// time.
func fileCodes(path, account, serial string) (emulator.Codes, error) {
	if _, err := os.Stat(path); err != nil {
		return emulator.Codes{}, fmt.Errorf("no server answers and no state file: %w", err)
	}
	db, err := store.Open(path, store.Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		return emulator.Codes{}, err
	}
	defer db.Close()
	return emulator.DeviceCodes(db, account, serial, time.Now())
}
