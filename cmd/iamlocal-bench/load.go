package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// result is one measured run.
type result struct {
	scenario    string
	concurrency int
	took        time.Duration
	latencies   []time.Duration
	errors      int64
	// workerOps counts each worker's measured operations.
	workerOps []int
}

func (r result) String() string {
	ops := len(r.latencies)
	return fmt.Sprintf("%s c=%d dur=%s ops=%d ops/s=%.0f p50=%s p99=%s errors=%d",
		r.scenario, r.concurrency, r.took.Round(time.Millisecond), ops, r.opsPerSecond(),
		ms(percentile(r.latencies, 50)), ms(percentile(r.latencies, 99)), r.errors)
}

func (r result) opsPerSecond() float64 { return float64(len(r.latencies)) / r.took.Seconds() }

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// percentile returns the p-th percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// op is one request; a worker calls its ops in turn.
type op func(ctx context.Context) (status int, body string, err error)

// worker returns the ops of one client of scenario, and its cleanup.
type worker struct {
	ops     []op
	cleanup func(ctx context.Context)
}

func load(ctx context.Context, c *client, scenario string, n int, warmup, duration time.Duration) (result, error) {
	workers := make([]worker, n)
	for i := range workers {
		w, err := newWorker(ctx, c, scenario, i)
		if err != nil {
			return result{}, err
		}
		workers[i] = w
	}
	defer func() {
		for _, w := range workers {
			if w.cleanup != nil {
				w.cleanup(ctx)
			}
		}
	}()
	var (
		measuring, stop atomic.Bool
		errs            atomic.Int64
		reported        atomic.Int32
		wg              sync.WaitGroup
	)
	lat := make([][]time.Duration, n)
	for i := range workers {
		lat[i] = make([]time.Duration, 0, 1<<16)
		wg.Go(func() {
			for k := 0; !stop.Load(); k++ {
				start := time.Now()
				status, body, err := workers[i].ops[k%len(workers[i].ops)](ctx)
				took := time.Since(start)
				if !measuring.Load() {
					continue
				}
				if err != nil || status/100 != 2 {
					errs.Add(1)
					if reported.Add(1) <= 3 {
						fmt.Fprintf(os.Stderr, "error: HTTP %d %v %s\n", status, err, strings.TrimSpace(body))
					}
					continue
				}
				lat[i] = append(lat[i], took)
			}
		})
	}
	time.Sleep(warmup)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(duration)
	measuring.Store(false)
	took := time.Since(start)
	stop.Store(true)
	wg.Wait()
	all := slices.Concat(lat...)
	slices.Sort(all)
	perWorker := make([]int, n)
	for i := range lat {
		perWorker[i] = len(lat[i])
	}
	return result{scenario: scenario, concurrency: n, took: took, latencies: all, errors: errs.Load(), workerOps: perWorker}, nil
}

func newWorker(ctx context.Context, c *client, scenario string, i int) (worker, error) {
	switch scenario {
	case "read":
		return readWorker(ctx, c, c.root, i)
	case "read-policies":
		w, err := readWorker(ctx, c, c.root, i)
		if err != nil {
			return w, err
		}
		return withPolicies(ctx, c, c.root, fmt.Sprintf("bench-reader-%d", i), w)
	case "write":
		return writeWorker(c, c.root, i), nil
	case "assume-role":
		return assumeRoleWorker(ctx, c, i)
	case "read-key", "read-session":
		return sessionReadWorker(ctx, c, i, scenario == "read-session")
	case "session-read":
		return sessionReadWorker(ctx, c, i, i%2 == 1)
	}
	return worker{}, fmt.Errorf("unknown scenario %q", scenario)
}

