package wire

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// testKeys is a Credentials that knows a fixed set of keys.
type testKeys map[string]Key

func (k testKeys) LookupKey(_ context.Context, id string) (Key, error) {
	key, ok := k[id]
	if !ok {
		return Key{}, ErrInvalidKey
	}
	return key, nil
}

func (testKeys) KeyUsed(*Caller) {}

// knownKey is the test key as the emulator would resolve it.
var knownKey = testKeys{testKeyID: {Secret: testSecret, Caller: Caller{
	Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/taro", UserID: "AIDAEXAMPLE",
}}}

// testRouter is a Router at time now with the given keys, GetUser,
// GetCallerIdentity and TagUser registered, logging into log at debug level.
func testRouter(t testing.TB, keys testKeys, now time.Time, log *bytes.Buffer) *Router {
	t.Helper()
	o := Options{Credentials: keys, Now: func() time.Time { return now }}
	if log != nil {
		o.Log = slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	r := NewRouter(o)
	Register(r, func(ctx context.Context, in *iam.GetUserInput) (*iam.GetUserOutput, error) {
		CallerFrom(ctx).NoteTarget("arn:aws:iam::123456789012:user/" + aws.ToString(in.UserName))
		return &iam.GetUserOutput{User: &iamtypes.User{UserName: in.UserName}}, nil
	})
	Register(r, func(ctx context.Context, in *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
		return &sts.GetCallerIdentityOutput{Arn: aws.String(CallerFrom(ctx).ARN)}, nil
	})
	Register(r, func(ctx context.Context, in *iam.TagUserInput) (*iam.TagUserOutput, error) {
		return &iam.TagUserOutput{}, nil
	})
	if err := r.Bind(); err != nil {
		t.Fatal(err)
	}
	return r
}

// serverSide turns a client request into what Go's server hands a handler.
func serverSide(req *http.Request) *http.Request {
	req.Host = req.URL.Host
	req.RequestURI = req.URL.RequestURI()
	if req.Body == nil {
		req.Body = http.NoBody
	}
	return req
}

func serve(r *Router, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	return rec
}

// wantResponseError checks an error response's status, code and message,
// and returns its request id.
func wantResponseError(t testing.TB, rec *httptest.ResponseRecorder, status int, code, msg string) string {
	t.Helper()
	var doc struct {
		Error struct {
			Type, Code, Message string
		}
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("response %q: %v", rec.Body, err)
	}
	if got, want := rec.Code, status; got != want {
		t.Fatalf("status=%d (%s), want %d", got, rec.Body, want)
	}
	if got, want := doc.Error.Code, code; got != want {
		t.Fatalf("Code=%q (%q), want %q", got, doc.Error.Message, want)
	}
	if got, want := doc.Error.Message, msg; got != want {
		t.Fatalf("Message=\n%q\nwant\n%q", got, want)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if got, want := doc.Error.Type, wantType; got != want {
		t.Fatalf("Type=%q, want %q", got, want)
	}
	if got, want := rec.Header().Get("x-amzn-RequestId"), doc.RequestID; got != want || got == "" {
		t.Fatalf("x-amzn-RequestId=%q, want %q, not empty", got, want)
	}
	return doc.RequestID
}

// TestRouterChecksTheWindowBeforeTheKey: an unknown key signed an hour ago
// gets AWS's expiry message, as AWS checks the date before the key.
func TestRouterChecksTheWindowBeforeTheKey(t *testing.T) {
	r := testRouter(t, testKeys{}, t0.Add(time.Hour), nil)
	req := serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil))
	wantResponseError(t, serve(r, req), http.StatusForbidden, "SignatureDoesNotMatch",
		"Signature expired: 20260301T120000Z is now earlier than 20260301T124500Z (20260301T130000Z - 15 min.)")
}

func TestRouterInvalidClientTokenId(t *testing.T) {
	for _, c := range []struct {
		name, form, service, token, msg string
		keys                            testKeys
	}{
		{"IAM unknown key", iamForm, "iam", "", "The security token included in the request is invalid.", testKeys{}},
		{"STS unknown key", stsForm, "sts", "", "The security token included in the request is invalid", testKeys{}},
		{"IAM token on a long-term key", iamForm, "iam", testToken, "The security token included in the request is invalid.", knownKey},
		{"STS token on a long-term key", stsForm, "sts", testToken, "The security token included in the request is invalid", knownKey},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := testRouter(t, c.keys, t0, nil)
			req := serverSide(signedPost(t, "http://127.0.0.1:4599", c.form, c.service, "us-east-1", c.token, t0, nil))
			wantResponseError(t, serve(r, req), http.StatusForbidden, "InvalidClientTokenId", c.msg)
		})
	}
}

