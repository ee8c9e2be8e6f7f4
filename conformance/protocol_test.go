package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

const (
	nsIAM = "https://iam.amazonaws.com/doc/2010-05-08/"
	nsSTS = "https://sts.amazonaws.com/doc/2011-06-15/"

	formType = "application/x-www-form-urlencoded; charset=utf-8"
)

var requestIDShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// response is one raw HTTP exchange's answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// query builds a request to the target: POST with body as its form, or
// GET with query as its query string.
func (tg *target) query(t testing.TB, method, query, body string) *http.Request {
	t.Helper()
	u := tg.URL + "/"
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", formType)
	}
	return req
}

// rootCreds are the target's root credentials.
func (tg *target) rootCreds(t testing.TB) aws.Credentials {
	t.Helper()
	creds, err := tg.Config.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatalf("root credentials: %v", err)
	}
	return creds
}

func payloadHash(body string) string {
	h := sha256.Sum256([]byte(body))
	return hex.EncodeToString(h[:])
}

// sign signs req (whose body is body) with SigV4 in the Authorization
// header for service in us-east-1 at time at.
func sign(t testing.TB, req *http.Request, body string, creds aws.Credentials, service string, at time.Time) *http.Request {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, payloadHash(body), service, "us-east-1", at); err != nil {
		t.Fatalf("sign: %v", err)
	}
	return req
}

func send(t testing.TB, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// signedPost sends form as a POST signed by root for service.
func (tg *target) signedPost(t testing.TB, form, service string) response {
	t.Helper()
	return send(t, sign(t, tg.query(t, http.MethodPost, "", form), form, tg.rootCreds(t), service, time.Now()))
}

// awsError is an <ErrorResponse> document.
type awsError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

// elementPath lists the names of the start elements of an XML document in
// order, as a check of its shape.
func elementPath(t testing.TB, body []byte) []string {
	t.Helper()
	var names []string
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatalf("response is not XML: %v\n%s", err, body)
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
		}
	}
}

// wantErrorDocument asserts that r is AWS's error document in namespace ns
// with status (0: any 4xx) and code ("": any), and returns it. message
// ending in "*" matches as a prefix; "*" alone matches any.
func wantErrorDocument(t testing.TB, r response, ns string, status int, code, message string) awsError {
	t.Helper()
	if status == 0 && (r.status < 400 || r.status > 499) || status != 0 && r.status != status {
		want := "4xx"
		if status != 0 {
			want = http.StatusText(status)
		}
		t.Errorf("status=%d, want %s\n%s", r.status, want, r.body)
	}
	if got, want := elementPath(t, r.body), []string{"ErrorResponse", "Error", "Type", "Code", "Message", "RequestId"}; !slices.Equal(got, want) {
		t.Errorf("error document elements=%v, want %v\n%s", got, want, r.body)
	}
	var e awsError
	if err := xml.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error document: %v\n%s", err, r.body)
	}
	if got := e.XMLName.Space; got != ns {
		t.Errorf("xmlns=%q, want %q", got, ns)
	}
	if got, want := e.Error.Type, "Sender"; got != want {
		t.Errorf("Type=%q, want %q", got, want)
	}
	if code != "" && e.Error.Code != code {
		t.Errorf("Code=%q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Code == "" {
		t.Errorf("empty Code\n%s", r.body)
	}
	if prefix, ok := strings.CutSuffix(message, "*"); ok {
		if !strings.HasPrefix(e.Error.Message, prefix) {
			t.Errorf("Message=%q, want prefix %q", e.Error.Message, prefix)
		}
	} else if e.Error.Message != message {
		t.Errorf("Message=%q, want %q", e.Error.Message, message)
	}
	if got, want := r.header.Get("Content-Type"), "text/xml"; got != want {
		t.Errorf("Content-Type=%q, want %q", got, want)
	}
	wantRequestID(t, r, e.RequestID)
	return e
}

