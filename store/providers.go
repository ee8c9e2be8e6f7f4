package store

import (
	"errors"
	"time"
)

var (
	bucketOIDCProviders = []byte("oidcproviders") // host/path of the URL → OIDCProvider
	bucketSAMLProviders = []byte("samlproviders") // fold(name) → SAMLProvider
)

// OIDCProvider is an OpenID Connect identity provider. Key is the URL
// without its scheme, what the provider's ARN ends with.
type OIDCProvider struct {
	Account     string    `json:"-"`
	Key         string    `json:"key"`
	URL         string    `json:"url"`
	ClientIDs   []string  `json:"clientIds,omitempty"`
	Thumbprints []string  `json:"thumbprints,omitempty"`
	Created     time.Time `json:"created"`
	Tags        []Tag     `json:"tags,omitempty"`
}

// OIDCProvider loads the provider whose ARN ends in key.
func (tx *Tx) OIDCProvider(account, key string) (*OIDCProvider, error) {
	b, err := tx.account(account, bucketOIDCProviders, false)
	if err != nil {
		return nil, err
	}
	p := &OIDCProvider{Account: account}
	if err := get(b, []byte(key), p); err != nil {
		return nil, err
	}
	return p, nil
}

// CreateOIDCProvider stores a new provider, or answers ErrExists.
func (tx *Tx) CreateOIDCProvider(p *OIDCProvider) error {
	b, err := tx.account(p.Account, bucketOIDCProviders, true)
	if err != nil {
		return err
	}
	if b.Get([]byte(p.Key)) != nil {
		return ErrExists
	}
	return tx.put(b, []byte(p.Key), p)
}

// PutOIDCProvider stores a changed provider.
func (tx *Tx) PutOIDCProvider(p *OIDCProvider) error {
	b, err := tx.account(p.Account, bucketOIDCProviders, true)
	if err != nil {
		return err
	}
	return tx.put(b, []byte(p.Key), p)
}

// DeleteOIDCProvider removes a provider.
func (tx *Tx) DeleteOIDCProvider(p *OIDCProvider) error {
	b, err := tx.account(p.Account, bucketOIDCProviders, false)
	if err != nil || b == nil || b.Get([]byte(p.Key)) == nil {
		return ErrNotFound
	}
	return tx.del(b, []byte(p.Key))
}

// OIDCProviders calls fn for each provider of the account in key order
// until fn returns false.
func (tx *Tx) OIDCProviders(account string, fn func(*OIDCProvider) (bool, error)) error {
	b, err := tx.account(account, bucketOIDCProviders, false)
	if err != nil {
		return err
	}
	return each(b, nil, func(_ []byte, p *OIDCProvider) (bool, error) {
		p.Account = account
		return fn(p)
	})
}

// CountOIDCProviders is how many OIDC providers the account has.
func (tx *Tx) CountOIDCProviders(account string) (int, error) {
	b, err := tx.account(account, bucketOIDCProviders, false)
	if err != nil || b == nil {
		return 0, err
	}
	return countKeys(b), nil
}

// SAMLProvider is a SAML 2.0 identity provider and its metadata document.
type SAMLProvider struct {
	Account    string    `json:"-"`
	Name       string    `json:"name"`
	UUID       string    `json:"uuid"`
	Metadata   string    `json:"metadata"`
	Created    time.Time `json:"created"`
	ValidUntil time.Time `json:"validUntil"`
	Tags       []Tag     `json:"tags,omitempty"`
	// EncryptionMode is AssertionEncryptionMode as set, "" for AWS's default.
	EncryptionMode string `json:"encryptionMode,omitempty"`
}

// SAMLProvider loads the provider named name (any case).
func (tx *Tx) SAMLProvider(account, name string) (*SAMLProvider, error) {
	b, err := tx.account(account, bucketSAMLProviders, false)
	if err != nil {
		return nil, err
	}
	p := &SAMLProvider{Account: account}
	if err := get(b, fold(name), p); err != nil {
		return nil, err
	}
	return p, nil
}

// CreateSAMLProvider stores a new provider, or answers ErrExists when the
// name is taken in any case.
func (tx *Tx) CreateSAMLProvider(p *SAMLProvider) error {
	b, err := tx.account(p.Account, bucketSAMLProviders, true)
	if err != nil {
		return err
	}
	if b.Get(fold(p.Name)) != nil {
		return ErrExists
	}
	return tx.put(b, fold(p.Name), p)
}

// PutSAMLProvider stores a changed provider.
func (tx *Tx) PutSAMLProvider(p *SAMLProvider) error {
	b, err := tx.account(p.Account, bucketSAMLProviders, true)
	if err != nil {
		return err
	}
	return tx.put(b, fold(p.Name), p)
}

// DeleteSAMLProvider removes a provider.
func (tx *Tx) DeleteSAMLProvider(p *SAMLProvider) error {
	b, err := tx.account(p.Account, bucketSAMLProviders, false)
	if err != nil || b == nil || b.Get(fold(p.Name)) == nil {
		return ErrNotFound
	}
	return tx.del(b, fold(p.Name))
}

// SAMLProviders calls fn for each provider of the account in name order
// until fn returns false.
func (tx *Tx) SAMLProviders(account string, fn func(*SAMLProvider) (bool, error)) error {
	b, err := tx.account(account, bucketSAMLProviders, false)
	if err != nil {
		return err
	}
	return each(b, nil, func(_ []byte, p *SAMLProvider) (bool, error) {
		p.Account = account
		return fn(p)
	})
}

// CountSAMLProviders is how many SAML providers the account has.
func (tx *Tx) CountSAMLProviders(account string) (int, error) {
	b, err := tx.account(account, bucketSAMLProviders, false)
	if err != nil || b == nil {
		return 0, err
	}
	return countKeys(b), nil
}

// keyIssuer, in the meta bucket, is the built-in test issuer's signing
// key. It lives beside the schema, not in an account, so a reset keeps it
// and tokens minted before a restart still verify after it.
var keyIssuer = []byte("testissuer")

// IssuerKey is the test issuer's key (PKCS#8 DER), or ErrNotFound before
// its first use.
func (tx *Tx) IssuerKey() ([]byte, error) {
	var der []byte
	err := get(tx.tx.Bucket(bucketMeta), keyIssuer, &der)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	return der, err
}

// SetIssuerKey records the test issuer's key.
func (tx *Tx) SetIssuerKey(der []byte) error {
	return tx.put(tx.tx.Bucket(bucketMeta), keyIssuer, der)
}