func TestRouterWrongService(t *testing.T) {
	r := testRouter(t, knownKey, t0, nil)
	req := serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "iam", "us-east-1", "", t0, nil))
	wantResponseError(t, serve(r, req), http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'. ")
}

func TestRouterServesSignedRequest(t *testing.T) {
	r := testRouter(t, knownKey, t0.Add(time.Minute), nil)
	req := serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil))
	rec := serve(r, req)
	if got, want := rec.Code, http.StatusOK; got != want {
		t.Fatalf("status=%d (%s), want %d", got, rec.Body, want)
	}
	if !bytes.Contains(rec.Body.Bytes(), []byte("<Arn>arn:aws:iam::123456789012:user/taro</Arn>")) {
		t.Fatalf("body=%s, want the caller's ARN", rec.Body)
	}
}

// manyTagsForm is the TagUser request of issue 7: 4,995 tags, about 480 KB,
// signed with public credentials.
func manyTagsForm() string {
	return "Action=TagUser&Version=2010-05-08&UserName=taro" + manyTags(4995, "key-", strings.Repeat("v", 50))
}

// TestRouterRefusesManyTags: the 4,995-tag request gets AWS's one
// validation error for the list's length.
func TestRouterRefusesManyTags(t *testing.T) {
	r := testRouter(t, knownKey, t0, nil)
	req := serverSide(signedPost(t, "http://127.0.0.1:4599", manyTagsForm(), "iam", "us-east-1", "", t0, nil))
	wantResponseError(t, serve(r, req), http.StatusBadRequest, "ValidationError",
		"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
}

// TestRouterRefusesTooManyParameters: a request with more parameters than
// any action takes is refused before it is parsed or authenticated.
func TestRouterRefusesTooManyParameters(t *testing.T) {
	limit := modelLimits().params
	form := "Action=ListUsers&Version=2010-05-08" + strings.Repeat("&Marker=x", limit-1)
	r := testRouter(t, knownKey, t0, nil)
	req := serverSide(signedPost(t, "http://127.0.0.1:4599", form, "iam", "us-east-1", "", t0, nil))
	wantResponseError(t, serve(r, req), http.StatusBadRequest, "ValidationError",
		fmt.Sprintf("The request has %d parameters; no IAM or STS action takes more than %d.", limit+1, limit))

	t.Run("at the limit", func(t *testing.T) {
		form := "Action=ListUsers&Version=2010-05-08" + strings.Repeat("&Marker=x", limit-2)
		req := serverSide(signedPost(t, "http://127.0.0.1:4599", form, "iam", "us-east-1", "", t0, nil))
		rec := serve(r, req)
		if bytes.Contains(rec.Body.Bytes(), []byte("parameters;")) {
			t.Fatalf("a request of %d parameters was refused: %s", limit, rec.Body)
		}
	})
}

// TestModelLimits: the limit is the largest action's parameters, lists
// counted at their model maximum, plus Action, Version and presigning.
func TestModelLimits(t *testing.T) {
	tagUser, _ := paramsOf(iamService, LookupOperation("TagUser").Input)
	if got, want := tagUser, 1+50*2; got != want {
		t.Fatalf("TagUser params=%d, want %d", got, want)
	}
	// SimulatePrincipalPolicy: 100 context entries of a name, a type and
	// 100 values dominate.
	sim, _ := paramsOf(iamService, LookupOperation("SimulatePrincipalPolicy").Input)
	if got, want := modelLimits().params, requestOverhead+sim; got != want {
		t.Fatalf("limit=%d, want SimulatePrincipalPolicy's %d", got, want)
	}
	if modelLimits().params < fewParams {
		t.Fatalf("limit=%d is below fewParams %d, which skips the check", modelLimits().params, fewParams)
	}
}

// BenchmarkRouterManyTags is the server time of the 4,995-tag request,
// signature check included.
func BenchmarkRouterManyTags(b *testing.B) {
	r := testRouter(b, knownKey, t0, nil)
	form := manyTagsForm()
	req := serverSide(signedPost(b, "http://127.0.0.1:4599", form, "iam", "us-east-1", "", t0, nil))
	b.SetBytes(int64(len(form)))
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(strings.NewReader(form))
		rec := serve(r, req)
		if rec.Code != http.StatusBadRequest {
			b.Fatalf("status=%d (%s), want 400", rec.Code, rec.Body)
		}
	}
}

// BenchmarkRouter is a signed GetCallerIdentity through the whole router.
func BenchmarkRouter(b *testing.B) {
	r := testRouter(b, knownKey, t0, nil)
	req := serverSide(signedPost(b, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil))
	b.ReportAllocs()
	for b.Loop() {
		req.Body = io.NopCloser(strings.NewReader(stsForm))
		if rec := serve(r, req); rec.Code != http.StatusOK {
			b.Fatalf("status=%d (%s), want 200", rec.Code, rec.Body)
		}
	}
}

