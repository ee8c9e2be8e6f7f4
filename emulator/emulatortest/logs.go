package emulatortest

import (
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
)

// logSink is where a server's log records go: t.Log, or standard error
// for a server without a test. Records that come after Close are dropped,
// because t.Log panics once its test has finished.
type logSink struct {
	t      testing.TB // nil: standard error
	mu     sync.Mutex
	closed bool
}

func newLogSink(t testing.TB) *logSink { return &logSink{t: t} }

// logger logs records of level and above to the sink. A nil level means
// warnings for a test's server and nothing for the others.
func (l *logSink) logger(level slog.Leveler) *slog.Logger {
	if level == nil {
		if l.t == nil {
			return slog.New(slog.DiscardHandler)
		}
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: level}))
}

// Write takes one record, as slog's text handler writes it.
func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.closed:
	case l.t == nil:
		return os.Stderr.Write(p)
	default:
		l.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

func (l *logSink) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}
