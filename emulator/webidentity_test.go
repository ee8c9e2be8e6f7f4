package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/store"
)

// mintToken signs claims over the issuer defaults, as POST
// /_iamlocal/oidc/token does.
func (e *Emulator) mintToken(t testing.TB, claims map[string]any) string {
	t.Helper()
	k, err := e.issuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	full := map[string]any{"iss": testIssuerURL, "aud": testTokenAudience, "sub": "repo:org/app:ref:refs/heads/main",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	for name, v := range claims {
		if v == nil {
			delete(full, name)
		} else {
			full[name] = v
		}
	}
	token, err := k.signJWT(full)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func (e *Emulator) verifyToken(t testing.TB, token string) (*webIdentity, error) {
	t.Helper()
	k, err := e.issuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	var id *webIdentity
	err = e.db.View(func(tx *store.Tx) error {
		var err error
		id, err = verifyWebIdentityToken(tx, DefaultAccount, k, token, e.clock.Now())
		return err
	})
	return id, err
}

func (e *Emulator) addOIDCProvider(t testing.TB, url string, clientIDs ...string) {
	t.Helper()
	if _, err := e.CreateOpenIDConnectProvider(e.rootCtx(), &iam.CreateOpenIDConnectProviderInput{Url: aws.String(url), ClientIDList: clientIDs}); err != nil {
		t.Fatal(err)
	}
}

func contextValue(keys []requestKey, name string) string {
	for _, k := range keys {
		if k.name == name {
			return strings.Join(k.values, ",")
		}
	}
	return "<absent>"
}

func TestVerifyWebIdentityToken(t *testing.T) {
	e := newTest(t)
	e.addOIDCProvider(t, testIssuerURL, testTokenAudience)
	e.addOIDCProvider(t, "https://token.actions.githubusercontent.com", "sts.amazonaws.com")

	id, err := e.verifyToken(t, e.mintToken(t, map[string]any{"amr": []any{"authenticated"}}))
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if got, want := id.Subject, "repo:org/app:ref:refs/heads/main"; got != want {
		t.Fatalf("Subject=%q, want %q", got, want)
	}
	for name, want := range map[string]string{
		"iamlocal.localhost/oidc:sub": "repo:org/app:ref:refs/heads/main",
		"iamlocal.localhost/oidc:aud": "sts.amazonaws.com",
		"iamlocal.localhost/oidc:amr": "authenticated",
	} {
		if got := contextValue(id.ContextKeys, name); got != want {
			t.Errorf("%s=%q, want %q", name, got, want)
		}
	}

	// A GitHub-style token signed by the test issuer verifies against the
	// GitHub provider, with its claims under that provider's name.
	id, err = e.verifyToken(t, e.mintToken(t, map[string]any{"iss": "https://token.actions.githubusercontent.com", "repository": "org/app"}))
	if err != nil {
		t.Fatalf("verify GitHub-style: %v", err)
	}
	if got, want := contextValue(id.ContextKeys, "token.actions.githubusercontent.com:repository"), "org/app"; got != want {
		t.Fatalf("repository=%q, want %q", got, want)
	}

	t.Run("NoProvider", func(t *testing.T) {
		_, err := e.verifyToken(t, e.mintToken(t, map[string]any{"iss": "https://unknown.example.com"}))
		wantErr(t, err, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://unknown.example.com")
	})
	t.Run("IncorrectAudience", func(t *testing.T) {
		_, err := e.verifyToken(t, e.mintToken(t, map[string]any{"aud": []any{"other", "another"}}))
		wantErr(t, err, "InvalidIdentityToken", "Incorrect token audience")
	})
	t.Run("MissingAudience", func(t *testing.T) {
		_, err := e.verifyToken(t, e.mintToken(t, map[string]any{"aud": nil}))
		wantErr(t, err, "InvalidIdentityToken", "Missing a required claim: aud")
	})
	t.Run("TamperedSignature", func(t *testing.T) {
		token := e.mintToken(t, nil)
		forged := e.mintToken(t, map[string]any{"sub": "someone-else"})
		parts, forgedParts := strings.Split(token, "."), strings.Split(forged, ".")
		_, err := e.verifyToken(t, parts[0]+"."+forgedParts[1]+"."+parts[2])
		wantErr(t, err, "InvalidIdentityToken", "The web identity token provided could not be validated")
	})
	t.Run("ForeignKey", func(t *testing.T) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		k, _ := e.issuerKeys()
		foreign := &issuerKeys{key: key, cert: k.cert, kid: "foreign"}
		token, err := foreign.signJWT(map[string]any{"iss": testIssuerURL, "aud": testTokenAudience, "exp": e.clock.Now().Add(time.Hour).Unix()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.verifyToken(t, token)
		wantErr(t, err, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
	})
	t.Run("NotAToken", func(t *testing.T) {
		_, err := e.verifyToken(t, "not-a-jwt")
		wantErr(t, err, "InvalidIdentityToken", "The web identity token provided could not be validated")
	})
	t.Run("NotYetValid", func(t *testing.T) {
		_, err := e.verifyToken(t, e.mintToken(t, map[string]any{"nbf": e.clock.Now().Add(time.Minute).Unix()}))
		wantErr(t, err, "InvalidIdentityToken", "The web identity token provided could not be validated")
	})
	t.Run("ExpiredTokenException", func(t *testing.T) {
		token := e.mintToken(t, nil)
		if err := e.AdvanceClock(2 * time.Hour); err != nil {
			t.Fatal(err)
		}
		_, err := e.verifyToken(t, token)
		_, claims, _, _, _ := parseJWT(token)
		exp, _ := numericClaim(claims["exp"])
		wantErr(t, err, "ExpiredTokenException", fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d", e.clock.Now().Unix(), exp))
	})
}

// TestIssuerKeySurvivesRestart: a token minted before a restart verifies
// after it, because the key is in the state file.
func TestIssuerKeySurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	open := func() *Emulator {
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return New(db, Options{})
	}
	e := open()
	e.addOIDCProvider(t, testIssuerURL, testTokenAudience)
	token := e.mintToken(t, nil)
	e.Close()
	e.db.Close()

	e = open()
	t.Cleanup(func() { e.Close(); e.db.Close() })
	if _, err := e.verifyToken(t, token); err != nil {
		t.Fatalf("verify after restart: %v", err)
	}
}
