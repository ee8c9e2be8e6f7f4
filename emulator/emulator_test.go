package emulator

import (
	"context"
	"encoding/base64"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/iamlocal/iamlocal/store"
	"github.com/iamlocal/iamlocal/wire"
	"golang.org/x/crypto/bcrypt"
)

func newTest(t testing.TB) *Emulator { return newTestWith(t, Options{}) }

// newTestWith is an emulator over a store in a temporary directory that
// runs every write twice (store.Options.VerifyRerun).
func newTestWith(t testing.TB, o Options) *Emulator {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{VerifyRerun: true})
	if err != nil {
		t.Fatal(err)
	}
	o.PasswordCost = bcrypt.MinCost
	e := New(db, o)
	t.Cleanup(func() { e.Close(); db.Close() })
	return e
}

func (e *Emulator) rootCtx() context.Context {
	return wire.WithCaller(context.Background(), e.rootCaller())
}

// userCtx is a context whose caller is the IAM user name, as its own key
// would make it.
func (e *Emulator) userCtx(t testing.TB, name string) context.Context {
	t.Helper()
	out, err := e.GetUser(e.rootCtx(), &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return wire.WithCaller(context.Background(), wire.Caller{Account: DefaultAccount, ARN: *out.User.Arn, UserID: *out.User.UserId})
}

func wantErr(t testing.TB, err error, code, message string) {
	t.Helper()
	var e *wire.Error
	if !errors.As(err, &e) {
		t.Fatalf("err=%v, want %s %q", err, code, message)
	}
	if e.Code != code || e.Message != message {
		t.Fatalf("err=%s %q, want %s %q", e.Code, e.Message, code, message)
	}
}

func TestCreateUserDefaultsAndDates(t *testing.T) {
	e := newTest(t)
	before := e.clock.Now().Truncate(time.Second)
	out, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("Taro")})
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	if got, want := *u.Path, "/"; got != want {
		t.Errorf("Path=%q, want %q", got, want)
	}
	if u.CreateDate.Before(before) || u.CreateDate.Nanosecond() != 0 {
		t.Errorf("CreateDate=%v, want whole seconds not before %v", u.CreateDate, before)
	}
	if u.Tags != nil {
		t.Errorf("Tags=%v, want none", u.Tags)
	}
	_, err = e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("TARO")})
	wantErr(t, err, "EntityAlreadyExists", "User with name TARO already exists.")
}

func TestUsersQuota(t *testing.T) {
	e := newTest(t)
	e.opts.MaxUsers = 2
	for _, n := range []string{"a", "b"} {
		if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("c")})
	wantErr(t, err, "LimitExceeded", "Cannot exceed quota for UsersPerAccount: 2")
	if _, err := e.DeleteUser(e.rootCtx(), &iam.DeleteUserInput{UserName: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("c")}); err != nil {
		t.Fatalf("CreateUser after a delete: %v", err)
	}
}

func TestClockMovesDates(t *testing.T) {
	e := newTest(t)
	e.clock.Advance(48 * time.Hour)
	out, err := e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("later")})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.User.CreateDate.Sub(time.Now()); d < 47*time.Hour {
		t.Fatalf("CreateDate is %v ahead of real time, want about 48h", d)
	}
}

func TestKeysFollowRename(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	k, err := e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.LookupKey(ctx, *k.AccessKey.AccessKeyId); err != nil { // now cached
		t.Fatal(err)
	}
	if _, err := e.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("taro"), NewUserName: aws.String("jiro"), NewPath: aws.String("/dev/")}); err != nil {
		t.Fatal(err)
	}
	key, err := e.LookupKey(ctx, *k.AccessKey.AccessKeyId)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := key.Caller.ARN, "arn:aws:iam::123456789012:user/dev/jiro"; got != want {
		t.Errorf("caller ARN=%q, want %q", got, want)
	}
	list, err := e.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("jiro")})
	if err != nil || len(list.AccessKeyMetadata) != 1 || *list.AccessKeyMetadata[0].UserName != "jiro" {
		t.Fatalf("ListAccessKeys jiro=%+v,%v, want the key under the new name", list, err)
	}
}

func TestInactiveKeyIsRefused(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	k, _ := e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
	id := k.AccessKey.AccessKeyId
	if key, err := e.LookupKey(ctx, *id); err != nil || key.Caller.ARN != "arn:aws:iam::123456789012:user/taro" { // now cached
		t.Fatalf("LookupKey active: %+v, %v", key.Caller, err)
	}
	if _, err := e.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("taro"), AccessKeyId: id, Status: types.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.LookupKey(ctx, *id); !errors.Is(err, wire.ErrInvalidKey) {
		t.Fatalf("LookupKey inactive: err=%v, want ErrInvalidKey", err)
	}
}

