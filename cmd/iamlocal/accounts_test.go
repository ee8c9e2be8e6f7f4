package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestAccountRepeats: --account adds up over repeats and commas, the
// first is the default, and the flags replace the variable's list.
func TestAccountRepeats(t *testing.T) {
	env := envOf(map[string]string{"IAMLOCAL_ACCOUNT": "444444444444"})
	c, err := parseConfig([]string{"--account", "111111111111", "--account=222222222222, 333333333333"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.accounts.items, " "), "111111111111 222222222222 333333333333"; got != want {
		t.Fatalf("accounts=%q, want %q", got, want)
	}
	if got, want := c.account, "111111111111"; got != want {
		t.Fatalf("default account=%q, want %q", got, want)
	}
}

// TestAccountEnvList: IAMLOCAL_ACCOUNT takes several accounts, separated
// by commas, the first the default.
func TestAccountEnvList(t *testing.T) {
	c, err := parseConfig(nil, envOf(map[string]string{"IAMLOCAL_ACCOUNT": "222222222222,111111111111"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.accounts.items, " ")+" default "+c.account, "222222222222 111111111111 default 222222222222"; got != want {
		t.Fatalf("accounts=%q, want %q", got, want)
	}
}

func TestAccountRefusals(t *testing.T) {
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--account", "111111111111,12345"}, nil, `"12345" is not a 12-digit account id`},
		{nil, map[string]string{"IAMLOCAL_ACCOUNT": "111111111111,x"}, "IAMLOCAL_ACCOUNT"},
		{[]string{"--account", ""}, nil, "at least one"},
		{[]string{"--account", "111111111111", "--account", "222222222222", "--root-access-key", "222222222222"}, nil, "--root-access-key"},
	} {
		_, err := parseConfig(c.args, envOf(c.env))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: err=%v, want one mentioning %q", c.args, c.env, err, c.want)
		}
	}
}

// TestServeSeveralAccounts: each account's root signs with its id as the
// key id, the default one with --root-access-key too, and the startup
// lines name every account.
func TestServeSeveralAccounts(t *testing.T) {
	endpoint, stderr, _ := serve(t, "--addr", "127.0.0.1:0", "--ephemeral", "--account", "111111111111", "--account", "222222222222")
	for key, want := range map[string]string{"test": "111111111111", "111111111111": "111111111111", "222222222222": "222222222222"} {
		_, s := clients(endpoint, key, "test")
		who, err := s.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatalf("GetCallerIdentity as %s: %v", key, err)
		}
		if got := aws.ToString(who.Account); got != want {
			t.Errorf("key %s: Account=%q, want %q", key, got, want)
		}
	}
	if got, want := stderr.String(), "account 222222222222, root access key id 222222222222"; !strings.Contains(got, want) {
		t.Errorf("startup output:\n%s\nwant a line with %q", got, want)
	}
}
