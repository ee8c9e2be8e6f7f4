package main

import (
	"fmt"
	"strings"
	"testing"
)

func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// TestConfigPrecedence checks, setting by setting, that the built-in
// default applies alone, that IAMLOCAL_* replaces it, and that the flag
// replaces both.
func TestConfigPrecedence(t *testing.T) {
	for _, s := range []struct {
		flag, env         string
		def, fromEnv, arg string
		get               func(*config) string
	}{
		{"addr", "ADDR", "127.0.0.1:4599", "127.0.0.1:5000", "127.0.0.1:6000", func(c *config) string { return c.addr }},
		{"data", "DATA", "./.iamlocal/state.db", "/env/state.db", "/flag/state.db", func(c *config) string { return c.data }},
		{"ephemeral", "EPHEMERAL", "false", "true", "false", func(c *config) string { return fmt.Sprint(c.ephemeral) }},
		{"account", "ACCOUNT", "123456789012", "111122223333", "444455556666", func(c *config) string { return c.account }},
		{"root-access-key", "ROOT_ACCESS_KEY", "test", "ENVKEY", "FLAGKEY", func(c *config) string { return c.rootKey }},
		{"root-secret-key", "ROOT_SECRET_KEY", "test", "from-env", "from-flag", func(c *config) string { return c.rootSecret }},
		{"log-level", "LOG_LEVEL", "info", "warn", "debug", func(c *config) string { return strings.ToLower(c.logLevel.String()) }},
		{"max-users", "MAX_USERS", "5000", "10", "20", func(c *config) string { return fmt.Sprint(c.maxUsers) }},
		{"allow-host", "ALLOW_HOSTS", "", "a.example, b.example", "c.example", func(c *config) string { return strings.Join(c.allowHosts.items, ", ") }},
		{"admin-token", "ADMIN_TOKEN", "", "from-env", "from-flag", func(c *config) string { return c.adminToken }},
		{"enforce", "ENFORCE", "on", "audit", "off", func(c *config) string { return c.enforce.String() }},
	} {
		t.Run(s.flag, func(t *testing.T) {
			env := envOf(map[string]string{"IAMLOCAL_" + s.env: s.fromEnv})
			for _, c := range []struct {
				name   string
				args   []string
				getenv func(string) string
				want   string
			}{
				{"default", nil, envOf(nil), s.def},
				{"env over default", nil, env, s.fromEnv},
				{"flag over env", []string{"--" + s.flag + "=" + s.arg}, env, s.arg},
			} {
				cfg, err := parseConfig(c.args, c.getenv)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if got := s.get(cfg); got != c.want {
					t.Errorf("%s: %s=%q, want %q", c.name, s.flag, got, c.want)
				}
			}
		})
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
		{nil, map[string]string{"IAMLOCAL_LOG_LEVEL": "loud"}, "--log-level"},
		{nil, map[string]string{"IAMLOCAL_MAX_USERS": "lots"}, "IAMLOCAL_MAX_USERS"},
		{nil, map[string]string{"IAMLOCAL_EPHEMERAL": "maybe"}, "IAMLOCAL_EPHEMERAL"},
		{[]string{"--root-access-key", "a/b"}, nil, "only letters, digits and underscores"},
		{[]string{"--root-access-key", "AKIA,X"}, nil, "only letters, digits and underscores"},
		{[]string{"--root-access-key", "tab\tkey"}, nil, "only letters, digits and underscores"},
		{nil, map[string]string{"IAMLOCAL_ROOT_ACCESS_KEY": "a b"}, "only letters, digits and underscores"},
		{[]string{"--root-access-key", "key=1"}, nil, "only letters, digits and underscores"},
		{[]string{"--root-secret-key", ""}, nil, "must be set"},
		{[]string{"--allow-host", "http://host.docker.internal:4599"}, nil, "not a URL"},
		{nil, map[string]string{"IAMLOCAL_ALLOW_HOSTS": "ok.example,user@evil"}, "IAMLOCAL_ALLOW_HOSTS"},
		{[]string{"--admin-token", "has space"}, nil, "--admin-token"},
		{[]string{"--max-users", "0"}, nil, "--max-users"},
		{[]string{"--enforce", "maybe"}, nil, "--enforce"},
		{nil, map[string]string{"IAMLOCAL_ENFORCE": "strict"}, "--enforce"},
		{[]string{"serve"}, nil, "unexpected argument"},
		{[]string{"--no-such-flag"}, nil, "no-such-flag"},
		{[]string{"--no-such-flag"}, nil, "run iamlocal help"},
	} {
		_, err := parseConfig(c.args, envOf(c.env))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: err=%v, want one mentioning %q", c.args, c.env, err, c.want)
		}
	}
}

// TestAllowHostRepeats: --allow-host adds up over repeats and commas, and
// the flags replace the variable's list.
func TestAllowHostRepeats(t *testing.T) {
	env := envOf(map[string]string{"IAMLOCAL_ALLOW_HOSTS": "env.example"})
	c, err := parseConfig([]string{"--allow-host", "a.example", "--allow-host=b.example,c.example:4599"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.allowHosts.items, " "), "a.example b.example c.example:4599"; got != want {
		t.Fatalf("allow-host=%q, want %q", got, want)
	}
}

// TestRootKeyAccepted: AWS-shaped and underscore ids still start.
func TestRootKeyAccepted(t *testing.T) {
	for _, id := range []string{"test", "AKIAIOSFODNN7EXAMPLE", "local_root_1"} {
		if _, err := parseConfig([]string{"--root-access-key", id}, envOf(nil)); err != nil {
			t.Errorf("%q: %v", id, err)
		}
	}
}
