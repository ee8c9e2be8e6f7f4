package store

import "time"

var bucketServerCerts = []byte("servercerts") // fold(name) → ServerCertificate

// ServerCertificate is an uploaded TLS server certificate. Its private key
// is not kept: iamlocal runs no service that would serve it, and AWS never
// returns it, so a key that is never stored can never leak from the state
// file or an export.
type ServerCertificate struct {
	Account    string    `json:"-"`
	Name       string    `json:"name"`
	Path       string    `json:"path"`
	ID         string    `json:"id"`
	Body       string    `json:"body"`
	Chain      string    `json:"chain,omitempty"`
	Uploaded   time.Time `json:"uploaded"`
	Expiration time.Time `json:"expiration"`
	Tags       []Tag     `json:"tags,omitempty"`
}

// ServerCertificate loads the certificate named name (any case).
func (tx *Tx) ServerCertificate(account, name string) (*ServerCertificate, error) {
	b, err := tx.account(account, bucketServerCerts, false)
	if err != nil {
		return nil, err
	}
	sc := &ServerCertificate{Account: account}
	if err := get(b, fold(name), sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// CreateServerCertificate stores a new certificate, or answers ErrExists
// when the name is taken in any case.
func (tx *Tx) CreateServerCertificate(sc *ServerCertificate) error {
	b, err := tx.account(sc.Account, bucketServerCerts, true)
	if err != nil {
		return err
	}
	if b.Get(fold(sc.Name)) != nil {
		return ErrExists
	}
	return tx.put(b, fold(sc.Name), sc)
}

// UpdateServerCertificate stores sc, which was loaded under the name
// oldName: a changed name moves the record (ErrExists when the new name is
// taken by another certificate).
func (tx *Tx) UpdateServerCertificate(oldName string, sc *ServerCertificate) error {
	b, err := tx.account(sc.Account, bucketServerCerts, true)
	if err != nil {
		return err
	}
	oldKey, newKey := fold(oldName), fold(sc.Name)
	if string(oldKey) != string(newKey) {
		if b.Get(newKey) != nil {
			return ErrExists
		}
		if err := tx.del(b, oldKey); err != nil {
			return err
		}
	}
	return tx.put(b, newKey, sc)
}

// DeleteServerCertificate removes a certificate.
func (tx *Tx) DeleteServerCertificate(sc *ServerCertificate) error {
	b, err := tx.account(sc.Account, bucketServerCerts, false)
	if err != nil || b == nil || b.Get(fold(sc.Name)) == nil {
		return ErrNotFound
	}
	return tx.del(b, fold(sc.Name))
}

// ServerCertificates calls fn for each certificate of the account in name
// order (case-folded), starting after the folded name after, until fn
// returns false.
func (tx *Tx) ServerCertificates(account, after string, fn func(*ServerCertificate) (bool, error)) error {
	b, err := tx.account(account, bucketServerCerts, false)
	if err != nil {
		return err
	}
	return each(b, fold(after), func(_ []byte, sc *ServerCertificate) (bool, error) {
		sc.Account = account
		return fn(sc)
	})
}

// CountServerCertificates is how many certificates the account has; the
// quota keeps them few, so counting the keys is cheap.
func (tx *Tx) CountServerCertificates(account string) (int, error) {
	b, err := tx.account(account, bucketServerCerts, false)
	if err != nil || b == nil {
		return 0, err
	}
	return countKeys(b), nil
}
