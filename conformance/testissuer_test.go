package conformance

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
)

// adminJSON calls an admin endpoint and decodes its JSON answer into out.
func (tg *target) adminJSON(t testing.TB, method, path string, body any, out any) {
	t.Helper()
	var reader *bytes.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	} else {
		reader = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, tg.URL+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d, want 200", method, path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s %s: decode: %v", method, path, err)
	}
}

// mintToken asks the built-in test issuer for a signed token of claims.
func (tg *target) mintToken(t testing.TB, claims map[string]any) string {
	t.Helper()
	var out struct{ Token string }
	tg.adminJSON(t, "POST", "/_iamlocal/oidc/token", claims, &out)
	return out.Token
}

// TestTestIssuerDiscovery: the discovery document names the issuer and its
// JWKS, and the JWKS key verifies a minted token, as any OIDC client
// would check it.
func TestTestIssuerDiscovery(t *testing.T) {
	tg := newTarget(t)
	var disco struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	tg.adminJSON(t, "GET", "/_iamlocal/oidc/.well-known/openid-configuration", nil, &disco)
	if got, want := disco.Issuer, "https://iamlocal.localhost/oidc"; got != want {
		t.Fatalf("issuer=%q, want %q", got, want)
	}
	var jwks struct {
		Keys []struct{ Kid, N, E, Alg string }
	}
	tg.adminJSON(t, "GET", strings.TrimPrefix(disco.JWKSURI, tg.URL), nil, &jwks)
	if len(jwks.Keys) != 1 || jwks.Keys[0].Alg != "RS256" {
		t.Fatalf("jwks=%+v, want one RS256 key", jwks)
	}
	token := tg.mintToken(t, map[string]any{"sub": "alice", "custom": "x"})
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	var claims map[string]any
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != disco.Issuer || claims["sub"] != "alice" || claims["aud"] != "sts.amazonaws.com" || claims["custom"] != "x" || claims["exp"] == nil {
		t.Fatalf("claims=%v, want the issuer, sub alice, aud sts.amazonaws.com, custom and exp", claims)
	}
	n, _ := base64.RawURLEncoding.DecodeString(jwks.Keys[0].N)
	e, _ := base64.RawURLEncoding.DecodeString(jwks.Keys[0].E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("the JWKS key does not verify the token: %v", err)
	}
}

// TestTestIssuerSAML: the issuer's metadata is a document
// CreateSAMLProvider takes, and it mints a base64 SAML Response carrying
// the attributes asked for.
func TestTestIssuerSAML(t *testing.T) {
	tg := newTarget(t)
	resp, err := http.Get(tg.URL + "/_iamlocal/saml/metadata")
	if err != nil {
		t.Fatal(err)
	}
	var meta bytes.Buffer
	meta.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metadata status %d, want 200", resp.StatusCode)
	}
	tg.createSAMLProvider(t, "TestIdP", meta.String())

	var out struct{ SAMLResponse string }
	tg.adminJSON(t, "POST", "/_iamlocal/saml/assertion", map[string]any{"subject": "alice",
		"attributes": map[string][]string{"Role": {"arn:aws:iam::" + account + ":role/R," + samlARNPrefix + "TestIdP"}, "RoleSessionName": {"alice"}}}, &out)
	raw, err := base64.StdEncoding.DecodeString(out.SAMLResponse)
	if err != nil {
		t.Fatalf("samlResponse is not base64: %v", err)
	}
	for _, want := range []string{"<samlp:Response", "<ds:SignatureValue>", "https://aws.amazon.com/SAML/Attributes/Role", ">alice</saml:NameID>"} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("response does not contain %q:\n%s", want, raw)
		}
	}
}
