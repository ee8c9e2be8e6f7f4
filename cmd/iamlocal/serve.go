package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/store"
)

// run serves until ctx ends. ready, when set, receives the endpoint once the
// server is listening.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	c, err := parseConfig(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.logLevel}))
	path := c.data
	if c.ephemeral {
		dir, err := os.MkdirTemp("", "iamlocal-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "state.db")
	}
	db, err := store.Open(path, store.Options{NoSync: c.ephemeral})
	if err != nil {
		return err
	}
	defer db.Close()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.addr, err)
	}
	emu := emulator.New(db, emulator.Options{
		Account: c.account, RootAccessKeyID: c.rootKey, RootSecret: c.rootSecret, Log: log, MaxUsers: c.maxUsers,
	})
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 10 * time.Second}
	endpoint := "http://" + ln.Addr().String()
	announce(stderr, endpoint, path, c)
	if ready != nil {
		ready <- endpoint
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(shutdown)
		cancel()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, emu.Close())
}

// announce prints where to reach the server and with which root key. The
// secret is shown only when it is the public default.
func announce(w io.Writer, endpoint, path string, c *config) {
	secret := "(as configured)"
	if c.rootSecret == emulator.DefaultRootSecret {
		secret = c.rootSecret
	}
	state := path
	if c.ephemeral {
		state += " (ephemeral)"
	}
	fmt.Fprintf(w, "iamlocal: IAM and STS on %s\n", endpoint)
	fmt.Fprintf(w, "iamlocal: account %s, root access key id %s, secret %s\n", c.account, c.rootKey, secret)
	fmt.Fprintf(w, "iamlocal: state %s\n", state)
}
