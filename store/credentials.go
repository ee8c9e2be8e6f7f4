package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketCreds holds a user's signing certificates, SSH public keys and
// service-specific credentials, each under kind "/" user id "/" credential
// id, so that a renamed user keeps them and one prefix scan lists them.
// Signing certificates are also indexed account-wide by their DER digest
// ("certprint/" digest → id): AWS refuses the same certificate twice in an
// account.
var bucketCreds = []byte("creds")

const (
	kindCert    = "cert"
	kindSSH     = "ssh"
	kindService = "svc"
	certPrint   = "certprint/"
)

// SigningCertificate is an X.509 certificate of a user (or of the root
// user, whose UserID is the account id).
type SigningCertificate struct {
	Account  string    `json:"-"`
	ID       string    `json:"id"`
	UserID   string    `json:"user"`
	Body     string    `json:"body"`
	Print    string    `json:"print"` // hex SHA-256 of the DER form
	Active   bool      `json:"active"`
	Uploaded time.Time `json:"uploaded"`
}

// SSHPublicKey is an RSA public key of a user, for CodeCommit.
type SSHPublicKey struct {
	Account     string    `json:"-"`
	ID          string    `json:"id"`
	UserID      string    `json:"user"`
	Body        string    `json:"body"`        // as uploaded
	Blob        []byte    `json:"blob"`        // the key in SSH wire form
	Fingerprint string    `json:"fingerprint"` // as AWS shows it
	Active      bool      `json:"active"`
	Uploaded    time.Time `json:"uploaded"`
}

// ServiceCredential is a user's user name and password (or API key) for one
// service. Only a digest of its secret is kept: the secret itself is
// returned once, when made or reset.
type ServiceCredential struct {
	Account string `json:"-"`
	ID      string `json:"id"`
	UserID  string `json:"user"`
	Service string `json:"service"`
	// ServiceUserName (user-at-account) or Alias (an API key's public
	// part) is fixed when the credential is made: a renamed user keeps it.
	ServiceUserName string     `json:"svcuser,omitempty"`
	Alias           string     `json:"alias,omitempty"`
	SecretHash      []byte     `json:"secrethash"`
	Active          bool       `json:"active"`
	Created         time.Time  `json:"created"`
	Expires         *time.Time `json:"expires,omitempty"`
}

func credKey(kind, userID, id string) []byte { return []byte(kind + "/" + userID + "/" + id) }

// creds lists the records of one kind held by userID ("" for every user of
// the account), in user then id order.
func creds[T any](tx *Tx, account, kind, userID string) ([]T, error) {
	b, err := tx.account(account, bucketCreds, false)
	if err != nil || b == nil {
		return nil, err
	}
	prefix := []byte(kind + "/")
	if userID != "" {
		prefix = credKey(kind, userID, "")
	}
	var out []T
	c := b.Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("store: decode %q: %w", k, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// cred loads one record into v, or ErrNotFound.
func cred(tx *Tx, account, kind, userID, id string, v any) error {
	b, err := tx.account(account, bucketCreds, false)
	if err != nil {
		return err
	}
	return get(b, credKey(kind, userID, id), v)
}

func (tx *Tx) credBucket(account string) (*bolt.Bucket, error) {
	return tx.account(account, bucketCreds, true)
}

// putCred stores one record.
func (tx *Tx) putCred(account, kind, userID, id string, v any) error {
	b, err := tx.credBucket(account)
	if err != nil {
		return err
	}
	return tx.put(b, credKey(kind, userID, id), v)
}

// delCred removes one record.
func (tx *Tx) delCred(account, kind, userID, id string) error {
	b, err := tx.credBucket(account)
	if err != nil {
		return err
	}
	return tx.del(b, credKey(kind, userID, id))
}

// SigningCertificates lists the certificates of userID.
func (tx *Tx) SigningCertificates(account, userID string) ([]SigningCertificate, error) {
	cs, err := creds[SigningCertificate](tx, account, kindCert, userID)
	for i := range cs {
		cs[i].Account = account
	}
	return cs, err
}

// SigningCertificate loads certificate id of userID.
func (tx *Tx) SigningCertificate(account, userID, id string) (*SigningCertificate, error) {
	c := &SigningCertificate{Account: account}
	if err := cred(tx, account, kindCert, userID, id, c); err != nil {
		return nil, err
	}
	return c, nil
}

// CreateSigningCertificate stores a new certificate, or answers ErrExists
// when the account holds the same certificate already.
func (tx *Tx) CreateSigningCertificate(c *SigningCertificate) error {
	b, err := tx.credBucket(c.Account)
	if err != nil {
		return err
	}
	if b.Get([]byte(certPrint+c.Print)) != nil {
		return ErrExists
	}
	if err := tx.putRaw(b, []byte(certPrint+c.Print), []byte(c.ID)); err != nil {
		return err
	}
	return tx.PutSigningCertificate(c)
}

// PutSigningCertificate stores a changed certificate.
func (tx *Tx) PutSigningCertificate(c *SigningCertificate) error {
	return tx.putCred(c.Account, kindCert, c.UserID, c.ID, c)
}

// DeleteSigningCertificate removes a certificate and its digest index.
func (tx *Tx) DeleteSigningCertificate(c *SigningCertificate) error {
	b, err := tx.credBucket(c.Account)
	if err != nil {
		return err
	}
	if err := tx.del(b, []byte(certPrint+c.Print)); err != nil {
		return err
	}
	return tx.delCred(c.Account, kindCert, c.UserID, c.ID)
}

// SSHPublicKeys lists the SSH public keys of userID.
func (tx *Tx) SSHPublicKeys(account, userID string) ([]SSHPublicKey, error) {
	ks, err := creds[SSHPublicKey](tx, account, kindSSH, userID)
	for i := range ks {
		ks[i].Account = account
	}
	return ks, err
}

// SSHPublicKey loads key id of userID.
func (tx *Tx) SSHPublicKey(account, userID, id string) (*SSHPublicKey, error) {
	k := &SSHPublicKey{Account: account}
	if err := cred(tx, account, kindSSH, userID, id, k); err != nil {
		return nil, err
	}
	return k, nil
}

// PutSSHPublicKey stores a new or changed key.
func (tx *Tx) PutSSHPublicKey(k *SSHPublicKey) error {
	return tx.putCred(k.Account, kindSSH, k.UserID, k.ID, k)
}

// DeleteSSHPublicKey removes a key.
func (tx *Tx) DeleteSSHPublicKey(k *SSHPublicKey) error {
	return tx.delCred(k.Account, kindSSH, k.UserID, k.ID)
}

// ServiceCredentials lists the service-specific credentials of userID, or
// of every user of the account when userID is "".
func (tx *Tx) ServiceCredentials(account, userID string) ([]ServiceCredential, error) {
	cs, err := creds[ServiceCredential](tx, account, kindService, userID)
	for i := range cs {
		cs[i].Account = account
	}
	return cs, err
}

// ServiceCredential loads credential id of userID.
func (tx *Tx) ServiceCredential(account, userID, id string) (*ServiceCredential, error) {
	c := &ServiceCredential{Account: account}
	if err := cred(tx, account, kindService, userID, id, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PutServiceCredential stores a new or changed credential.
func (tx *Tx) PutServiceCredential(c *ServiceCredential) error {
	return tx.putCred(c.Account, kindService, c.UserID, c.ID, c)
}

// DeleteServiceCredential removes a credential.
func (tx *Tx) DeleteServiceCredential(c *ServiceCredential) error {
	return tx.delCred(c.Account, kindService, c.UserID, c.ID)
}