// wantRequestID asserts that r's x-amzn-RequestId is a UUID equal to the
// document's RequestId.
func wantRequestID(t testing.TB, r response, inBody string) {
	t.Helper()
	h := r.header.Get("x-amzn-RequestId")
	if !requestIDShape.MatchString(h) {
		t.Errorf("x-amzn-RequestId=%q, want a UUID", h)
	}
	if h != inBody {
		t.Errorf("x-amzn-RequestId=%q but the document's RequestId=%q", h, inBody)
	}
}

// result is a successful response document.
type result struct {
	XMLName  xml.Name
	Metadata struct {
		RequestID string `xml:"RequestId"`
	} `xml:"ResponseMetadata"`
}

// wantResult asserts that r is the 200 response document of action in
// namespace ns, and returns its body.
func wantResult(t testing.TB, r response, ns, action string) []byte {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status=%d, want 200\n%s", r.status, r.body)
	}
	var doc result
	if err := xml.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("response document: %v\n%s", err, r.body)
	}
	if got, want := doc.XMLName, (xml.Name{Space: ns, Local: action + "Response"}); got != want {
		t.Errorf("root element=%v, want %v", got, want)
	}
	if path := elementPath(t, r.body); len(path) < 2 || path[1] != action+"Result" && path[1] != "ResponseMetadata" {
		t.Errorf("elements=%v, want %sResult or ResponseMetadata first", path, action)
	}
	wantRequestID(t, r, doc.Metadata.RequestID)
	return r.body
}

func TestQueryActionErrors(t *testing.T) {
	tg := newTarget(t)
	for _, tc := range []struct {
		name, form, service, ns, message string
	}{
		{"InvalidAction unknown action", "Action=Frobnicate&Version=2010-05-08", "iam", nsIAM,
			"Could not find operation Frobnicate for version 2010-05-08"},
		{"InvalidAction IAM action with STS version", "Action=ListUsers&Version=2011-06-15", "iam", nsIAM,
			"Could not find operation ListUsers for version 2011-06-15"},
		{"InvalidAction STS action with IAM version", "Action=GetCallerIdentity&Version=2010-05-08", "sts", nsSTS,
			"Could not find operation GetCallerIdentity for version 2010-05-08"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tg.signedPost(t, tc.form, tc.service)
			wantErrorDocument(t, r, tc.ns, http.StatusBadRequest, "InvalidAction", tc.message)
		})
	}
	t.Run("MissingAction", func(t *testing.T) {
		r := tg.signedPost(t, "Version=2010-05-08&UserName=taro", "iam")
		wantErrorDocument(t, r, nsIAM, http.StatusBadRequest, "MissingAction", "The request is missing an action or a required parameter.")
	})
}