// requestLine returns the log's one request line.
func requestLine(t testing.TB, log *bytes.Buffer) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(log.String(), "\n") {
		if strings.Contains(l, "msg=request ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("request lines=%q, want one", lines)
	}
	return lines[0]
}

func TestRouterLogsTheKeyOfAFailedSignature(t *testing.T) {
	for _, c := range []struct {
		name string
		keys testKeys
		now  time.Time
		code string
	}{
		{"SignatureDoesNotMatch", testKeys{testKeyID: {Secret: "another-secret", Caller: knownKey[testKeyID].Caller}}, t0, "SignatureDoesNotMatch"},
		{"InvalidClientTokenId", testKeys{}, t0, "InvalidClientTokenId"},
		{"expired", testKeys{}, t0.Add(time.Hour), "SignatureDoesNotMatch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var log bytes.Buffer
			r := testRouter(t, c.keys, c.now, &log)
			serve(r, serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil)))
			line := requestLine(t, &log)
			for _, want := range []string{"access_key=" + testKeyID, "error=" + c.code} {
				if !strings.Contains(line, want) {
					t.Errorf("request line %q lacks %q", line, want)
				}
			}
			for _, secret := range []string{testSecret, "another-secret"} {
				if strings.Contains(log.String(), secret) {
					t.Errorf("log contains the secret %q:\n%s", secret, log.String())
				}
			}
		})
	}
}

func TestRouterLogsSuccess(t *testing.T) {
	var log bytes.Buffer
	r := testRouter(t, knownKey, t0, &log)
	form := "Action=GetUser&Version=2010-05-08&UserName=taro"
	if rec := serve(r, serverSide(signedPost(t, "http://127.0.0.1:4599", form, "iam", "us-east-1", "", t0, nil))); rec.Code != http.StatusOK {
		t.Fatalf("status=%d (%s), want 200", rec.Code, rec.Body)
	}
	line := requestLine(t, &log)
	if strings.Contains(line, "error=") {
		t.Errorf("request line %q has an error", line)
	}
	for _, want := range []string{"action=GetUser", "caller=arn:aws:iam::123456789012:user/taro", "resource=arn:aws:iam::123456789012:user/taro", "status=200"} {
		if !strings.Contains(line, want) {
			t.Errorf("request line %q lacks %q", line, want)
		}
	}
}

// TestRouterDebugLogsSigningTexts: a mismatch logs, at debug level, the
// canonical request and the string to sign, with the session token and
// sensitive parameters redacted wherever the client put them.
func TestRouterDebugLogsSigningTexts(t *testing.T) {
	keys := testKeys{testKeyID: {Secret: "another-secret", SessionToken: testToken, Caller: knownKey[testKeyID].Caller}}
	const form = "Action=GetUser&Version=2010-05-08&UserName=taro&Password=hunter2-secret"
	for name, build := range map[string]func(base string) *http.Request{
		"header": func(base string) *http.Request {
			return signedPost(t, base, stsForm, "sts", "us-east-1", testToken, t0, nil)
		},
		"presigned": func(base string) *http.Request {
			return presigned(t, base, form, "iam", "us-east-1", testToken, t0)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var log bytes.Buffer
			r := testRouter(t, keys, t0, &log)
			rec := serve(r, serverSide(build("http://127.0.0.1:4599")))
			if got, want := rec.Code, http.StatusForbidden; got != want {
				t.Fatalf("status=%d (%s), want %d", got, rec.Body, want)
			}
			out := log.String()
			for _, want := range []string{"msg=\"signature mismatch\"", "canonical_request=", "string_to_sign=\"AWS4-HMAC-SHA256\\n20260301T120000Z\\n20260301/us-east-1/", "[redacted]"} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			for _, secret := range []string{testToken, url.QueryEscape(testToken), "another-secret", "hunter2"} {
				if strings.Contains(out, secret) {
					t.Errorf("log contains the secret %q:\n%s", secret, out)
				}
			}
		})
	}
}

func TestRedactCanonical(t *testing.T) {
	creq := "GET\n/\nAction=X&Password=p%20w&X-Amz-Security-Token=tok%2B&b=2\nhost:h\nx-amz-security-token:tok+\n\nhost;x-amz-security-token\nabc"
	want := "GET\n/\nAction=X&Password=[redacted]&X-Amz-Security-Token=[redacted]&b=2\nhost:h\nx-amz-security-token:[redacted]\n\nhost;x-amz-security-token\nabc"
	if got := redactCanonical(creq); got != want {
		t.Fatalf("redactCanonical=\n%s\nwant\n%s", got, want)
	}
}

