package wire

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzParseAuthorization feeds arbitrary Authorization headers, query strings
// and dates through parsing and verification: nothing may panic, every
// refusal is an AWS client error, and every accepted signature is
// self-consistent.
func FuzzParseAuthorization(f *testing.F) {
	const suiteAuth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	const sdkAuth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260301/us-east-1/sts/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=0e9b8e0b5fbd4cd2c1f7a7a0b3f06a1b0bd7c4b1e0a8f1f2b4c5d6e7f8091a2b"
	for _, seed := range []struct {
		auth, query, date string
		body              []byte
	}{
		{suiteAuth, "", "20150830T123600Z", nil},
		{sdkAuth, "", "20260301T120000Z", []byte(stsForm)},
		{sdkAuth, "Action=ListUsers&Version=2010-05-08", "20260301T120000Z", nil},
		{"", "Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600&X-Amz-Signature=86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5", "", nil},
		{"", "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20260301%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-Expires=60&X-Amz-Security-Token=FwoG%2B%2F%3D&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=00", "", nil},
		{"AWS4-HMAC-SHA256 Credential=AKIAXXXXXXXXXX /20150620/us-east-1/cloudformation/aws4_request, SignedHeaders=host;x-amz-date, Signature=240c", "", "20150620T000000Z", nil},
		{"AWS4-HMAC-SHA256 Signature=b,    Credential,    SignedHeaders", "", "", nil},
		{"AWS4-HMAC-SHA256", "", "", nil},
		{"AWS4-HMAC-SHA25 Credential=a/b/c/d, SignedHeaders=, Signature=x", "", "201", nil},
		{"AWS4-HMAC-SHA256 Credential=k/b//d/e///, SignedHeaders=Host, Signature=x", "X-Amz-Signature=1", "20260230T250000Z", nil},
		{"Basic dGVzdDp0ZXN0", "X-Amz-Algorithm=", "", nil},
		{"AWS4-X Credential==/=/=/=/=, SignedHeaders=;;;host;;, Signature==", "a=%zz&+=+&=&", "20000101T000000Z", []byte("\x00\xff")},
	} {
		f.Add(seed.auth, seed.query, seed.date, seed.body)
	}
	now := time.Date(2026, 3, 1, 12, 5, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, auth, rawQuery, date string, body []byte) {
		r := &http.Request{
			Method: http.MethodPost, Host: "localhost:4599", Header: http.Header{},
			URL: &url.URL{Path: "/", RawQuery: rawQuery}, RequestURI: "/?" + rawQuery,
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		r.Header.Set("X-Amz-Security-Token", date)
		q, _ := url.ParseQuery(rawQuery)
		for _, c := range []struct {
			service string
			now     time.Time
		}{{"", now}, {"sts", now}, {"iam", now.Add(-time.Hour)}} {
			s, werr := parseSignature(r, q, c.service, c.now)
			if werr != nil {
				if werr.Code == "" || werr.Message == "" || !werr.Sender || werr.Status != http.StatusBadRequest && werr.Status != http.StatusForbidden {
					t.Fatalf("error %+v is not an AWS client error", werr)
				}
				continue
			}
			if got := s.AccessKeyID + "/" + s.scope; !strings.HasPrefix(strings.TrimRight(cred(auth, q), "/"), got) {
				t.Fatalf("access key and scope %q are not the credential %q", got, cred(auth, q))
			}
			if !validRegion(s.Region) || s.ScopeDate != s.Time.Format("20060102") {
				t.Fatalf("accepted scope region %q date %q for %v", s.Region, s.ScopeDate, s.Time)
			}
			s.tokenMatches("")
			s.tokenMatches(date)
			if werr := s.verify(r, body, "secret"); werr != nil && werr.Code != "SignatureDoesNotMatch" {
				t.Fatalf("verify: %+v", werr)
			}
		}
	})
}

func cred(auth string, q url.Values) string {
	if auth == "" {
		return q.Get("X-Amz-Credential")
	}
	c := ""
	for _, tok := range strings.FieldsFunc(auth, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if v, ok := strings.CutPrefix(tok, "Credential="); ok {
			c = v
		}
	}
	return c
}
