package store

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWritesGoThroughHelpers reads the package's source: only the write
// helpers of tx.go may call bbolt's writing methods, so that every write
// marks its function as having written.
func TestWritesGoThroughHelpers(t *testing.T) {
	writes := []string{"Put", "Delete", "CreateBucket", "CreateBucketIfNotExists", "DeleteBucket", "MoveBucket", "SetSequence", "NextSequence"}
	helpers := []string{"putRaw", "del", "createBucket", "deleteBucket"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || slices.Contains(helpers, fn.Name.Name) {
				continue
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && slices.Contains(writes, sel.Sel.Name) {
					t.Errorf("%s: %s calls %s directly; write through tx.putRaw, tx.del, tx.createBucket or tx.deleteBucket", fset.Position(call.Pos()), fn.Name.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// TestFailedUpdateCreatesNoBucket: a function that only creates buckets
// and then fails has written, so nothing of it is committed.
func TestFailedUpdateCreatesNoBucket(t *testing.T) {
	db, _ := openTest(t)
	refused := errors.New("refused")
	err := db.Update(func(tx *Tx) error {
		if _, err := tx.account("210987654321", bucketUsers, true); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Update err=%v, want refused", err)
	}
	db.View(func(tx *Tx) error {
		if b := tx.tx.Bucket(bucketAccounts).Bucket([]byte("210987654321")); b != nil {
			t.Errorf("the failed function's account bucket was committed")
		}
		return nil
	})
}

// TestVerifyRerunCatchesCapturedState: a function that changes what it
// captured runs differently the second time, as group commit may run it;
// the mode refuses it, and commits nothing of it.
func TestVerifyRerunCatchesCapturedState(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func() func(*Tx) error
	}{
		{"appends to a captured record", func() func(*Tx) error {
			u := testUser("taro")
			return func(tx *Tx) error {
				u.Tags = append(u.Tags, Tag{Key: "team", Value: "a"})
				return tx.CreateUser(u)
			}
		}},
		{"remembers its first run", func() func(*Tx) error {
			created := false
			return func(tx *Tx) error {
				if created {
					return ErrExists
				}
				created = true
				return tx.CreateUser(testUser("taro"))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain, _ := openWith(t, Options{})
			if err := plain.Update(tc.fn()); err != nil {
				t.Fatalf("without the mode: err=%v, want the function to pass", err)
			}
			db, _ := openTest(t)
			if err := db.Update(tc.fn()); !errors.Is(err, ErrNotRerunnable) {
				t.Fatalf("err=%v, want ErrNotRerunnable", err)
			}
			db.View(func(tx *Tx) error {
				if _, err := tx.User(testAccount, "taro"); !errors.Is(err, ErrNotFound) {
					t.Errorf("User: err=%v, want ErrNotFound: the refused function committed", err)
				}
				return nil
			})
		})
	}
}

// TestVerifyRerunRunsTwice: a function that appends to a captured slice
// writes the same both times, but the caller sees the slice doubled, as a
// handler's output would be.
func TestVerifyRerunRunsTwice(t *testing.T) {
	db, _ := openTest(t)
	var created []string
	err := db.Update(func(tx *Tx) error {
		created = append(created, "taro")
		return tx.CreateUser(testUser("taro"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(created), 2; got != want {
		t.Fatalf("the function ran %d times, want %d", got, want)
	}
}
