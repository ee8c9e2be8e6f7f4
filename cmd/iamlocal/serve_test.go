package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
	"github.com/iamlocal/iamlocal/store"
)

// lockedBuffer is stderr shared by the server's goroutines and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serve runs the server in-process until the test ends and returns its
// endpoint, its stderr, and a stop function that returns run's error.
func serve(t *testing.T, args ...string) (string, *lockedBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &lockedBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stderr, ready) }()
	var endpoint string
	select {
	case endpoint = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run ended before serving: %v\n%s", err, stderr)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	return endpoint, stderr, stop
}

func clients(endpoint, id, secret string) (*iam.Client, *sts.Client) {
	cfg := emulatortest.Config(endpoint, id, secret, "")
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func TestServeEphemeral(t *testing.T) {
	endpoint, stderr, stop := serve(t, "--addr", "127.0.0.1:0", "--ephemeral")
	_, s := clients(endpoint, "test", "test")
	who, err := s.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(who.Arn), "arn:aws:iam::123456789012:root"; got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	out := stderr.String()
	if !strings.Contains(out, "IAM and STS on "+endpoint) || !strings.Contains(out, "root access key id test, secret test") {
		t.Errorf("announcement lacks the endpoint or the default key:\n%s", out)
	}
	state := between(out, "iamlocal: state ", " (ephemeral)")
	if _, err := os.Stat(state); err != nil {
		t.Fatalf("ephemeral state file %q: %v", state, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v on shutdown", err)
	}
	if _, err := os.Stat(filepath.Dir(state)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ephemeral state dir still there after exit (err=%v)", err)
	}
}

func between(s, start, end string) string {
	_, rest, _ := strings.Cut(s, start)
	v, _, _ := strings.Cut(rest, end)
	return v
}

func TestServeStateFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.db")
	endpoint, _, stop := serve(t, "--addr", "127.0.0.1:0", "--data", path)
	c, _ := clients(endpoint, "test", "test")
	if _, err := c.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("state file mode %o, want 600", mode)
	}
}

func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), []string{"--addr", ln.Addr().String(), "--ephemeral"}, &lockedBuffer{}, nil)
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Fatalf("err=%v, want one naming %s", err, ln.Addr())
	}
}

func TestServeLockedStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	err = run(context.Background(), []string{"--addr", "127.0.0.1:0", "--data", path}, &lockedBuffer{}, nil)
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), path) {
		t.Fatalf("err=%v, want ErrLocked naming %s", err, path)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("gave up only after %v", waited)
	}
}

// TestServeKeepsSecretsOutOfOutput: a configured root secret, user secrets
// passwords and TOTP seeds never reach stderr, through the announcement or the
// request log, even at debug level and for refused requests.
func TestServeKeepsSecretsOutOfOutput(t *testing.T) {
	for _, level := range []string{"debug", "info"} {
		t.Run(level, func(t *testing.T) { testSecretsOutOfOutput(t, level) })
	}
}

func testSecretsOutOfOutput(t *testing.T, level string) {
	const rootSecret = "configured-Root-Secret-42"
	endpoint, stderr, stop := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--root-secret-key", rootSecret, "--log-level", level)
	ctx := context.Background()
	c, s := clients(endpoint, "test", rootSecret)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		t.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
	if err != nil {
		t.Fatal(err)
	}
	const password = "Login-Passw0rd-99"
	if _, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("taro"), Password: aws.String(password)}); err != nil {
		t.Fatal(err)
	}
	mfa, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("taro-mfa")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	_, wrong := clients(endpoint, "test", "not-the-secret")
	if _, err := wrong.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v on shutdown", err)
	}
	out := stderr.String()
	if !strings.Contains(out, "root access key id test, secret (as configured)") {
		t.Errorf("the announcement does not say the secret is configured:\n%s", out)
	}
	for _, secret := range []string{rootSecret, *key.AccessKey.SecretAccessKey, password, "not-the-secret", string(mfa.VirtualMFADevice.Base32StringSeed)} {
		if strings.Contains(out, secret) {
			t.Errorf("stderr contains a secret %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "action=CreateAccessKey") || !strings.Contains(out, "error=SignatureDoesNotMatch") {
		t.Errorf("the request log lacks the calls made:\n%s", out)
	}
}

func postForm(u, body string) (int, error) {
	resp, err := http.Post(u, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
