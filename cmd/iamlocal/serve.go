package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/console"
	"github.com/iamlocal/iamlocal/store"
)

// timeouts bound how long one connection may hold the server: a client
// that sends headers and then stalls in its body, or idles between
// requests, is cut off. Tests shorten them.
var timeouts = struct{ header, read, write, idle time.Duration }{
	header: 10 * time.Second,
	read:   30 * time.Second, // headers and a body of at most 1 MiB
	write:  30 * time.Second,
	idle:   60 * time.Second,
}

// run serves until ctx ends. ready, when set, receives the endpoint once the
// server is listening.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	c, err := parseConfig(args, os.Getenv)
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
	err = errors.Join(listenAndServe(ctx, c, db, path, log, stderr, ready), db.Close())
	if err == nil {
		fmt.Fprintln(stderr, "iamlocal: stopped")
	}
	return err
}

// listenAndServe listens and answers with an emulator over db until ctx ends, then
// shuts down and writes pending key usage.
func listenAndServe(ctx context.Context, c *config, db *store.DB, path string, log *slog.Logger, stderr io.Writer, ready chan<- string) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", c.addr, err)
	}
	reach := reachOf(ln.Addr().(*net.TCPAddr))
	token := c.adminToken
	if token == "" && reach.exposed {
		token = newAdminToken()
	}
	listenHost, _, _ := net.SplitHostPort(c.addr)
	emu := emulator.New(db, emulator.Options{
		Accounts: c.accounts.items, RootAccessKeyID: c.rootKey, RootSecret: c.rootSecret, Log: log, MaxUsers: c.maxUsers,
		ListenHost: listenHost, AllowHosts: c.allowHosts.items, AdminToken: token, Enforce: c.enforce, Init: c.init,
	})
	if c.init != nil {
		if err := emu.ApplyInit(c.init); err != nil {
			return errors.Join(fmt.Errorf("init %s: %w", c.initPath, err), ln.Close(), emu.Close())
		}
	}
	console.Mount(emu, console.Options{Log: log})
	srv := &http.Server{
		Handler:           emu.Handler(),
		ReadHeaderTimeout: timeouts.header,
		ReadTimeout:       timeouts.read,
		WriteTimeout:      timeouts.write,
		IdleTimeout:       timeouts.idle,
	}
	announce(stderr, reach, path, c, token)
	if ready != nil {
		ready <- reach.local
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

// reach is where the server listens and how a client on this machine
// reaches it.
type reach struct {
	listen  string // the bound address, e.g. [::]:4599
	local   string // an endpoint that works from this machine
	exposed bool   // reachable beyond loopback
}

func reachOf(a *net.TCPAddr) reach {
	r := reach{listen: a.String(), local: "http://" + a.String(), exposed: !a.IP.IsLoopback()}
	if a.IP.IsUnspecified() {
		r.local = "http://127.0.0.1:" + strconv.Itoa(a.Port)
	}
	return r
}

// newAdminToken is a random token for the admin endpoints of a server
// reachable from the network.
func newAdminToken() string { return rand.Text() }

// announce prints where to reach the server, with which root key, and the
// lines to paste into a shell. The secret is shown only when it is the
// public default, the admin token only when it was generated.
func announce(w io.Writer, r reach, path string, c *config, token string) {
	secret := "(as configured)"
	if c.rootSecret == emulator.DefaultRootSecret {
		secret = c.rootSecret
	}
	state := path
	if c.ephemeral {
		state += " (ephemeral)"
	}
	if r.local == "http://"+r.listen {
		fmt.Fprintf(w, "iamlocal: IAM and STS on %s\n", r.local)
	} else {
		fmt.Fprintf(w, "iamlocal: IAM and STS listening on %s (every interface); from this machine %s\n", r.listen, r.local)
	}
	fmt.Fprintf(w, "iamlocal: account %s, root access key id %s, secret %s\n", c.account, c.rootKey, secret)
	for _, a := range c.accounts.items[1:] {
		fmt.Fprintf(w, "iamlocal: account %s, root access key id %s, the same secret\n", a, a)
	}
	fmt.Fprintf(w, "iamlocal: state %s\n", state)
	fmt.Fprintf(w, "iamlocal: console %s%s (IAM users with a password sign in at %s%s%s)\n", r.local, console.Prefix, r.local, console.Prefix, c.account)
	if r.exposed {
		fmt.Fprintf(w, "iamlocal: WARNING: listening on %s, beyond loopback: the root credentials and the admin endpoints are reachable from the network\n", r.listen)
		fmt.Fprintln(w, "iamlocal: requests must name a loopback address, the --addr host or a host given with --allow-host")
	}
	switch {
	case token == "":
	case token == c.adminToken:
		fmt.Fprintln(w, "iamlocal: the admin endpoints need the configured admin token (Authorization: Bearer TOKEN or X-Iamlocal-Admin-Token)")
	default:
		fmt.Fprintf(w, "iamlocal: the admin endpoints need this token, sent as Authorization: Bearer %s (or in X-Iamlocal-Admin-Token); set your own with --admin-token\n", token)
	}
	fmt.Fprintln(w, "iamlocal: ready. To use it from this shell:")
	if secret == c.rootSecret {
		fmt.Fprintf(w, "  export AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=us-east-1\n", r.local, c.rootKey, secret)
		return
	}
	fmt.Fprintf(w, "  export AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=%s AWS_DEFAULT_REGION=us-east-1\n", r.local, c.rootKey)
	fmt.Fprintln(w, "  (and AWS_SECRET_ACCESS_KEY=<your root secret>)")
}
