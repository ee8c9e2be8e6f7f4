package wire_test

import (
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iamlocal/iamlocal/wire"
)

// TestDecodeChecksTheModel: a form decoded for a handler is checked as
// the API checks a request.
func TestDecodeChecksTheModel(t *testing.T) {
	in, err := wire.Decode[iam.CreateUserInput](url.Values{"UserName": {"taro"}, "Path": {"/dev/"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(in.UserName)+aws.ToString(in.Path), "taro/dev/"; got != want {
		t.Fatalf("decoded %q, want %q", got, want)
	}
	_, err = wire.Decode[iam.CreateUserInput](url.Values{"UserName": {"ta ro"}})
	if got, want := err.Error(), `ValidationError: 1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`; got != want {
		t.Fatalf("err=%v, want %v", got, want)
	}
}