// readWorker makes a user with its own key and reads as that user.
func readWorker(ctx context.Context, c *client, root creds, i int) (worker, error) {
	name := fmt.Sprintf("bench-reader-%d", i)
	if _, err := c.must(ctx, root, "iam", "CreateUser", "UserName", name); err != nil && !strings.Contains(err.Error(), "EntityAlreadyExists") {
		return worker{}, err
	}
	// With enforcement on, the reader needs a policy for its own reads.
	if _, err := c.must(ctx, root, "iam", "PutUserPolicy", "UserName", name, "PolicyName", "bench-read",
		"PolicyDocument", readerPolicy); err != nil {
		return worker{}, err
	}
	body, err := c.must(ctx, root, "iam", "CreateAccessKey", "UserName", name)
	if err != nil {
		return worker{}, err
	}
	user := creds{element(body, "AccessKeyId"), element(body, "SecretAccessKey"), ""}
	return worker{
		ops: []op{
			func(ctx context.Context) (int, string, error) { return c.call(ctx, user, "sts", "GetCallerIdentity") },
			func(ctx context.Context) (int, string, error) { return c.call(ctx, user, "iam", "GetUser") },
			func(ctx context.Context) (int, string, error) { return c.call(ctx, user, "iam", "ListAccessKeys") },
		},
		cleanup: func(ctx context.Context) {
			c.call(ctx, root, "iam", "DeleteAccessKey", "UserName", name, "AccessKeyId", user.id)
			c.call(ctx, root, "iam", "DeleteUserPolicy", "UserName", name, "PolicyName", "bench-read")
			c.call(ctx, root, "iam", "DeleteUser", "UserName", name)
		},
	}, nil
}

// readerPolicy lets a reader read itself: the calls readWorker makes.
const readerPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}`

// benchPolicies are the AWS managed policies attached in read-policies:
// ten, the quota of a user or a group.
var benchPolicies = []string{
	"ReadOnlyAccess", "IAMReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonEC2ReadOnlyAccess",
	"AmazonDynamoDBReadOnlyAccess", "AmazonSQSReadOnlyAccess", "AmazonSNSReadOnlyAccess",
	"CloudWatchReadOnlyAccess", "AWSLambda_ReadOnlyAccess", "AmazonRDSReadOnlyAccess",
}

// withPolicies puts the reader user in two groups and attaches ten
// managed policies to the user and to each group, the setting the issue
// measures reads in once policies are evaluated; cleanup undoes it first.
func withPolicies(ctx context.Context, c *client, root creds, user string, w worker) (worker, error) {
	attach := func(action, nameParam, name string) error {
		for _, p := range benchPolicies {
			if _, err := c.must(ctx, root, "iam", action, nameParam, name, "PolicyArn", "arn:aws:iam::aws:policy/"+p); err != nil {
				return err
			}
		}
		return nil
	}
	groups := []string{user + "-g1", user + "-g2"}
	for _, g := range groups {
		if _, err := c.must(ctx, root, "iam", "CreateGroup", "GroupName", g); err != nil && !strings.Contains(err.Error(), "EntityAlreadyExists") {
			return w, err
		}
		if err := attach("AttachGroupPolicy", "GroupName", g); err != nil {
			return w, err
		}
		if _, err := c.must(ctx, root, "iam", "AddUserToGroup", "GroupName", g, "UserName", user); err != nil {
			return w, err
		}
	}
	if err := attach("AttachUserPolicy", "UserName", user); err != nil {
		return w, err
	}
	cleanup := w.cleanup
	w.cleanup = func(ctx context.Context) {
		for _, p := range benchPolicies {
			arn := "arn:aws:iam::aws:policy/" + p
			c.call(ctx, root, "iam", "DetachUserPolicy", "UserName", user, "PolicyArn", arn)
			for _, g := range groups {
				c.call(ctx, root, "iam", "DetachGroupPolicy", "GroupName", g, "PolicyArn", arn)
			}
		}
		for _, g := range groups {
			c.call(ctx, root, "iam", "RemoveUserFromGroup", "GroupName", g, "UserName", user)
			c.call(ctx, root, "iam", "DeleteGroup", "GroupName", g)
		}
		cleanup(ctx)
	}
	return w, nil
}

// writeWorker cycles a fresh user through create and delete. Names carry
// the run's start time: a run stopped mid-cycle leaves its user behind.
func writeWorker(c *client, root creds, i int) worker {
	var name, key string
	seq, run := 0, strconv.FormatInt(time.Now().UnixNano(), 36)
	return worker{ops: []op{
		func(ctx context.Context) (int, string, error) {
			seq++
			name = fmt.Sprintf("bench-w%s-%d-%d", run, i, seq)
			return c.call(ctx, root, "iam", "CreateUser", "UserName", name)
		},
		func(ctx context.Context) (int, string, error) {
			status, body, err := c.call(ctx, root, "iam", "CreateAccessKey", "UserName", name)
			key = element(body, "AccessKeyId")
			return status, body, err
		},
		func(ctx context.Context) (int, string, error) {
			return c.call(ctx, root, "iam", "DeleteAccessKey", "UserName", name, "AccessKeyId", key)
		},
		func(ctx context.Context) (int, string, error) {
			return c.call(ctx, root, "iam", "DeleteUser", "UserName", name)
		},
	}}
}
