// Command iamlocal serves a local AWS IAM and STS emulator.
//
//	iamlocal [serve] [flags]
//	iamlocal totp --serial ARN | --seed BASE32
//	iamlocal export [--data FILE] [--include-secrets] > state.json
//	iamlocal import [--data FILE] < state.json
//	iamlocal version
//	iamlocal help
//
// Every flag has an IAMLOCAL_* environment default; flags win.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli runs one command line and returns the exit status.
func cli(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	switch command {
	case "totp":
		if err := runTOTP(args, os.Getenv, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "iamlocal totp:", err)
			return 2
		}
		return 0
	case "export", "import":
		var err error
		if command == "export" {
			err = runExport(args, os.Getenv, stdout)
		} else {
			err = runImport(args, os.Getenv, os.Stdin, stdout)
		}
		switch {
		case errors.Is(err, flag.ErrHelp):
			return 0
		case err != nil:
			fmt.Fprintf(stderr, "iamlocal %s: %v\n", command, err)
			return 1
		}
		return 0
	case "version":
		printVersion(stdout)
		return 0
	case "help":
		printUsage(stdout)
		return 0
	case "serve":
	default:
		fmt.Fprintf(stderr, "iamlocal: unknown command %q (run iamlocal help)\n", command)
		return 2
	}
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-version") {
		printVersion(stdout)
		return 0
	}
	err := run(ctx, args, stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout)
		return 0
	case err != nil:
		fmt.Fprintln(stderr, "iamlocal:", err)
		return 1
	}
	return 0
}

const usageHead = `usage: iamlocal [serve] [flags]
       iamlocal totp --serial ARN | --seed BASE32
       iamlocal export [--data FILE] [--include-secrets] > state.json
       iamlocal import [--data FILE] < state.json
       iamlocal version
       iamlocal help

A local AWS IAM and STS emulator.

Commands:
  serve     serve IAM, STS and the admin endpoints (the default)
  totp      print the current and next code of a virtual MFA device
            (iamlocal totp --help)
  export    write a stopped server's state as JSON in the init format
  import    replace a stopped server's state with an init file or export
  version   print iamlocal's version and the Go version it was built with
  help      print this help

Flags of serve; each has an environment default, and a flag wins over it:
`

// printUsage prints the commands and every serve flag with its
// environment variable and built-in default.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	fs, _, _ := flags(&config{}, func(string) string { return "" })
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if f.DefValue != "" && f.DefValue != "false" {
			usage = strings.TrimSuffix(usage, ")") + ", default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %s\n        %s\n", strings.TrimSpace("--"+f.Name+" "+arg), usage)
	})
}

// printVersion prints the module version (or "(devel)" for a build from a
// checkout), its VCS revision when stamped, and the Go version.
func printVersion(w io.Writer) {
	version, revision := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = " " + s.Value[:min(12, len(s.Value))]
			}
		}
	}
	fmt.Fprintf(w, "iamlocal %s%s %s\n", version, revision, runtime.Version())
}
