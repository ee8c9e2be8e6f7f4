package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
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
	out = stderr.String()
	ready := "iamlocal: ready. To use it from this shell:\n" +
		"  export AWS_ENDPOINT_URL=" + endpoint + " AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1\n"
	if !strings.Contains(out, ready) {
		t.Errorf("the banner lacks the ready line and the export line %q:\n%s", ready, out)
	}
	if !strings.HasSuffix(out, "iamlocal: stopped\n") {
		t.Errorf("stderr does not end with the stopped line:\n%s", out)
	}
	if strings.Contains(out, "WARNING") || strings.Contains(out, "token") {
		t.Errorf("a loopback server warns or asks for a token:\n%s", out)
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
	if export := "export AWS_ENDPOINT_URL=" + endpoint + " AWS_ACCESS_KEY_ID=test AWS_DEFAULT_REGION=us-east-1\n"; !strings.Contains(out, export) || strings.Contains(out, "AWS_SECRET_ACCESS_KEY=configured") {
		t.Errorf("the export line is not %q without the secret:\n%s", export, out)
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

// TestServeBeyondLoopback: an unspecified bind warns, prints an endpoint
// that works from this machine rather than [::], and gates the admin
// endpoints behind a generated token that works as either header.
func TestServeBeyondLoopback(t *testing.T) {
	endpoint, stderr, _ := serve(t, "--addr", "0.0.0.0:0", "--ephemeral")
	out := stderr.String()
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
		t.Fatalf("endpoint=%q, want http://127.0.0.1:PORT", endpoint)
	}
	if !strings.Contains(out, "WARNING: listening on ") || !strings.Contains(out, "root credentials and the admin endpoints are reachable from the network") {
		t.Errorf("no WARNING line:\n%s", out)
	}
	if strings.Contains(out, "http://[::]") || strings.Contains(out, "http://0.0.0.0") {
		t.Errorf("the banner offers an unspecified address as a URL:\n%s", out)
	}
	if !strings.Contains(out, "export AWS_ENDPOINT_URL="+endpoint+" ") {
		t.Errorf("the export line does not use %s:\n%s", endpoint, out)
	}
	token := between(out, "Authorization: Bearer ", " ")
	if len(token) < 20 {
		t.Fatalf("no generated token in the banner:\n%s", out)
	}
	for _, c := range []struct {
		header, value string
		want          int
	}{
		{"", "", http.StatusForbidden},
		{"Authorization", "Bearer wrong", http.StatusForbidden},
		{"Authorization", "Bearer " + token, http.StatusOK},
		{"X-Iamlocal-Admin-Token", token, http.StatusOK},
	} {
		if got := adminPost(t, endpoint+"/_iamlocal/reset", c.header, c.value); got != c.want {
			t.Errorf("reset with %s %q: status=%d, want %d", c.header, c.value, got, c.want)
		}
	}
	_, s := clients(endpoint, "test", "test")
	if _, err := s.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Errorf("the API needs no admin token: %v", err)
	}
	if strings.Contains(stderr.String(), token+"\n") || strings.Count(stderr.String(), token) != 1 {
		t.Errorf("the token is printed other than once in the banner:\n%s", stderr)
	}
}

// TestServeConfiguredAdminToken: a configured token is required, even on
// loopback, and never printed.
func TestServeConfiguredAdminToken(t *testing.T) {
	const token = "my-admin-token-42"
	endpoint, stderr, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--admin-token", token)
	if got, want := adminPost(t, endpoint+"/_iamlocal/reset", "", ""), http.StatusForbidden; got != want {
		t.Errorf("reset without the token: status=%d, want %d", got, want)
	}
	if got, want := adminPost(t, endpoint+"/_iamlocal/reset", "X-Iamlocal-Admin-Token", token), http.StatusOK; got != want {
		t.Errorf("reset with the token: status=%d, want %d", got, want)
	}
	if strings.Contains(stderr.String(), token) {
		t.Errorf("the configured token is printed:\n%s", stderr)
	}
}

// TestServeRefusesRebinding: the served handler is the guarded one.
func TestServeRefusesRebinding(t *testing.T) {
	endpoint, stderr, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--allow-host", "iamlocal.test")
	for host, want := range map[string]int{"rebind.attacker.example": http.StatusForbidden, "iamlocal.test": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, endpoint+"/_iamlocal/health", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.StatusCode; got != want {
			t.Errorf("Host %s: status=%d, want %d", host, got, want)
		}
	}
	if !strings.Contains(stderr.String(), "start iamlocal with --allow-host rebind.attacker.example") {
		t.Errorf("the refusal is not logged with how to allow it:\n%s", stderr)
	}
}

