package store

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func testGroup(name, id string) *Group {
	return &Group{Account: "123456789012", Name: name, Path: "/", ID: id, Created: time.Unix(1700000000, 0).UTC()}
}

// TestGroupIndexesWrittenWithRecord: the id index and both membership
// indexes are written in the transaction that writes the record, and a
// failed transaction leaves none of them.
func TestGroupIndexesWrittenWithRecord(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	refused := errors.New("refused")
	err := db.Update(func(tx *Tx) error {
		if err := tx.CreateGroup(testGroup("ghost", "AGPAGHOST")); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update err=%v, want refused", err)
	}
	err = db.Update(func(tx *Tx) error {
		if err := tx.CreateUser(testUser("taro")); err != nil {
			return err
		}
		if err := tx.CreateGroup(testGroup("Devs", "AGPADEVS")); err != nil {
			return err
		}
		return tx.AddGroupMember(acct, "AGPADEVS", "AIDATARO")
	})
	if err != nil {
		t.Fatalf("create and add: %v", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.GroupByID(acct, "AGPAGHOST"); !errors.Is(err, ErrNotFound) {
			t.Errorf("GroupByID of the failed group: err=%v, want ErrNotFound", err)
		}
		g, err := tx.GroupByID(acct, "AGPADEVS")
		if err != nil || g.Name != "Devs" {
			t.Errorf("GroupByID=%v,%v, want Devs", g, err)
		}
		if _, err := tx.UserByID(acct, "AGPADEVS"); !errors.Is(err, ErrNotFound) {
			t.Errorf("UserByID of a group id: err=%v, want ErrNotFound", err)
		}
		if got, want := tx.CountGroups(acct), 1; got != want {
			t.Errorf("CountGroups=%d, want %d", got, want)
		}
		members, _ := tx.GroupMemberIDs(acct, "AGPADEVS")
		if want := []string{"AIDATARO"}; !slices.Equal(members, want) {
			t.Errorf("GroupMemberIDs=%v, want %v", members, want)
		}
		groups, _ := tx.UserGroupIDs(acct, "AIDATARO")
		if want := []string{"AGPADEVS"}; !slices.Equal(groups, want) {
			t.Errorf("UserGroupIDs=%v, want %v", groups, want)
		}
		return nil
	})
}

// TestGroupRenameKeepsMembership: membership is keyed by ids, so renaming
// the group or the user leaves it whole.
func TestGroupRenameKeepsMembership(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	err := db.Update(func(tx *Tx) error {
		tx.CreateUser(testUser("taro"))
		tx.CreateGroup(testGroup("devs", "AGPADEVS"))
		tx.CreateGroup(testGroup("ops", "AGPAOPS"))
		return tx.AddGroupMember(acct, "AGPADEVS", "AIDATARO")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *Tx) error {
		g, _ := tx.Group(acct, "devs")
		g.Name = "OPS"
		return tx.UpdateGroup("devs", g)
	})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("rename onto ops: err=%v, want ErrExists", err)
	}
	err = db.Update(func(tx *Tx) error {
		g, _ := tx.Group(acct, "devs")
		g.Name, g.Path = "builders", "/eng/"
		if err := tx.UpdateGroup("devs", g); err != nil {
			return err
		}
		u, _ := tx.User(acct, "taro")
		u.Name = "jiro"
		return tx.UpdateUser("taro", u)
	})
	if err != nil {
		t.Fatalf("rename: %v", err)
	}
	db.View(func(tx *Tx) error {
		if _, err := tx.Group(acct, "devs"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old name: err=%v, want ErrNotFound", err)
		}
		g, err := tx.GroupByID(acct, "AGPADEVS")
		if err != nil || g.Name != "builders" || g.Path != "/eng/" {
			t.Errorf("GroupByID=%+v,%v, want builders under /eng/", g, err)
		}
		members, _ := tx.GroupMemberIDs(acct, "AGPADEVS")
		if want := []string{"AIDATARO"}; !slices.Equal(members, want) {
			t.Errorf("GroupMemberIDs after renames=%v, want %v", members, want)
		}
		if got, want := tx.CountGroups(acct), 2; got != want {
			t.Errorf("CountGroups=%d, want %d", got, want)
		}
		return nil
	})
}

func TestGroupMembershipRemoveAndDelete(t *testing.T) {
	db, _ := openTest(t)
	const acct = "123456789012"
	db.Update(func(tx *Tx) error {
		tx.CreateGroup(testGroup("devs", "AGPADEVS"))
		tx.AddGroupMember(acct, "AGPADEVS", "AIDATARO")
		return tx.AddGroupMember(acct, "AGPADEVS", "AIDATARO") // twice is once
	})
	err := db.Update(func(tx *Tx) error {
		if err := tx.RemoveGroupMember(acct, "AGPADEVS", "AIDATARO"); err != nil {
			return err
		}
		if err := tx.RemoveGroupMember(acct, "AGPADEVS", "AIDAOTHER"); err != nil {
			return err
		}
		g, _ := tx.Group(acct, "devs")
		return tx.DeleteGroup(g)
	})
	if err != nil {
		t.Fatalf("remove and delete: %v", err)
	}
	db.View(func(tx *Tx) error {
		members, _ := tx.GroupMemberIDs(acct, "AGPADEVS")
		groups, _ := tx.UserGroupIDs(acct, "AIDATARO")
		if len(members) != 0 || len(groups) != 0 {
			t.Errorf("after remove: members=%v groups=%v, want none", members, groups)
		}
		if _, err := tx.GroupByID(acct, "AGPADEVS"); !errors.Is(err, ErrNotFound) {
			t.Errorf("GroupByID after delete: err=%v, want ErrNotFound", err)
		}
		if got := tx.CountGroups(acct); got != 0 {
			t.Errorf("CountGroups=%d, want 0", got)
		}
		return nil
	})
}
