// Command iamlocal-bench measures an IAM/STS endpoint with real SigV4-signed
// Query requests:
//
//	read     GetCallerIdentity, GetUser and ListAccessKeys with a user's own key
//	read-policies  the same, the user in 2 groups with 10 managed policies
//	         attached to it and to each group
//	write    CreateUser, CreateAccessKey, DeleteAccessKey, DeleteUser cycles (root key)
//	assume-role  AssumeRole by users whose policies allow it, each its own role
//	session-read  GetCallerIdentity, GetUser, ListAccessKeys, half the clients
//	         signing with a user's long-term key and half with its role's
//	         session credentials, and the ratio of the two
//	startup  process start to first answered request of an iamlocal binary
//	rss      resident memory of an iamlocal binary, idle and after many users
//
// Example (the server and this tool share the machine's cores):
//
//	go build -o /tmp/iamlocal ./cmd/iamlocal
//	/tmp/iamlocal --ephemeral &
//	go run ./cmd/iamlocal-bench --scenario read --concurrency 1,32
//	go run ./cmd/iamlocal-bench --scenario startup --server /tmp/iamlocal
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

type options struct {
	endpoint, accessKey, secretKey string
	scenario, server               string
	concurrency                    []int
	duration, warmup               time.Duration
	runs, users                    int
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "iamlocal-bench:", err)
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "iamlocal-bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("iamlocal-bench", flag.ContinueOnError)
	fs.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:4599", "server to measure (read, write)")
	fs.StringVar(&o.accessKey, "access-key", "test", "root access key id")
	fs.StringVar(&o.secretKey, "secret-key", "test", "root secret access key")
	fs.StringVar(&o.scenario, "scenario", "read", "read, read-policies (the reader in 2 groups, 10 managed policies on each and on it), write, assume-role, session-read, startup or rss")
	fs.StringVar(&o.server, "server", "", "iamlocal binary to start (startup, rss)")
	conc := fs.String("concurrency", "32", "concurrent clients; a comma list runs each in turn")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per run")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured time before each run")
	fs.IntVar(&o.runs, "runs", 20, "process starts (startup)")
	fs.IntVar(&o.users, "users", 10000, "users to create, with 2 keys each (rss)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad --concurrency %q", *conc)
		}
		o.concurrency = append(o.concurrency, n)
	}
	if (o.scenario == "startup" || o.scenario == "rss") && o.server == "" {
		return nil, fmt.Errorf("--scenario %s needs --server", o.scenario)
	}
	return o, nil
}

func run(ctx context.Context, o *options) error {
	switch o.scenario {
	case "session-read":
		return sessionRead(ctx, o)
	case "read", "read-policies", "write", "assume-role":
		c := newClient(o.endpoint, o.accessKey, o.secretKey, maxOf(o.concurrency))
		for _, n := range o.concurrency {
			r, err := load(ctx, c, o.scenario, n, o.warmup, o.duration)
			if err != nil {
				return err
			}
			fmt.Println(r)
		}
		return nil
	case "startup":
		return startup(ctx, o)
	case "rss":
		return rss(ctx, o)
	}
	return fmt.Errorf("unknown --scenario %q", o.scenario)
}

// sessionRead measures reads signed with long-term keys and with role
// session credentials in the same run: at one client the two in turn; at
// more, half the clients sign with keys and half with sessions at once, so
// that the machine's other load weighs on both alike. It prints the ratio
// of their throughputs.
func sessionRead(ctx context.Context, o *options) error {
	c := newClient(o.endpoint, o.accessKey, o.secretKey, maxOf(o.concurrency))
	for _, n := range o.concurrency {
		if n == 1 {
			key, err := load(ctx, c, "read-key", 1, o.warmup, o.duration)
			if err != nil {
				return err
			}
			session, err := load(ctx, c, "read-session", 1, o.warmup, o.duration)
			if err != nil {
				return err
			}
			fmt.Printf("%s\n%s\nsession-read c=1 temporary/long-term=%.0f%%\n", key, session, 100*session.opsPerSecond()/key.opsPerSecond())
			continue
		}
		r, err := load(ctx, c, "session-read", n, o.warmup, o.duration)
		if err != nil {
			return err
		}
		var keyOps, sessionOps int
		for i, ops := range r.workerOps {
			if i%2 == 1 {
				sessionOps += ops
			} else {
				keyOps += ops
			}
		}
		fmt.Println(r)
		fmt.Printf("session-read c=%d long-term ops/s=%.0f temporary ops/s=%.0f temporary/long-term=%.0f%%\n", n,
			float64(keyOps)/r.took.Seconds(), float64(sessionOps)/r.took.Seconds(), 100*float64(sessionOps)/float64(max(keyOps, 1)))
	}
	return nil
}

func maxOf(ns []int) int {
	m := 1
	for _, n := range ns {
		m = max(m, n)
	}
	return m
}
