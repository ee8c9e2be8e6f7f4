package emulator

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/wire"
)

func TestOptionsServedAccounts(t *testing.T) {
	for _, c := range []struct {
		name string
		o    Options
		want string
	}{
		{"none", Options{}, DefaultAccount},
		{"Account alone", Options{Account: "111111111111"}, "111111111111"},
		{"Accounts first", Options{Account: "333333333333", Accounts: []string{"111111111111", "222222222222"}}, "111111111111"},
	} {
		e := newTestWith(t, c.o)
		if got := e.Accounts()[0] + " " + e.opts.Account; got != c.want+" "+c.want {
			t.Errorf("%s: default account %q, want %q", c.name, got, c.want)
		}
		if e.Serves("999999999999") {
			t.Errorf("%s: serves 999999999999", c.name)
		}
	}
}

// TestRootKeyOfEachAccount: the configured root key signs as the default
// account's root, an account id as that account's when served.
func TestRootKeyOfEachAccount(t *testing.T) {
	e := newTestWith(t, Options{Accounts: []string{"111111111111", "222222222222"}})
	for id, want := range map[string]string{"test": "111111111111", "111111111111": "111111111111", "222222222222": "222222222222"} {
		k, err := e.LookupKey(context.Background(), id)
		if err != nil {
			t.Fatalf("LookupKey %s: %v", id, err)
		}
		if got := k.Caller.ARN; got != "arn:aws:iam::"+want+":root" || !k.Caller.Root {
			t.Errorf("LookupKey %s: caller %s (root %v), want %s's root", id, got, k.Caller.Root, want)
		}
	}
	if _, err := e.LookupKey(context.Background(), "333333333333"); err != wire.ErrInvalidKey {
		t.Errorf("LookupKey of an account not served: err=%v, want wire.ErrInvalidKey", err)
	}
}

// BenchmarkLookupKeySeveralAccounts is key lookup, the hot path, with
// ten accounts served: a stored user key, and a served account's root.
func BenchmarkLookupKeySeveralAccounts(b *testing.B) {
	accounts := []string{DefaultAccount}
	for i := range 9 {
		accounts = append(accounts, "21098765432"+string(rune('0'+i)))
	}
	e := newTestWith(b, Options{Accounts: accounts})
	if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		b.Fatal(err)
	}
	out, err := e.CreateAccessKey(e.rootCtx(), &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
	if err != nil {
		b.Fatal(err)
	}
	for name, id := range map[string]string{"user key": *out.AccessKey.AccessKeyId, "last account's root": accounts[9]} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				k, err := e.LookupKey(context.Background(), id)
				if err != nil {
					b.Fatal(err)
				}
				k.Caller.AccessKeyID = id // as wire sets it
				e.KeyUsed(&k.Caller)
			}
		})
	}
}
