package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client sends signed Query requests. It builds the form by hand: the SDK
// clients would cost more than the server being measured.
type client struct {
	endpoint string
	root     creds
	http     *http.Client
	signer   *signer
}

type creds struct{ id, secret string }

var versions = map[string]string{"iam": "2010-05-08", "sts": "2011-06-15"}

func newClient(endpoint, id, secret string, conns int) *client {
	t := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     time.Minute,
	}
	return &client{endpoint: strings.TrimRight(endpoint, "/") + "/", root: creds{id, secret}, http: &http.Client{Transport: t, Timeout: 30 * time.Second}, signer: &signer{}}
}

// call sends Action with params to service, signed with k, and returns the
// status and body.
func (cl *client) call(ctx context.Context, k creds, service, action string, params ...string) (int, string, error) {
	form := url.Values{"Action": {action}, "Version": {versions[service]}}
	for i := 0; i+1 < len(params); i += 2 {
		form.Set(params[i], params[i+1])
	}
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cl.endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	cl.signer.sign(req, body, k, service, "us-east-1", time.Now())
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// must is call for setup steps: anything but 2xx is an error.
func (cl *client) must(ctx context.Context, k creds, service, action string, params ...string) (string, error) {
	status, body, err := cl.call(ctx, k, service, action, params...)
	if err != nil {
		return "", err
	}
	if status/100 != 2 {
		return body, fmt.Errorf("%s: HTTP %d: %s", action, status, body)
	}
	return body, nil
}

// element returns the text of the first <name> element in an XML document.
func element(doc, name string) string {
	open := "<" + name + ">"
	i := strings.Index(doc, open)
	if i < 0 {
		return ""
	}
	rest := doc[i+len(open):]
	j := strings.Index(rest, "</"+name+">")
	if j < 0 {
		return ""
	}
	return rest[:j]
}
