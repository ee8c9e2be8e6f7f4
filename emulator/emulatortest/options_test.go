package emulatortest_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/emulator"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

func TestWithEnforce(t *testing.T) {
	for _, tc := range []struct {
		mode     emulator.Enforce
		wantCode string
	}{
		{emulator.EnforceOn, "AccessDenied"},
		{emulator.EnforceAudit, ""},
		{emulator.EnforceOff, ""},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			srv := emulatortest.Start(t, emulatortest.WithEnforce(tc.mode))
			taro := mustConfig(t)(srv.NewUser("taro"))
			if got, want := listUsersCode(t, taro), tc.wantCode; got != want {
				t.Fatalf("ListUsers by a user without policies: error=%q, want %q", got, want)
			}
		})
	}
}

// logRecorder is a test that keeps what is logged to it.
type logRecorder struct {
	testing.TB
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range args {
		r.lines = append(r.lines, a.(string))
	}
}

func (r *logRecorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

func TestWithLogs(t *testing.T) {
	quiet := &logRecorder{TB: t}
	srv := emulatortest.Start(quiet)
	listUsersCode(t, mustConfig(t)(srv.NewUser("taro")))
	if got := quiet.text(); got != "" {
		t.Fatalf("Start without WithLogs logged requests or denials:\n%s", got)
	}

	rec := &logRecorder{TB: t}
	srv = emulatortest.Start(rec, emulatortest.WithLogs(slog.LevelDebug))
	taro := mustConfig(t)(srv.NewUser("taro"))
	listUsersCode(t, taro)
	secret := func() string { c, _ := taro.Credentials.Retrieve(t.Context()); return c.SecretAccessKey }()
	text := rec.text()
	for _, want := range []string{"action=CreateAccessKey", "msg=\"access denied\" caller=arn:aws:iam::123456789012:user/taro action=iam:ListUsers"} {
		if !strings.Contains(text, want) {
			t.Errorf("the log has no %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, secret) {
		t.Errorf("the log shows taro's secret key:\n%s", text)
	}
}

func TestWithStartTime(t *testing.T) {
	start := time.Date(2030, 4, 1, 9, 0, 0, 0, time.UTC)
	srv := emulatortest.Start(t, emulatortest.WithStartTime(start))
	c := iam.NewFromConfig(srv.Config)
	if got := createUser(t, c, "taro"); got.Before(start) || got.Sub(start) > time.Minute {
		t.Fatalf("CreateDate=%v, want %v", got, start)
	}
	if err := srv.AdvanceClock(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, want := createUser(t, c, "hanako").Sub(start).Truncate(time.Hour), 48*time.Hour; got != want {
		t.Fatalf("CreateDate after AdvanceClock is %v after the start, want %v", got, want)
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if got := createUser(t, c, "taro"); got.Before(start) || got.Sub(start) > time.Minute {
		t.Fatalf("CreateDate after Reset=%v, want %v", got, start)
	}
}
