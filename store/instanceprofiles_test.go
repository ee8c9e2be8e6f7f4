package store

import (
	"errors"
	"testing"
	"time"
)

func TestInstanceProfileLifecycle(t *testing.T) {
	db, _ := openTest(t)
	const account = "123456789012"
	p := &InstanceProfile{Account: account, Name: "Web", Path: "/", ID: "AIPAEXAMPLEEXAMPLE01", Created: time.Unix(1, 0).UTC()}
	must(t, db.Update(func(tx *Tx) error { return tx.CreateInstanceProfile(p) }))
	if err := db.Update(func(tx *Tx) error {
		return tx.CreateInstanceProfile(&InstanceProfile{Account: account, Name: "WEB", ID: "AIPAEXAMPLEEXAMPLE02"})
	}); !errors.Is(err, ErrExists) {
		t.Fatalf("second create in another case: %v, want ErrExists", err)
	}
	p.RoleIDs = []string{"AROAEXAMPLEEXAMPLE01"}
	must(t, db.Update(func(tx *Tx) error { return tx.PutInstanceProfile(p) }))
	must(t, db.View(func(tx *Tx) error {
		got, err := tx.InstanceProfilesOfRole(account, "AROAEXAMPLEEXAMPLE01")
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].Name != "Web" {
			t.Fatalf("InstanceProfilesOfRole = %+v, want [Web]", got)
		}
		if n := tx.CountInstanceProfiles(account); n != 1 {
			t.Fatalf("CountInstanceProfiles = %d, want 1", n)
		}
		return nil
	}))
	must(t, db.Update(func(tx *Tx) error { return tx.DeleteInstanceProfile(p) }))
	must(t, db.View(func(tx *Tx) error {
		if _, err := tx.InstanceProfile(account, "web"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("InstanceProfile after delete: %v, want ErrNotFound", err)
		}
		if n := tx.CountInstanceProfiles(account); n != 0 {
			t.Fatalf("CountInstanceProfiles = %d, want 0", n)
		}
		return nil
	}))
}
