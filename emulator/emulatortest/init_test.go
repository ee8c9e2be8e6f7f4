package emulatortest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
	"github.com/iamlocal/iamlocal/emulator/initstate"
)

func ciState() *initstate.State {
	return &initstate.State{Accounts: []initstate.Account{{
		ID:    "123456789012",
		Users: []initstate.User{{Name: "ci", AccessKeys: []initstate.AccessKey{{ID: "FOOBARKEY", Secret: "FOOBARSECRET"}}}},
	}}}
}

// TestWithInit: the server starts from the init state, and Reset returns
// to it.
func TestWithInit(t *testing.T) {
	srv := emulatortest.Start(t, emulatortest.WithInit(ciState()))
	ctx := context.Background()
	ci := emulatortest.Config(srv.URL, "FOOBARKEY", "FOOBARSECRET", "")
	id, err := sts.NewFromConfig(ci).GetCallerIdentity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(id.Arn), "arn:aws:iam::123456789012:user/ci"; got != want {
		t.Fatalf("caller=%s, want %s", got, want)
	}
	root := iam.NewFromConfig(srv.Config)
	if _, err := root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ci")}); err == nil {
		t.Fatal("DeleteUser of a user with keys succeeded")
	}
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("later")}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	users, err := root.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(users.Users), 1; got != want {
		t.Fatalf("users after Reset=%d, want %d (the init state's)", got, want)
	}
}

// TestWithInitRefused: Open returns the refusal of a bad init state.
func TestWithInitRefused(t *testing.T) {
	s := ciState()
	s.Accounts[0].Users[0].Groups = []string{"nope"}
	srv, err := emulatortest.Open("", emulatortest.WithInit(s))
	if err == nil {
		srv.Close()
		t.Fatal("Open succeeded")
	}
	if got, want := err.Error(), "accounts[0].users[0].groups[0]: NoSuchEntity: The group with name nope cannot be found."; got != want {
		t.Fatalf("err=%q, want %q", got, want)
	}
}
