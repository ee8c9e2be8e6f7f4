// Command iamlocal serves a local AWS IAM and STS emulator.
//
//	iamlocal [flags]
//	iamlocal totp --serial ARN | --seed BASE32
//
// Every flag has an IAMLOCAL_* environment default; flags win.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "totp" {
		if err := runTOTP(os.Args[2:], os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "iamlocal totp:", err)
			os.Exit(2)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "iamlocal:", err)
		os.Exit(1)
	}
}
