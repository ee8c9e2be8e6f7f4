package store

import (
	"errors"
	"testing"
	"time"
)

func TestRoleLifecycle(t *testing.T) {
	db, _ := openTest(t)
	r := &Role{Account: "123456789012", Name: "Deployer", Path: "/", ID: "AROAEXAMPLEEXAMPLE01", Created: time.Unix(1, 0).UTC(), MaxSessionDuration: 3600, TrustPolicy: "{}"}
	must(t, db.Update(func(tx *Tx) error { return tx.CreateRole(r) }))
	err := db.Update(func(tx *Tx) error {
		return tx.CreateRole(&Role{Account: r.Account, Name: "deployer", ID: "AROAEXAMPLEEXAMPLE02"})
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second create in another case: %v, want ErrExists", err)
	}
	r.Description = "deploys"
	must(t, db.Update(func(tx *Tx) error { return tx.PutRole(r) }))
	must(t, db.View(func(tx *Tx) error {
		got, err := tx.RoleByID(r.Account, r.ID)
		if err != nil {
			return err
		}
		if got.Description != "deploys" || got.Name != "Deployer" {
			t.Fatalf("role = %+v", got)
		}
		if n := tx.CountRoles(r.Account); n != 1 {
			t.Fatalf("CountRoles = %d, want 1", n)
		}
		if _, err := tx.UserByID(r.Account, r.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("UserByID(role id) = %v, want ErrNotFound", err)
		}
		return nil
	}))
	must(t, db.Update(func(tx *Tx) error { return tx.DeleteRole(r) }))
	must(t, db.View(func(tx *Tx) error {
		if _, err := tx.Role(r.Account, "DEPLOYER"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Role after delete: %v", err)
		}
		if n := tx.CountRoles(r.Account); n != 0 {
			t.Fatalf("CountRoles = %d, want 0", n)
		}
		return nil
	}))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
