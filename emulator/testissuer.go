package emulator

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

// The built-in test issuer stands in for an OpenID Connect provider and a
// SAML identity provider, so that web-identity and SAML roles can be tested
// without network: it mints tokens and assertions at admin endpoints and
// AssumeRoleWithWebIdentity/AssumeRoleWithSAML verify them with its key.
// Its names are fixed, not the server's address, so that providers made
// for it keep working when the server moves to another port.
const (
	testIssuerURL      = "https://iamlocal.localhost/oidc"
	testIssuerEntityID = "https://iamlocal.localhost/saml"
	// testTokenAudience is the audience of minted tokens unless asked
	// otherwise: the one GitHub Actions and EKS use for STS.
	testTokenAudience = "sts.amazonaws.com"
	testTokenLifetime = time.Hour
	testIssuerKeyBits = 2048
)

// testIssuer holds the issuer's key once loaded or made.
type testIssuer struct {
	mu   sync.Mutex
	keys *issuerKeys
}

// issuerKeys is the issuer's RSA key and the self-signed certificate that
// SAML metadata carries; the state file keeps both.
type issuerKeys struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
	kid  string // the JWKS key id: a hash of the public key
}

type storedIssuerKeys struct {
	Key  []byte `json:"key"`  // PKCS#8
	Cert []byte `json:"cert"` // DER
}

// issuerKeys loads the issuer's key from the state file, or makes and
// records it on first use.
func (e *Emulator) issuerKeys() (*issuerKeys, error) {
	e.issuer.mu.Lock()
	defer e.issuer.mu.Unlock()
	if e.issuer.keys != nil {
		return e.issuer.keys, nil
	}
	var raw []byte
	err := e.db.View(func(tx *store.Tx) error {
		var err error
		raw, err = tx.IssuerKey()
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		raw, err = e.newIssuerKeys()
	}
	if err != nil {
		return nil, err
	}
	k, err := decodeIssuerKeys(raw)
	if err != nil {
		return nil, err
	}
	e.issuer.keys = k
	return k, nil
}

// newIssuerKeys makes a key and certificate and records them, unless
// another server process recorded some first: then those.
func (e *Emulator) newIssuerKeys() ([]byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, testIssuerKeyBits)
	if err != nil {
		return nil, err
	}
	now := e.now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.Unix()),
		Subject:      pkix.Name{CommonName: "iamlocal test issuer"},
		NotBefore:    now.Add(-24 * time.Hour),
		NotAfter:     now.AddDate(30, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	fresh, err := json.Marshal(storedIssuerKeys{Key: keyDER, Cert: certDER})
	if err != nil {
		return nil, err
	}
	var raw []byte
	err = e.db.Update(func(tx *store.Tx) error {
		have, err := tx.IssuerKey()
		if err == nil {
			raw = have
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		raw = fresh
		return tx.SetIssuerKey(fresh)
	})
	return raw, err
}

func decodeIssuerKeys(raw []byte) (*issuerKeys, error) {
	var s storedIssuerKeys
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(s.Key)
	if err != nil {
		return nil, err
	}
	key, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("test issuer: key is not RSA")
	}
	cert, err := x509.ParseCertificate(s.Cert)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(key.PublicKey.N.Bytes())
	return &issuerKeys{key: key, cert: cert, kid: base64.RawURLEncoding.EncodeToString(sum[:12])}, nil
}

// b64 is base64url without padding, JWT's encoding.
var b64 = base64.RawURLEncoding

// signJWT is the RS256 JWT of claims.
func (k *issuerKeys) signJWT(claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": k.kid})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := b64.EncodeToString(header) + "." + b64.EncodeToString(body)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + b64.EncodeToString(sig), nil
}

// jwk is the issuer's public key as a JSON Web Key.
func (k *issuerKeys) jwk() map[string]string {
	return map[string]string{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": k.kid,
		"n": b64.EncodeToString(k.key.PublicKey.N.Bytes()),
		"e": b64.EncodeToString(big.NewInt(int64(k.key.PublicKey.E)).Bytes()),
	}
}

// adminBase is the URL of the admin endpoints as the request reached them.
func adminBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/_iamlocal"
}

// oidcDiscovery answers the issuer's OpenID Connect discovery document.
// Its issuer is the fixed testIssuerURL; its jwks_uri is where this server
// serves the keys.
func (e *Emulator) oidcDiscovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                testIssuerURL,
		"jwks_uri":                              adminBase(r) + "/oidc/jwks",
		"token_endpoint":                        adminBase(r) + "/oidc/token",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"claims_supported":                      []string{"iss", "sub", "aud", "exp", "iat", "nbf", "amr"},
	})
}

func (e *Emulator) oidcJWKS(w http.ResponseWriter, _ *http.Request) {
	k, err := e.issuerKeys()
	if err != nil {
		e.adminFailure(w, "test issuer key", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{k.jwk()}})
}

// mintOIDCToken answers {"token": …}: an RS256 JWT of the JSON object in
// the body (claims), with iss, aud, sub, iat, nbf and exp filled in where
// the body leaves them out, on the emulator clock.
func (e *Emulator) mintOIDCToken(w http.ResponseWriter, r *http.Request) {
	claims := map[string]any{}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil && r.ContentLength != 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "the body must be a JSON object of claims"})
		return
	}
	now := e.clock.Now()
	defaults := map[string]any{
		"iss": testIssuerURL, "aud": testTokenAudience, "sub": "iamlocal-test-subject",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(testTokenLifetime).Unix(),
	}
	for name, v := range defaults {
		if _, ok := claims[name]; !ok {
			claims[name] = v
		}
	}
	k, err := e.issuerKeys()
	if err != nil {
		e.adminFailure(w, "test issuer key", err)
		return
	}
	token, err := k.signJWT(claims)
	if err != nil {
		e.adminFailure(w, "signing a token", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "claims": claims})
}

func (e *Emulator) adminFailure(w http.ResponseWriter, what string, err error) {
	e.log.Error(what, "error", err)
	writeJSON(w, http.StatusInternalServerError, map[string]any{"error": what + " failed"})
}