func TestQueryAuthErrors(t *testing.T) {
	tg := newTarget(t)
	list := "Action=ListUsers&Version=2010-05-08"

	t.Run("MissingAuthenticationToken", func(t *testing.T) {
		// AWS's message text is not recorded (aws-facts §10).
		r := send(t, tg.query(t, http.MethodPost, "", list))
		wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "MissingAuthenticationToken", "*")
	})
	t.Run("MissingAuthenticationToken STS", func(t *testing.T) {
		r := send(t, tg.query(t, http.MethodPost, "", "Action=GetCallerIdentity&Version=2011-06-15"))
		wantErrorDocument(t, r, nsSTS, http.StatusForbidden, "MissingAuthenticationToken", "*")
	})
	t.Run("IncompleteSignature", func(t *testing.T) {
		req := tg.query(t, http.MethodPost, "", list)
		req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential")
		r := send(t, req)
		wantErrorDocument(t, r, nsIAM, http.StatusBadRequest, "IncompleteSignature",
			"'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential'.")
	})
	t.Run("IncompleteSignature missing parts", func(t *testing.T) {
		req := tg.query(t, http.MethodPost, "", list)
		now := time.Now().UTC()
		req.Header.Set("X-Amz-Date", now.Format("20060102T150405Z"))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/"+now.Format("20060102")+"/us-east-1/iam/aws4_request")
		r := send(t, req)
		wantErrorDocument(t, r, nsIAM, http.StatusBadRequest, "IncompleteSignature", "*")
	})
	t.Run("SignatureDoesNotMatch tampered body", func(t *testing.T) {
		req := sign(t, tg.query(t, http.MethodPost, "", list), list, tg.rootCreds(t), "iam", time.Now())
		tampered := list + "&MaxItems=1"
		req.Body = io.NopCloser(strings.NewReader(tampered))
		req.ContentLength = int64(len(tampered))
		r := send(t, req)
		wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "SignatureDoesNotMatch", badSignature)
	})
	t.Run("SignatureDoesNotMatch expired", func(t *testing.T) {
		req := sign(t, tg.query(t, http.MethodPost, "", list), list, tg.rootCreds(t), "iam", time.Now().Add(-20*time.Minute))
		r := send(t, req)
		wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "SignatureDoesNotMatch", "Signature expired: *")
	})
	t.Run("SignatureDoesNotMatch not yet current", func(t *testing.T) {
		req := sign(t, tg.query(t, http.MethodPost, "", list), list, tg.rootCreds(t), "iam", time.Now().Add(20*time.Minute))
		r := send(t, req)
		wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "SignatureDoesNotMatch", "Signature not yet current: *")
	})
	t.Run("SignatureDoesNotMatch wrong service scope", func(t *testing.T) {
		form := "Action=GetCallerIdentity&Version=2011-06-15"
		r := tg.signedPost(t, form, "iam")
		wantErrorDocument(t, r, nsSTS, http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.*")
	})
	t.Run("InvalidClientTokenId", func(t *testing.T) {
		creds := aws.Credentials{AccessKeyID: exampleKeyID, SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
		r := send(t, sign(t, tg.query(t, http.MethodPost, "", list), list, creds, "iam", time.Now()))
		wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "InvalidClientTokenId", invalidToken)
	})
}

