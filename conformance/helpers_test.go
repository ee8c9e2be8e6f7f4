package conformance

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

const account = "123456789012"

// iamClient is an IAM client with the target's root credentials, without
// retries, and without the SDK's own input validation, so that the server's
// ValidationError is what a test sees.
func (tg *target) iam() *iam.Client {
	return iam.NewFromConfig(tg.Config, noRetry, noClientValidation)
}

func (tg *target) sts() *sts.Client {
	return sts.NewFromConfig(tg.Config, func(o *sts.Options) { o.RetryMaxAttempts = 1 }, func(o *sts.Options) {
		o.APIOptions = append(o.APIOptions, removeValidation)
	})
}

// as returns IAM and STS clients signing with the given key.
func (tg *target) as(id, secret, token string) (*iam.Client, *sts.Client) {
	cfg := emulatortest.Config(tg.URL, id, secret, token)
	return iam.NewFromConfig(cfg, noRetry, noClientValidation),
		sts.NewFromConfig(cfg, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
}

func noRetry(o *iam.Options) { o.RetryMaxAttempts = 1 }

func noClientValidation(o *iam.Options) {
	o.APIOptions = append(o.APIOptions, removeValidation)
}

func removeValidation(s *middleware.Stack) error {
	s.Initialize.Remove("OperationInputValidation") // absent for ops with no required members
	return nil
}

// wantAPIError asserts that err is the AWS error code with HTTP status and
// message (a message ending in "*" matches as a prefix).
func wantAPIError(t testing.TB, err error, code string, status int, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err=nil, want %s (%d) %q", code, status, message)
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("err=%v, want an API error %s", err, code)
	}
	if got := api.ErrorCode(); got != code {
		t.Errorf("code=%q, want %q (message %q)", got, code, api.ErrorMessage())
	}
	var resp *awshttp.ResponseError
	if !errors.As(err, &resp) {
		t.Fatalf("err=%v carries no HTTP response", err)
	}
	if got := resp.HTTPStatusCode(); got != status {
		t.Errorf("status=%d, want %d", got, status)
	}
	got := api.ErrorMessage()
	if prefix, ok := strings.CutSuffix(message, "*"); ok {
		if !strings.HasPrefix(got, prefix) {
			t.Errorf("message=%q, want prefix %q", got, prefix)
		}
	} else if got != message {
		t.Errorf("message=%q, want %q", got, message)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// createUser creates a user as root and returns it.
func (tg *target) createUser(t testing.TB, name string) *iam.CreateUserOutput {
	t.Helper()
	out, err := tg.iam().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateUser %s: %v", name, err)
	}
	return out
}

// createKey makes an access key for user and returns its id and secret.
func (tg *target) createKey(t testing.TB, user string) (id, secret string) {
	t.Helper()
	out, err := tg.iam().CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatalf("CreateAccessKey %s: %v", user, err)
	}
	return *out.AccessKey.AccessKeyId, *out.AccessKey.SecretAccessKey
}

// concurrently makes n calls at once and counts their outcomes by error
// code; "" counts successes, and an error without a code counts by its text.
func concurrently(n int, call func() error) map[string]int {
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			err := call()
			codes[i] = errorCode(err)
			if err != nil && codes[i] == "" {
				codes[i] = err.Error()
			}
		})
	}
	wg.Wait()
	outcomes := map[string]int{}
	for _, code := range codes {
		outcomes[code]++
	}
	return outcomes
}

// allow gives user, as root, an inline policy allowing actions on every
// resource: what a test that calls as the user needs with enforcement on.
func (tg *target) allow(t testing.TB, user string, actions ...string) {
	t.Helper()
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": actions, "Resource": "*"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.iam().PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user),
		PolicyName: aws.String("test-allow"), PolicyDocument: aws.String(string(doc))}); err != nil {
		t.Fatalf("PutUserPolicy %s: %v", user, err)
	}
}

// disallow removes what allow gave, so that the user can be deleted.
func (tg *target) disallow(t testing.TB, user string) {
	t.Helper()
	if _, err := tg.iam().DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String(user), PolicyName: aws.String("test-allow")}); err != nil {
		t.Fatalf("DeleteUserPolicy %s: %v", user, err)
	}
}
