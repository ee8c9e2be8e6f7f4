// Command iamlocal serves a local AWS IAM and STS emulator.
//
//	iamlocal [flags]
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "iamlocal:", err)
		os.Exit(1)
	}
}