func adminPost(t testing.TB, u, header, value string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if header != "" {
		req.Header.Set(header, value)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeCutsStalledConnections: a client that sends headers and then
// stalls in its body, or idles after a request, is disconnected by the
// server. The timeouts are shortened; the bound waited is generous.
func TestServeCutsStalledConnections(t *testing.T) {
	saved := timeouts
	timeouts.read, timeouts.idle = 200*time.Millisecond, 200*time.Millisecond
	t.Cleanup(func() { timeouts = saved })
	endpoint, _, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral")
	addr := strings.TrimPrefix(endpoint, "http://")
	for name, send := range map[string]string{
		"stalled body": "POST / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nAction=",
		"idle":         "GET /_iamlocal/health HTTP/1.1\r\nHost: " + addr + "\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Write([]byte(send)); err != nil {
				t.Fatal(err)
			}
			conn.SetReadDeadline(time.Now().Add(20 * time.Second))
			_, err = io.Copy(io.Discard, conn)
			var timeout net.Error
			if errors.As(err, &timeout) && timeout.Timeout() {
				t.Fatalf("the server still holds the connection after 20 s")
			}
		})
	}
}

// TestCLIHelp: --help, -h and help print the usage to stdout and succeed,
// naming every command and every flag with its variable.
func TestCLIHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--addr", "127.0.0.1:0", "--help"}, {"serve", "-help"}} {
		var stdout, stderr bytes.Buffer
		if got, want := cli(context.Background(), args, &stdout, &stderr), 0; got != want {
			t.Errorf("%v: exit %d, want %d; stderr %s", args, got, want, &stderr)
		}
		if stderr.Len() != 0 {
			t.Errorf("%v: stderr %q, want nothing", args, &stderr)
		}
		out := stdout.String()
		for _, want := range []string{"usage: iamlocal", "serve", "totp", "version", "help", "(the default)", "--addr address", "default 127.0.0.1:4599"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: usage lacks %q:\n%s", args, want, out)
			}
		}
		fs, _, _ := flags(&config{}, envOf(nil))
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "--"+f.Name) {
				t.Errorf("%v: usage lacks --%s", args, f.Name)
			}
		})
		if got, want := strings.Count(out, "(IAMLOCAL_"), strings.Count(out, "\n  --"); got != want {
			t.Errorf("%v: %d flags name their variable, want all %d:\n%s", args, got, want, out)
		}
	}
}

func TestCLIVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		if got, want := cli(context.Background(), args, &stdout, &stderr), 0; got != want {
			t.Errorf("%v: exit %d, want %d; stderr %s", args, got, want, &stderr)
		}
		if out := stdout.String(); !strings.HasPrefix(out, "iamlocal ") || !strings.HasSuffix(out, " "+runtime.Version()+"\n") {
			t.Errorf("%v: %q, want iamlocal VERSION %s", args, out, runtime.Version())
		}
	}
}

func TestCLIRefusals(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bogus"}, 2, `unknown command "bogus"`},
		{[]string{"--bogus"}, 1, "run iamlocal help"},
	} {
		var stdout, stderr bytes.Buffer
		if got := cli(context.Background(), c.args, &stdout, &stderr); got != c.code {
			t.Errorf("%v: exit %d, want %d", c.args, got, c.code)
		}
		if !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: stderr %q, want %q", c.args, &stderr, c.want)
		}
	}
}

// TestServeEnforceModes: --enforce reaches the emulator; a user without
// policies is denied when on, allowed when off.
func TestServeEnforceModes(t *testing.T) {
	for _, c := range []struct{ mode, wantCode string }{{"on", "AccessDenied"}, {"off", ""}} {
		t.Run(c.mode, func(t *testing.T) {
			endpoint, _, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--enforce", c.mode)
			root, _ := clients(endpoint, "test", "test")
			if _, err := root.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
				t.Fatal(err)
			}
			key, err := root.CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			alice, _ := clients(endpoint, *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey)
			_, err = alice.ListUsers(context.Background(), &iam.ListUsersInput{})
			code := ""
			var api smithy.APIError
			if errors.As(err, &api) {
				code = api.ErrorCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if got, want := code, c.wantCode; got != want {
				t.Fatalf("ListUsers as alice with --enforce %s: code=%q, want %q", c.mode, got, want)
			}
		})
	}
}
