package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestCrashLosesNothingAcknowledged builds the binary, writes to it from
// several clients, kills it with SIGKILL while writes are in flight,
// restarts it on the same state file and finds every user and access key
// whose creation was acknowledged, the keys still signing.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	bin, dir := buildBinary(t)
	data := filepath.Join(dir, "state.db")

	proc, endpoint, firstLog := startBinary(t, bin, data)
	root, _ := clients(endpoint, "test", "test")
	type key struct{ user, id, secret string }
	var (
		mu       sync.Mutex
		users    []string
		keys     []key
		acked    atomic.Int64
		inFlight atomic.Int64
		wg       sync.WaitGroup
	)
	ctx := context.Background()
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				name := fmt.Sprintf("crash-%d-%d", w, i)
				inFlight.Add(1)
				_, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
				inFlight.Add(-1)
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				users = append(users, name)
				mu.Unlock()
				acked.Add(1)
				if i%2 == 0 {
					inFlight.Add(1)
					out, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
					inFlight.Add(-1)
					if err != nil {
						return
					}
					mu.Lock()
					keys = append(keys, key{name, *out.AccessKey.AccessKeyId, *out.AccessKey.SecretAccessKey})
					mu.Unlock()
					acked.Add(1)
				}
			}
		})
	}
	workersDone := make(chan struct{})
	go func() { wg.Wait(); close(workersDone) }()
	for acked.Load() < 200 {
		select {
		case <-workersDone:
			t.Fatalf("every writer stopped after %d acknowledgements, before the kill:\n%s", acked.Load(), firstLog)
		case <-time.After(time.Millisecond):
		}
	}
	pending := inFlight.Load()
	if err := proc.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	<-workersDone
	if ws, ok := proc.ProcessState.Sys().(syscall.WaitStatus); ok && !ws.Signaled() {
		t.Fatalf("the server exited on its own (%v), not by SIGKILL:\n%s", proc.ProcessState, firstLog)
	}

	_, endpoint, secondLog := startBinary(t, bin, data)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("first run's stderr:\n%s\nsecond run's stderr:\n%s", firstLog, secondLog)
		}
	})
	root, _ = clients(endpoint, "test", "test")
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d users and %d keys acknowledged before SIGKILL, %d calls in flight", len(users), len(keys), pending)
	for _, name := range users {
		if _, err := root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)}); err != nil {
			t.Errorf("acknowledged user %s lost: %v", name, err)
		}
	}
	for _, k := range keys {
		list, err := root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(k.user)})
		if err != nil || !slices.ContainsFunc(list.AccessKeyMetadata, func(m types.AccessKeyMetadata) bool { return aws.ToString(m.AccessKeyId) == k.id }) {
			t.Errorf("acknowledged key %s of %s lost: %v", k.id, k.user, err)
			continue
		}
		_, s := clients(endpoint, k.id, k.secret)
		who, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || !strings.HasSuffix(aws.ToString(who.Arn), ":user/"+k.user) {
			t.Errorf("key %s no longer signs as %s: %v %v", k.id, k.user, who, err)
		}
	}
}

// startBinary runs bin on a free port with data as its state file, and
// waits until it answers.
func startBinary(t *testing.T, bin, data string) (*exec.Cmd, string, *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "--addr", addr, "--data", data, "--log-level", "warn")
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "IAMLOCAL_") })
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	endpoint := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(endpoint + "/_iamlocal/health")
		if err == nil {
			resp.Body.Close()
			return cmd, endpoint, stderr
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s did not answer within 10 s:\n%s", bin, stderr.String())
	return nil, "", nil
}
