package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestSignerMatchesSDK: the tool's signer writes the same Authorization
// header as the SDK's for the requests it sends, with long-term and with
// temporary credentials.
func TestSignerMatchesSDK(t *testing.T) {
	at := time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)
	body := []byte("Action=GetUser&Version=2010-05-08")
	for name, token := range map[string]string{"long-term": "", "temporary": "IQoJb3JpZ2luX2VjEXAMPLETOKEN=="} {
		t.Run(name, func(t *testing.T) {
			k := creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token}
			newReq := func() *http.Request {
				r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:4599/", strings.NewReader(string(body)))
				return r
			}
			ours := newReq()
			_, auth := (&signer{}).sign(ours.Host, body, k, "iam", "us-east-1", at)
			sdk := newReq()
			sdk.Header.Set("Content-Type", formType)
			sum := sha256.Sum256(body)
			err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: k.id, SecretAccessKey: k.secret, SessionToken: token},
				sdk, hex.EncodeToString(sum[:]), "iam", "us-east-1", at)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := auth, sdk.Header.Get("Authorization"); got != want {
				t.Errorf("Authorization\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := percentile(d, c.p); got != c.want {
			t.Errorf("p%v=%v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing=%v, want 0", got)
	}
}

func TestElement(t *testing.T) {
	doc := `<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><AccessKeyId>AKIA1</AccessKeyId><SecretAccessKey>s/+</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>`
	if got := element(doc, "AccessKeyId"); got != "AKIA1" {
		t.Errorf("AccessKeyId=%q", got)
	}
	if got := element(doc, "SecretAccessKey"); got != "s/+" {
		t.Errorf("SecretAccessKey=%q", got)
	}
	if got := element(doc, "Missing"); got != "" {
		t.Errorf("Missing=%q, want empty", got)
	}
}

func TestReadResponse(t *testing.T) {
	raw := "HTTP/1.1 409 Conflict\r\nContent-Type: text/xml\r\nContent-Length: 5\r\n\r\nabcde" +
		"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
	r := bufio.NewReader(strings.NewReader(raw))
	status, body, keep, err := readResponse(r)
	if err != nil || status != 409 || body != "abcde" || !keep {
		t.Fatalf("first: %d %q keep=%v %v", status, body, keep, err)
	}
	status, body, keep, err = readResponse(r)
	if err != nil || status != 200 || body != "ok" || keep {
		t.Fatalf("second: %d %q keep=%v %v, want 200 ok and no keep-alive", status, body, keep, err)
	}
	if _, _, _, err := readResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\n\r\n"))); err == nil {
		t.Fatal("a response without Content-Length was accepted")
	}
}
