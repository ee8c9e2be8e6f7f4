package store

import (
	"errors"
	"testing"
	"time"
)

func TestSigningCertificateDigestIsUniquePerAccount(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	cert := func(id, user string) *SigningCertificate {
		return &SigningCertificate{Account: acct, ID: id, UserID: user, Print: "abc", Active: true, Uploaded: time.Unix(1700000000, 0).UTC()}
	}
	if err := db.Update(func(tx *Tx) error { return tx.CreateSigningCertificate(cert("C1", "AIDAONE")) }); err != nil {
		t.Fatalf("CreateSigningCertificate: %v", err)
	}
	err := db.Update(func(tx *Tx) error { return tx.CreateSigningCertificate(cert("C2", "AIDATWO")) })
	if !errors.Is(err, ErrExists) {
		t.Fatalf("same certificate for another user: err=%v, want ErrExists", err)
	}
	err = db.Update(func(tx *Tx) error {
		c, err := tx.SigningCertificate(acct, "AIDAONE", "C1")
		if err != nil {
			return err
		}
		if err := tx.DeleteSigningCertificate(c); err != nil {
			return err
		}
		return tx.CreateSigningCertificate(cert("C2", "AIDATWO"))
	})
	if err != nil {
		t.Fatalf("upload after delete: %v", err)
	}
}

func TestCredentialsListPerUser(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	err := db.Update(func(tx *Tx) error {
		for _, c := range []ServiceCredential{{ID: "ACCA1", UserID: "AIDAONE"}, {ID: "ACCA2", UserID: "AIDATWO"}, {ID: "ACCA3", UserID: "AIDAONE"}} {
			c.Account = acct
			if err := tx.PutServiceCredential(&c); err != nil {
				return err
			}
		}
		return tx.PutSSHPublicKey(&SSHPublicKey{Account: acct, ID: "APKA1", UserID: "AIDAONE"})
	})
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	err = db.View(func(tx *Tx) error {
		one, err := tx.ServiceCredentials(acct, "AIDAONE")
		if err != nil {
			return err
		}
		if got, want := len(one), 2; got != want {
			t.Errorf("credentials of AIDAONE=%d, want %d", got, want)
		}
		all, err := tx.ServiceCredentials(acct, "")
		if err != nil {
			return err
		}
		if got, want := len(all), 3; got != want {
			t.Errorf("credentials of the account=%d, want %d", got, want)
		}
		keys, err := tx.SSHPublicKeys(acct, "AIDATWO")
		if got, want := len(keys), 0; got != want {
			t.Errorf("SSH keys of AIDATWO=%d, want %d", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}
