package emulator

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/iamlocal/iamlocal/store"
)

// webIdentity is what a verified web identity token says.
type webIdentity struct {
	Provider    *store.OIDCProvider
	Subject     string       // sub
	Audience    string       // the client id it was issued for: azp, else the matching aud
	ContextKeys []requestKey // <provider>:sub, :aud, :oaud, :amr and the token's other claims
}

// verifyWebIdentityToken checks a JWT as STS does for
// AssumeRoleWithWebIdentity: its issuer must be a registered OIDC provider
// of account, its signature must verify, one of its audiences must be one of
// the provider's client ids, and it must be valid at now. Without network
// the only key iamlocal can know is its test issuer's (k, which the caller
// gets with issuerKeys before its transaction): tokens that key signed
// verify whatever their iss, so a CI can mint a token for
// https://token.actions.githubusercontent.com and test a GitHub-style trust
// policy; tokens anyone else signed are refused.
func verifyWebIdentityToken(tx *store.Tx, account string, k *issuerKeys, token string, now time.Time) (*webIdentity, error) {
	header, claims, signed, sig, err := parseJWT(token)
	if err != nil {
		return nil, err
	}
	iss, ok := claims["iss"].(string)
	if !ok || iss == "" {
		return nil, missingTokenClaim("iss")
	}
	p, err := tx.OIDCProvider(account, strings.TrimPrefix(iss, "https://"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, noOIDCProviderFor(iss)
	} else if err != nil {
		return nil, err
	}
	if err := k.verifyRS256(header, signed, sig); err != nil {
		return nil, err
	}
	auds := stringsClaim(claims["aud"])
	if len(auds) == 0 {
		return nil, missingTokenClaim("aud")
	}
	audience := ""
	for _, a := range auds {
		if slices.Contains(p.ClientIDs, a) {
			audience = a
			break
		}
	}
	if audience == "" {
		return nil, incorrectTokenAudience()
	}
	if err := checkTokenTimes(claims, now); err != nil {
		return nil, err
	}
	sub, _ := claims["sub"].(string)
	if azp, ok := claims["azp"].(string); ok && azp != "" {
		audience = azp
	}
	return &webIdentity{Provider: p, Subject: sub, Audience: audience, ContextKeys: tokenContextKeys(p.Key, claims, audience, auds)}, nil
}

type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// parseJWT splits a compact JWS into its header, claims, signed part and
// signature.
func parseJWT(token string) (h jwtHeader, claims map[string]any, signed string, sig []byte, err error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return h, nil, "", nil, identityTokenInvalid()
	}
	rawHeader, err1 := b64.DecodeString(parts[0])
	rawClaims, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(rawHeader, &h) != nil {
		return h, nil, "", nil, identityTokenInvalid()
	}
	dec := json.NewDecoder(bytes.NewReader(rawClaims))
	dec.UseNumber()
	if err := dec.Decode(&claims); err != nil || claims == nil {
		return h, nil, "", nil, identityTokenInvalid()
	}
	return h, claims, parts[0] + "." + parts[1], sig, nil
}

// verifyRS256 checks the signature with the test issuer's key: a token
// that names another key, or another algorithm, is one whose key iamlocal
// cannot retrieve.
func (k *issuerKeys) verifyRS256(h jwtHeader, signed string, sig []byte) error {
	if h.Alg != "RS256" || (h.Kid != "" && h.Kid != k.kid) {
		return verificationKeyUnavailable()
	}
	sum := sha256.Sum256([]byte(signed))
	if rsa.VerifyPKCS1v15(&k.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return identityTokenInvalid()
	}
	return nil
}

// checkTokenTimes holds exp (required) and nbf against the emulator clock.
func checkTokenTimes(claims map[string]any, now time.Time) error {
	exp, ok := numericClaim(claims["exp"])
	if !ok {
		return missingTokenClaim("exp")
	}
	if now.Unix() >= exp {
		return identityTokenExpired(now.Unix(), exp)
	}
	if nbf, ok := numericClaim(claims["nbf"]); ok && now.Unix() < nbf {
		return identityTokenInvalid()
	}
	return nil
}

func numericClaim(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := n.Int64(); err == nil {
		return i, true
	}
	f, err := n.Float64()
	return int64(f), err == nil
}

// stringsClaim is a claim that may be one string or a list of them.
func stringsClaim(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// tokenContextKeys are the condition keys a token gives a trust policy,
// each named after the provider (its URL without https://): :aud is the
// client id the token was issued for (azp when present), :oaud the token's
// audiences, :sub, :amr and every other top-level claim that is a string,
// number, boolean or list of strings (so GitHub's :repository, :ref, :actor
// and the like are there).
func tokenContextKeys(provider string, claims map[string]any, audience string, auds []string) []requestKey {
	keys := []requestKey{{provider + ":aud", []string{audience}}, {provider + ":oaud", auds}}
	names := make([]string, 0, len(claims))
	for name := range claims {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "aud" || name == "iss" || name == "exp" || name == "iat" || name == "nbf" {
			continue
		}
		var values []string
		switch v := claims[name].(type) {
		case string:
			values = []string{v}
		case json.Number, bool:
			values = []string{fmt.Sprint(v)}
		case []any:
			values = stringsClaim(v)
		}
		if values != nil {
			keys = append(keys, requestKey{provider + ":" + name, values})
		}
	}
	return keys
}