// TestRouterInternalErrors: a handler that panics, or returns an error that
// is not an AWS error, gets 500 ServiceFailure with a request id, and the
// router serves the next request.
func TestRouterInternalErrors(t *testing.T) {
	var log bytes.Buffer
	r := testRouter(t, knownKey, t0, &log)
	Register(r, func(ctx context.Context, in *iam.ListUsersInput) (*iam.ListUsersOutput, error) {
		panic("a bug")
	})
	Register(r, func(ctx context.Context, in *iam.ListGroupsInput) (*iam.ListGroupsOutput, error) {
		return nil, errors.New("store: disk on fire at /secret/path")
	})
	for _, action := range []string{"ListUsers", "ListGroups"} {
		t.Run(action, func(t *testing.T) {
			log.Reset()
			form := "Action=" + action + "&Version=2010-05-08"
			rec := serve(r, serverSide(signedPost(t, "http://127.0.0.1:4599", form, "iam", "us-east-1", "", t0, nil)))
			id := wantResponseError(t, rec, http.StatusInternalServerError, "ServiceFailure", "An internal error occurred.")
			if strings.Contains(rec.Body.String(), "disk on fire") {
				t.Fatalf("the answer leaks the error: %s", rec.Body)
			}
			if !strings.Contains(log.String(), "request="+id) {
				t.Errorf("log does not name request %s:\n%s", id, log.String())
			}
			next := serve(r, serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil)))
			if got, want := next.Code, http.StatusOK; got != want {
				t.Fatalf("next request: status=%d (%s), want %d", got, next.Body, want)
			}
		})
	}
}

// TestRouterCallerCarriesTheConnection: a handler sees the peer address,
// the user agent and whether TLS carried the request, for the policy
// keys aws:SourceIp, aws:UserAgent and aws:SecureTransport.
func TestRouterCallerCarriesTheConnection(t *testing.T) {
	r := NewRouter(Options{Credentials: knownKey, Now: func() time.Time { return t0.Add(time.Minute) }})
	Register(r, func(ctx context.Context, in *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
		c := CallerFrom(ctx)
		return &sts.GetCallerIdentityOutput{Arn: aws.String(c.SourceIP + "|" + c.UserAgent + "|" + strconv.FormatBool(c.Secure))}, nil
	})
	for remote, want := range map[string]string{"192.0.2.10:54321": "192.0.2.10", "[2001:db8::1]:443": "2001:db8::1", "[::1]:4599": "::1"} {
		req := serverSide(signedPost(t, "http://127.0.0.1:4599", stsForm, "sts", "us-east-1", "", t0, nil))
		req.RemoteAddr = remote
		req.Header.Set("User-Agent", "aws-cli/1.44")
		rec := serve(r, req)
		if got := rec.Body.String(); !strings.Contains(got, "<Arn>"+want+"|aws-cli/1.44|false</Arn>") {
			t.Errorf("RemoteAddr %s: body=%s, want %s, the user agent and no TLS", remote, got, want)
		}
	}
}

// sessionKeys is the test key as a temporary key, changed by edit.
func sessionKeys(edit func(*Key)) testKeys {
	k := knownKey[testKeyID]
	k.SessionToken = testToken
	edit(&k)
	return testKeys{testKeyID: k}
}

// TestRouterTemporaryKeys: an expired session is answered ExpiredToken
// once its token matches, and STS-only credentials are refused by IAM but
// serve STS.
func TestRouterTemporaryKeys(t *testing.T) {
	for _, c := range []struct {
		name, form, service, token string
		edit                       func(*Key)
		status                     int
		code, msg                  string
	}{
		{"ExpiredToken", stsForm, "sts", testToken, func(k *Key) { k.Expired = true }, http.StatusForbidden, "ExpiredToken", "The security token included in the request is expired"},
		{"expired with wrong token", stsForm, "sts", "wrong", func(k *Key) { k.Expired = true }, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid"},
		{"expired without token", iamForm, "iam", "", func(k *Key) { k.Expired = true }, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"STS-only on IAM", iamForm, "iam", testToken, func(k *Key) { k.STSOnly = true }, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"STS-only on STS", stsForm, "sts", testToken, func(k *Key) { k.STSOnly = true }, http.StatusOK, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := testRouter(t, sessionKeys(c.edit), t0, nil)
			rec := serve(r, serverSide(signedPost(t, "http://127.0.0.1:4599", c.form, c.service, "us-east-1", c.token, t0, nil)))
			if c.code == "" {
				if got, want := rec.Code, c.status; got != want {
					t.Fatalf("status=%d (%s), want %d", got, rec.Body, want)
				}
				return
			}
			wantResponseError(t, rec, c.status, c.code, c.msg)
		})
	}
}