func TestQueryGET(t *testing.T) {
	tg := newTarget(t)
	tg.createUser(t, "viaget")

	t.Run("signed header", func(t *testing.T) {
		q := "Action=GetUser&UserName=viaget&Version=2010-05-08"
		r := send(t, sign(t, tg.query(t, http.MethodGet, q, ""), "", tg.rootCreds(t), "iam", time.Now()))
		body := wantResult(t, r, nsIAM, "GetUser")
		var doc struct {
			User struct {
				UserName string `xml:"UserName"`
				Arn      string `xml:"Arn"`
			} `xml:"GetUserResult>User"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("GetUser document: %v", err)
		}
		if got, want := doc.User.Arn, userARN("/", "viaget"); got != want {
			t.Errorf("Arn=%q, want %q", got, want)
		}
	})

	t.Run("presigned URL", func(t *testing.T) {
		for _, tc := range []struct{ service, query, action, ns, want string }{
			{"sts", "Action=GetCallerIdentity&Version=2011-06-15", "GetCallerIdentity", nsSTS, "arn:aws:iam::" + account + ":root"},
			{"iam", "Action=GetUser&UserName=viaget&Version=2010-05-08", "GetUser", nsIAM, userARN("/", "viaget")},
		} {
			t.Run(tc.service, func(t *testing.T) {
				req := tg.query(t, http.MethodGet, tc.query+"&X-Amz-Expires=300", "")
				signed, _, err := v4.NewSigner().PresignHTTP(ctx, tg.rootCreds(t), req, payloadHash(""), tc.service, "us-east-1", time.Now())
				if err != nil {
					t.Fatalf("presign: %v", err)
				}
				get, err := http.NewRequestWithContext(ctx, http.MethodGet, signed, nil)
				if err != nil {
					t.Fatalf("request: %v", err)
				}
				if get.Header.Get("Authorization") != "" {
					t.Fatalf("presigned request carries an Authorization header")
				}
				body := wantResult(t, send(t, get), tc.ns, tc.action)
				if !bytes.Contains(body, []byte("<Arn>"+tc.want+"</Arn>")) {
					t.Errorf("body does not name %s:\n%s", tc.want, body)
				}
			})
		}
	})

	t.Run("presigned URL tampered", func(t *testing.T) {
		req := tg.query(t, http.MethodGet, "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=300", "")
		signed, _, err := v4.NewSigner().PresignHTTP(ctx, tg.rootCreds(t), req, payloadHash(""), "sts", "us-east-1", time.Now())
		if err != nil {
			t.Fatalf("presign: %v", err)
		}
		u, err := url.Parse(signed)
		if err != nil {
			t.Fatalf("parse %s: %v", signed, err)
		}
		q := u.Query()
		sig := []byte(q.Get("X-Amz-Signature"))
		if sig[0] == '0' {
			sig[0] = '1'
		} else {
			sig[0] = '0'
		}
		q.Set("X-Amz-Signature", string(sig))
		u.RawQuery = q.Encode()
		get, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		wantErrorDocument(t, send(t, get), nsSTS, http.StatusForbidden, "SignatureDoesNotMatch", badSignature)
	})
}

// TestMalformedRequests: what a client sends wrong is refused with an AWS
// error document (never a 500) and changes nothing.
func TestMalformedRequests(t *testing.T) {
	tg := newTarget(t)
	create := "Action=CreateUser&Version=2010-05-08&UserName="
	for _, tc := range []struct{ name, form string }{
		{"body over 1 MiB", create + "big&Padding=" + strings.Repeat("a", 1<<20)},
		{"percent-encoded bad UTF-8", create + "bad%FFutf8"},
		{"raw bad UTF-8", create + "bad\xff\xfeutf8"},
		{"bad UTF-8 in a name", create + "ok&Tags.member.1.Key%FF=k"},
		{"bad percent escape", create + "bad%zzescape"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tg.signedPost(t, tc.form, "iam")
			if r.status >= 500 {
				t.Fatalf("status=%d, want a 4xx\n%.300s", r.status, r.body)
			}
			wantErrorDocument(t, r, nsIAM, 0, "", "*")
		})
	}
	t.Run("bad query string", func(t *testing.T) {
		// The signer would drop the bad pair, so it is added after signing.
		req := sign(t, tg.query(t, http.MethodGet, "Action=ListUsers&Version=2010-05-08", ""), "", tg.rootCreds(t), "iam", time.Now())
		req.URL.RawQuery += "&Marker=%"
		wantErrorDocument(t, send(t, req), nsIAM, 0, "", "*")
	})
	if got := listUserNames(t, tg.iam(), ""); len(got) != 0 {
		t.Errorf("users after malformed requests=%v, want none", got)
	}
}

// TestFailedRequestChangesNothing: a request refused anywhere on its way
// leaves no trace.
func TestFailedRequestChangesNothing(t *testing.T) {
	tg := newTarget(t)
	c := tg.iam()

	for name, in := range map[string]*iam.CreateUserInput{
		"ValidationError": {UserName: aws.String("ghost"), Tags: []types.Tag{{Key: aws.String("bad*key"), Value: aws.String("v")}}},
		"InvalidInput": {UserName: aws.String("ghost"), Tags: []types.Tag{
			{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("A"), Value: aws.String("2")},
		}},
		"NoSuchEntity": {UserName: aws.String("ghost"), PermissionsBoundary: aws.String("arn:aws:iam::" + account + ":policy/none")},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := c.CreateUser(ctx, in); errorCode(err) != name {
				t.Fatalf("CreateUser err=%v, want %s", err, name)
			}
			_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ghost")})
			wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("ghost"))
		})
	}
	// The name was never taken.
	tg.createUser(t, "ghost")

	// Refused requests without a signature change nothing either.
	r := send(t, tg.query(t, http.MethodPost, "", "Action=CreateUser&Version=2010-05-08&UserName=intruder"))
	wantErrorDocument(t, r, nsIAM, http.StatusForbidden, "MissingAuthenticationToken", "*")
	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("intruder")})
	wantAPIError(t, err, "NoSuchEntity", 404, noSuchUser("intruder"))
}

func TestRequestIDs(t *testing.T) {
	tg := newTarget(t)
	seen := map[string]bool{}
	check := func(id string) {
		t.Helper()
		if seen[id] {
			t.Errorf("request id %s repeats", id)
		}
		seen[id] = true
	}

	ok := tg.signedPost(t, "Action=ListUsers&Version=2010-05-08", "iam")
	wantResult(t, ok, nsIAM, "ListUsers")
	check(ok.header.Get("x-amzn-RequestId"))

	ok = tg.signedPost(t, "Action=GetCallerIdentity&Version=2011-06-15", "sts")
	wantResult(t, ok, nsSTS, "GetCallerIdentity")
	check(ok.header.Get("x-amzn-RequestId"))

	// Mutations with no result still carry ResponseMetadata.
	tg.createUser(t, "u")
	ok = tg.signedPost(t, "Action=TagUser&Version=2010-05-08&UserName=u&Tags.member.1.Key=k&Tags.member.1.Value=v", "iam")
	wantResult(t, ok, nsIAM, "TagUser")
	check(ok.header.Get("x-amzn-RequestId"))

	bad := tg.signedPost(t, "Action=GetUser&Version=2010-05-08&UserName=nobody", "iam")
	e := wantErrorDocument(t, bad, nsIAM, http.StatusNotFound, "NoSuchEntity", noSuchUser("nobody"))
	check(e.RequestID)

	bad = send(t, tg.query(t, http.MethodPost, "", "Action=GetCallerIdentity&Version=2011-06-15"))
	e = wantErrorDocument(t, bad, nsSTS, http.StatusForbidden, "MissingAuthenticationToken", "*")
	check(e.RequestID)
}

// TestQueryEncoding: the form encodings of lists and the SDK's own
// decoding of our documents agree (a list sent by hand reads back through
// the SDK).
func TestQueryEncoding(t *testing.T) {
	tg := newTarget(t)
	r := tg.signedPost(t, "Action=CreateUser&Version=2010-05-08&UserName=enc&Path=%2Fa%2Fb%2F"+
		"&Tags.member.1.Key=Cost%20Center&Tags.member.1.Value=12%2B3&Tags.member.2.Key=k%3Ab&Tags.member.2.Value=", "iam")
	wantResult(t, r, nsIAM, "CreateUser")
	out := must[*iam.GetUserOutput](t)(tg.iam().GetUser(ctx, &iam.GetUserInput{UserName: aws.String("enc")}))
	if got, want := aws.ToString(out.User.Arn), userARN("/a/b/", "enc"); got != want {
		t.Errorf("Arn=%q, want %q", got, want)
	}
	if got, want := tagMap(out.User.Tags), map[string]string{"Cost Center": "12+3", "k:b": ""}; !mapsEqual(got, want) {
		t.Errorf("Tags=%v, want %v", got, want)
	}
}

func TestAdminEndpoints(t *testing.T) {
	tg := newTarget(t)

	t.Run("health", func(t *testing.T) {
		resp, err := http.Get(tg.URL + "/_iamlocal/health")
		if err != nil {
			t.Fatalf("health: %v", err)
		}
		resp.Body.Close()
		if got, want := resp.StatusCode, http.StatusOK; got != want {
			t.Errorf("status=%d, want %d", got, want)
		}
	})

	for _, path := range []string{"/_iamlocal/reset", "/moto-api/reset"} {
		t.Run(path, func(t *testing.T) {
			c := tg.iam()
			tg.createUser(t, "doomed")
			id, secret := tg.createKey(t, "doomed")
			_, userSTS := tg.as(id, secret, "")
			must[*sts.GetCallerIdentityOutput](t)(userSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))

			resp, err := http.Post(tg.URL+path, "application/json", nil)
			if err != nil {
				t.Fatalf("reset: %v", err)
			}
			resp.Body.Close()
			if got, want := resp.StatusCode, http.StatusOK; got != want {
				t.Fatalf("status=%d, want %d", got, want)
			}

			if got := listUserNames(t, c, ""); len(got) != 0 {
				t.Errorf("users after reset=%v, want none", got)
			}
			_, err = userSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantAPIError(t, err, "InvalidClientTokenId", 403, invalidToken)
			// Root still works and the state is usable.
			tg.createUser(t, "doomed")
			must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("doomed")}))
		})
	}
}