func TestUserActsOnItselfWithoutUserName(t *testing.T) {
	e := newTest(t)
	e.CreateUser(e.rootCtx(), &iam.CreateUserInput{UserName: aws.String("taro")})
	ctx := e.userCtx(t, "taro")
	k, err := e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(k.AccessKey.UserName), "taro"; got != want {
		t.Fatalf("UserName=%q, want %q", got, want)
	}
	got, err := e.GetUser(ctx, &iam.GetUserInput{})
	if err != nil || *got.User.UserName != "taro" {
		t.Fatalf("GetUser self=%v,%v, want taro", got, err)
	}
	roleSession := wire.WithCaller(context.Background(), wire.Caller{Account: DefaultAccount, ARN: "arn:aws:sts::123456789012:assumed-role/r/s", UserID: "AROAEXAMPLE:s"})
	_, err = e.GetUser(roleSession, &iam.GetUserInput{})
	wantErr(t, err, "ValidationError", "Must specify userName when calling with non-User credentials")
}

func TestTagsMergeAndQuota(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro"), Tags: []types.Tag{{Key: aws.String("Team"), Value: aws.String("a")}}})
	if _, err := e.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("taro"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("b")}}}); err != nil {
		t.Fatal(err)
	}
	tags, _ := e.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("taro")})
	if len(tags.Tags) != 1 || *tags.Tags[0].Value != "b" {
		t.Fatalf("tags=%+v, want one tag overwritten to b", tags.Tags)
	}
	var many []types.Tag
	for i := range 50 {
		many = append(many, types.Tag{Key: aws.String(string(rune('A'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")})
	}
	_, err := e.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("taro"), Tags: many})
	wantErr(t, err, "LimitExceeded", "Cannot exceed quota for TagsPerUser: 50")
	_, err = e.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("taro"), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("1")}, {Key: aws.String("X"), Value: aws.String("2")}}})
	wantErr(t, err, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

func TestKeyUsageIsFlushed(t *testing.T) {
	e := newTest(t)
	ctx := e.rootCtx()
	e.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("taro")})
	k, _ := e.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("taro")})
	id := *k.AccessKey.AccessKeyId
	e.KeyUsed(&wire.Caller{AccessKeyID: id, Region: "ap-northeast-1", Service: "sts"})
	if err := e.flushUsage(); err != nil {
		t.Fatal(err)
	}
	if _, pending := e.pendingUse(id); pending {
		t.Fatal("usage still pending after flush")
	}
	out, err := e.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: &id})
	if err != nil {
		t.Fatal(err)
	}
	last := out.AccessKeyLastUsed
	if last.LastUsedDate == nil || *last.Region != "ap-northeast-1" || *last.ServiceName != "sts" {
		t.Fatalf("AccessKeyLastUsed=%+v, want a date, ap-northeast-1, sts", last)
	}
}

func TestPageOf(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	page, next, err := pageOf("ListThings", items, nil, aws.Int32(2))
	if err != nil || len(page) != 2 || next == nil {
		t.Fatalf("first page=%v,%v,%v", page, next, err)
	}
	page, next, _ = pageOf("ListThings", items, next, aws.Int32(2))
	if len(page) != 2 || page[0] != 3 || page[1] != 4 || next == nil {
		t.Fatalf("middle page=%v next=%v, want [3 4] and a marker", page, next)
	}
	_, _, err = pageOf("ListOtherThings", items, next, aws.Int32(2))
	wantErr(t, err, "ValidationError", "Invalid Marker.")
	page, next, _ = pageOf("ListThings", items, next, aws.Int32(2))
	if len(page) != 1 || page[0] != 5 || next != nil {
		t.Fatalf("last page=%v next=%v, want [5] and no marker", page, next)
	}
	_, _, err = pageOf("ListThings", items, aws.String("!!"), nil)
	wantErr(t, err, "ValidationError", "Invalid Marker.")
}

// TestMarkersNotIssued: a marker the server did not issue (base64 of a
// plausible position, a truncated one, one with a changed position) is
// refused rather than starting a page anywhere.
func TestMarkersNotIssued(t *testing.T) {
	issued := *encodeMarker("ListUsers", "taro")
	raw, _ := base64.RawURLEncoding.DecodeString(issued)
	changed := append([]byte("jiro"), raw[4:]...)
	for name, m := range map[string]string{
		"plain position":   base64.RawURLEncoding.EncodeToString([]byte("taro")),
		"truncated":        issued[:len(issued)-2],
		"changed position": base64.RawURLEncoding.EncodeToString(changed),
		"empty":            "",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeMarker("ListUsers", &m)
			wantErr(t, err, "ValidationError", "Invalid Marker.")
		})
	}
	if pos, err := decodeMarker("ListUsers", &issued); err != nil || pos != "taro" {
		t.Fatalf("issued marker decodes to %q, %v; want taro", pos, err)
	}
}

// TestEveryRouteBinds: every registered handler's SDK types fit the model
// (the router joins them lazily, on each action's first call).
func TestEveryRouteBinds(t *testing.T) {
	if err := newTest(t).router.Bind(); err != nil {
		t.Fatal(err)
	}
}
