package store

import (
	"errors"
	"testing"
	"time"
)

func testServerCert(name string) *ServerCertificate {
	return &ServerCertificate{Account: testAccount, Name: name, Path: "/", ID: "ASCA" + name, Body: "body", Uploaded: time.Unix(1700000000, 0).UTC()}
}

func TestServerCertificateRenameMovesRecord(t *testing.T) {
	db, _ := openTest(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.CreateServerCertificate(testServerCert("web")); err != nil {
			return err
		}
		if err := tx.CreateServerCertificate(testServerCert("Other")); err != nil {
			return err
		}
		sc, err := tx.ServerCertificate(testAccount, "WEB")
		if err != nil {
			return err
		}
		sc.Name = "OTHER"
		if err := tx.UpdateServerCertificate("web", sc); !errors.Is(err, ErrExists) {
			t.Errorf("rename onto a taken name: err=%v, want ErrExists", err)
		}
		sc.Name = "site"
		return tx.UpdateServerCertificate("web", sc)
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	err = db.View(func(tx *Tx) error {
		if _, err := tx.ServerCertificate(testAccount, "web"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old name: err=%v, want ErrNotFound", err)
		}
		sc, err := tx.ServerCertificate(testAccount, "SITE")
		if err != nil {
			return err
		}
		if got, want := sc.ID, "ASCAweb"; got != want {
			t.Errorf("ID=%q, want %q", got, want)
		}
		n, err := tx.CountServerCertificates(testAccount)
		if got, want := n, 2; got != want {
			t.Errorf("count=%d, want %d", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatalf("View: %v", err)
	}
}

func TestServerCertificateCreateTwiceAnyCase(t *testing.T) {
	db, _ := openTest(t)
	err := db.Update(func(tx *Tx) error {
		if err := tx.CreateServerCertificate(testServerCert("web")); err != nil {
			return err
		}
		return tx.CreateServerCertificate(testServerCert("WEB"))
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("err=%v, want ErrExists", err)
	}
}
