package emulator

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
)

// userSession makes user taro and a GetSessionToken session for it, as
// taro's long-term key would ask, and returns the session's key id.
func userSession(t testing.TB, e *Emulator, seconds int32) string {
	t.Helper()
	if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("taro")}); err != nil {
		t.Fatal(err)
	}
	c := wire.CallerFrom(e.userCtx(t, "taro"))
	c.AccessKeyID = "AKIAEXAMPLEEXAMPLE01"
	out, err := e.GetSessionToken(wire.WithCaller(context.Background(), c), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(seconds)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Credentials.AccessKeyId
}

// The key cache never lets a session outlive its expiry: a cached key is
// expired as soon as the clock passes it, with no write in between.
func TestLookupKeyCachedSessionExpires(t *testing.T) {
	e := newTest(t)
	id := userSession(t, e, 900)
	for range 2 { // the second lookup answers from the cache
		k, err := e.LookupKey(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if k.Expired || k.SessionToken == "" || !k.STSOnly {
			t.Fatalf("key: Expired=%v token set=%v STSOnly=%v, want live, with a token, STS only", k.Expired, k.SessionToken != "", k.STSOnly)
		}
	}
	gen := e.db.DataGeneration()
	if err := e.clock.Advance(900 * time.Second); err != nil {
		t.Fatal(err)
	}
	k, err := e.LookupKey(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.db.DataGeneration(), gen; got != want {
		t.Fatalf("DataGeneration=%d, want %d (no write, the key came from the cache)", got, want)
	}
	if !k.Expired {
		t.Fatalf("Expired=false at the expiration, want true")
	}
}

func TestLookupKeyUnknownSession(t *testing.T) {
	e := newTest(t)
	if _, err := e.LookupKey(context.Background(), "ASIAEXAMPLEEXAMPLE01"); !errors.Is(err, wire.ErrInvalidKey) {
		t.Fatalf("err=%v, want ErrInvalidKey", err)
	}
}

// Temporary keys do not feed GetAccessKeyLastUsed.
func TestKeyUsedIgnoresTemporaryKeys(t *testing.T) {
	e := newTest(t)
	id := userSession(t, e, 900)
	e.KeyUsed(&wire.Caller{AccessKeyID: id, Region: "us-east-1", Service: "sts"})
	if _, ok := e.pendingUse(id); ok {
		t.Fatalf("pending use of %s recorded, want none for a temporary key", id)
	}
}

// Sessions expired more than the grace are swept; younger ones stay, so
// that their keys are still answered ExpiredToken.
func TestSweepSessions(t *testing.T) {
	e := newTest(t)
	id := userSession(t, e, 900)
	exists := func() bool {
		err := e.db.View(func(tx *store.Tx) error { _, err := tx.Session(id); return err })
		return err == nil
	}
	if err := e.clock.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := e.sweepSessions(); err != nil {
		t.Fatal(err)
	}
	if !exists() {
		t.Fatalf("session swept an hour after expiry, want it kept for %v", sessionSweepGrace)
	}
	if err := e.clock.Advance(sessionSweepGrace); err != nil {
		t.Fatal(err)
	}
	if err := e.sweepSessions(); err != nil {
		t.Fatal(err)
	}
	if exists() {
		t.Fatalf("session kept %v after expiry, want it swept", sessionSweepGrace+time.Hour)
	}
}

func TestSessionTokenShape(t *testing.T) {
	cr := newSessionCredentials(DefaultAccount)
	if got, want := len(cr.secret), 40; got != want {
		t.Fatalf("len(secret)=%d, want %d", got, want)
	}
	if got := len(cr.token); got < 400 {
		t.Fatalf("len(token)=%d, want several hundred", got)
	}
	if account, ok := accountOfKeyID(cr.keyID); !ok || account != DefaultAccount {
		t.Fatalf("account of %s=%q, want %q", cr.keyID, account, DefaultAccount)
	}
}

func TestPackedPolicySize(t *testing.T) {
	small := packedPolicySize(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, nil, nil)
	if small < 5 || small > 40 {
		t.Fatalf("small policy packs to %d%%, want near AWS's 16%%", small)
	}
	if got := packedPolicySize("", nil, nil); got != 0 {
		t.Fatalf("nothing packs to %d%%, want 0", got)
	}
}
