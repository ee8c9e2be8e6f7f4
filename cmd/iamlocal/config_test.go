package main

import (
	"io"
	"log/slog"
	"strings"
	"testing"
)

func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestConfigPrecedence(t *testing.T) {
	c, err := parseConfig(nil, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:4599" || c.data != "./.iamlocal/state.db" || c.ephemeral || c.account != "123456789012" ||
		c.rootKey != "test" || c.rootSecret != "test" || c.logLevel != slog.LevelInfo || c.maxUsers != 5000 {
		t.Fatalf("defaults %+v", c)
	}
	env := envOf(map[string]string{"IAMLOCAL_ADDR": "127.0.0.1:5000", "IAMLOCAL_ACCOUNT": "111122223333",
		"IAMLOCAL_EPHEMERAL": "true", "IAMLOCAL_LOG_LEVEL": "warn", "IAMLOCAL_ROOT_SECRET_KEY": "from-env"})
	c, err = parseConfig(nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:5000" || c.account != "111122223333" || !c.ephemeral || c.logLevel != slog.LevelWarn || c.rootSecret != "from-env" {
		t.Fatalf("from env %+v", c)
	}
	c, err = parseConfig([]string{"--addr", "127.0.0.1:6000", "--account", "444455556666", "--ephemeral=false", "--root-secret-key", "from-flag"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:6000" || c.account != "444455556666" || c.ephemeral || c.rootSecret != "from-flag" || c.logLevel != slog.LevelWarn {
		t.Fatalf("flags over env %+v", c)
	}
}

func TestConfigRefusals(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--account", "12345"}, nil, "12-digit"},
		{nil, map[string]string{"IAMLOCAL_ACCOUNT": "12345678901x"}, "12-digit"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
		{nil, map[string]string{"IAMLOCAL_EPHEMERAL": "maybe"}, "IAMLOCAL_EPHEMERAL"},
		{[]string{"--root-access-key", "a/b"}, nil, "may not contain"},
		{[]string{"--root-secret-key", ""}, nil, "must be set"},
		{[]string{"--max-users", "0"}, nil, "--max-users"},
		{[]string{"serve"}, nil, "unexpected argument"},
		{[]string{"--no-such-flag"}, nil, "no-such-flag"},
	} {
		_, err := parseConfig(c.args, envOf(c.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: err=%v, want one mentioning %q", c.args, c.env, err, c.want)
		}
	}
}
