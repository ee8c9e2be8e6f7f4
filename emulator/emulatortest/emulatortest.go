// Package emulatortest starts an iamlocal server for tests: in-process, on
// a random loopback port, with a temporary state file, and hands back an
// aws.Config that reaches it with the root credentials.
//
//	srv := emulatortest.Start(t)                   // options: WithStartTime, WithEnforce, WithLogs, …
//	alice, err := srv.NewUser("alice", policyJSON) // an aws.Config that signs as alice
//	bob, err := srv.NewUser("bob")                 // no policy: AccessDenied for almost everything
//	role, err := srv.AssumeRoleWithMFA(alice, roleARN, serial)
//
// Policies are enforced as on AWS; the server's clock moves only forward,
// through AdvanceClock; Reset brings a server back to its starting state.
package emulatortest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/store"
	"golang.org/x/crypto/bcrypt"
)

// Server is a running emulator.
type Server struct {
	URL      string     // http://127.0.0.1:port
	Config   aws.Config // root credentials, us-east-1, BaseEndpoint = URL
	Account  string
	Emulator *emulator.Emulator

	http *httptest.Server
	db   *store.DB
	logs *logSink
	// tempDir is the directory Open made for the state file, which Close
	// removes.
	tempDir string
}

// Start runs a server for the rest of the test, with opts (see Option).
// Its log goes to t.Log: warnings and errors unless WithLogs says
// otherwise.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := open(t.TempDir(), t, newConfig(opts))
	if err != nil {
		t.Fatalf("emulatortest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Open runs a server whose state file lives in dir, for callers without a
// testing.TB (TestMain, examples), with opts (see Option). Close stops it.
// An empty dir means a new temporary directory, which Close removes.
//
// Its store runs every write twice (store.Options.VerifyRerun), so that a
// test through it also proves that the emulator's write transactions are
// safe to re-run, as group commit may re-run them; writes then commit one
// at a time.
func Open(dir string, opts ...Option) (*Server, error) {
	if dir != "" {
		return open(dir, nil, newConfig(opts))
	}
	dir, err := os.MkdirTemp("", "emulatortest-")
	if err != nil {
		return nil, err
	}
	s, err := open(dir, nil, newConfig(opts))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.tempDir = dir
	return s, nil
}

// open runs the server of c; t, when not nil, gets its log.
func open(dir string, t testing.TB, c *config) (*Server, error) {
	db, err := store.Open(filepath.Join(dir, "state.db"), store.Options{VerifyRerun: true})
	if err != nil {
		return nil, err
	}
	logs := newLogSink(t)
	o := c.emulator
	o.Log = logs.logger(c.logLevel)
	// Passwords are hashed at bcrypt's minimum cost: a test server guards
	// nothing, and tests should not wait on key stretching.
	o.PasswordCost = bcrypt.MinCost
	emu := emulator.New(db, o)
	srv := httptest.NewServer(emu.Handler())
	s := &Server{
		URL:      srv.URL,
		Config:   Config(srv.URL, emulator.DefaultRootAccessKeyID, emulator.DefaultRootSecret, ""),
		Account:  emu.Accounts()[0],
		Emulator: emu,
		http:     srv,
		db:       db,
		logs:     logs,
	}
	for _, ready := range c.ready {
		if err := ready(s); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Config is an aws.Config for endpoint with static credentials, as a
// user's program would build it (no shared config files are read), with
// an HTTP client that suits a server on the same machine (see LocalClient).
func Config(endpoint, accessKeyID, secret, sessionToken string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secret, sessionToken),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   LocalClient(awshttp.NewBuildableClient()),
	}
}

// LocalClient wraps the SDK's HTTP client so that request bodies reach the
// transport without their WriteTo method. smithy-go (v1.28.8) closes a
// request body as soon as the response headers arrive. A server on the same
// machine can answer before the transport's write loop has returned from
// the body's WriteTo, which then fails, and the transport closes the
// connection while a response of more than 4 KB is still being read: the
// SDK reports "deserialization failed … use of closed network connection".
// Over a network the write finishes first. A plain Read loop does not fail
// that way. Use it in your own aws.Config when you point an SDK client at
// iamlocal.
func LocalClient(c aws.HTTPClient) aws.HTTPClient { return localClient{c} }

type localClient struct{ aws.HTTPClient }

func (l localClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = struct{ io.ReadCloser }{r.Body} // no WriteTo
	}
	return l.HTTPClient.Do(r)
}

// Close stops the server and closes its state file.
func (s *Server) Close() {
	s.http.Close()
	s.Emulator.Close()
	s.db.Close()
	s.logs.close()
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}

// Reset brings the server back to its starting state (empty unless an
// option gave it one) and its clock back to its start (real time, or
// WithStartTime's), as POST /_iamlocal/reset does (it is that call): one
// server can then serve many tests, each from a clean state.
func (s *Server) Reset() error {
	req, err := http.NewRequest(http.MethodPost, s.URL+"/_iamlocal/reset", nil)
	if err != nil {
		return err
	}
	resp, err := s.http.Client().Do(req)
	if err != nil {
		return fmt.Errorf("emulatortest: reset: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("emulatortest: reset: %s: %s", resp.Status, body)
	}
	return nil
}

// AdvanceClock moves the server's clock forward by d, so that expiry and
// TOTP steps can be tested without waiting. It refuses (with an error
// matching emulator.ErrClockAdvance) to go back or beyond
// emulator.MaxClockOffset.
func (s *Server) AdvanceClock(d time.Duration) error { return s.Emulator.AdvanceClock(d) }

// Codes are the current and the next code of the virtual MFA device
// serial (its ARN or its name), on the server's clock, with the codes the
// device has already accepted marked used: what a phone would show.
func (s *Server) Codes(serial string) (emulator.Codes, error) {
	return emulator.DeviceCodes(s.db, s.Account, serial, s.Emulator.Clock().Now())
}
