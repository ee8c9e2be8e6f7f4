package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// client sends signed Query requests over plain HTTP/1.1 keep-alive
// connections, written and read by hand: net/http's client, let alone the
// SDK's, would cost more CPU than the server being measured, on the cores
// they share.
type client struct {
	host   string // host:port
	root   creds
	conns  chan *rawConn
	signer *signer
}

// creds sign requests; token is set for temporary credentials.
type creds struct{ id, secret, token string }

var versions = map[string]string{"iam": "2010-05-08", "sts": "2011-06-15"}

type rawConn struct {
	net.Conn
	r   *bufio.Reader
	buf []byte
}

func newClient(endpoint, id, secret string, conns int) *client {
	host := strings.TrimSuffix(strings.TrimPrefix(endpoint, "http://"), "/")
	return &client{host: host, root: creds{id, secret, ""}, conns: make(chan *rawConn, conns*2), signer: &signer{}}
}

func (cl *client) conn() (*rawConn, error) {
	select {
	case c := <-cl.conns:
		return c, nil
	default:
	}
	c, err := net.DialTimeout("tcp", cl.host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c, r: bufio.NewReaderSize(c, 16<<10)}, nil
}

func (cl *client) release(c *rawConn) {
	select {
	case cl.conns <- c:
	default:
		c.Close()
	}
}

// call sends Action with params to service, signed with k, and returns the
// status and body.
func (cl *client) call(_ context.Context, k creds, service, action string, params ...string) (int, string, error) {
	form := url.Values{"Action": {action}, "Version": {versions[service]}}
	for i := 0; i+1 < len(params); i += 2 {
		form.Set(params[i], params[i+1])
	}
	body := []byte(form.Encode())
	date, auth := cl.signer.sign(cl.host, body, k, service, "us-east-1", time.Now())
	c, err := cl.conn()
	if err != nil {
		return 0, "", err
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	c.buf = fmt.Appendf(c.buf[:0], "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nX-Amz-Date: %s\r\nAuthorization: %s\r\n\r\n",
		cl.host, formType, len(body), date, auth)
	if k.token != "" {
		c.buf = fmt.Appendf(c.buf[:len(c.buf)-2], "X-Amz-Security-Token: %s\r\n\r\n", k.token)
	}
	c.buf = append(c.buf, body...)
	if _, err := c.Write(c.buf); err != nil {
		c.Close()
		return 0, "", err
	}
	status, respBody, keep, err := readResponse(c.r)
	if err != nil || !keep {
		c.Close()
	} else {
		cl.release(c)
	}
	return status, respBody, err
}

// readResponse reads one HTTP/1.1 response with a Content-Length body.
func readResponse(r *bufio.Reader) (status int, body string, keepAlive bool, err error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return 0, "", false, err
	}
	if len(line) < 12 || !strings.HasPrefix(line, "HTTP/1.1 ") {
		return 0, "", false, fmt.Errorf("bad status line %q", line)
	}
	if status, err = strconv.Atoi(line[9:12]); err != nil {
		return 0, "", false, fmt.Errorf("bad status line %q", line)
	}
	length, keepAlive := -1, true
	for {
		h, err := r.ReadString('\n')
		if err != nil {
			return 0, "", false, err
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		switch strings.ToLower(name) {
		case "content-length":
			length, _ = strconv.Atoi(strings.TrimSpace(value))
		case "connection":
			keepAlive = !strings.EqualFold(strings.TrimSpace(value), "close")
		}
	}
	if length < 0 {
		return 0, "", false, errors.New("response without Content-Length")
	}
	b := make([]byte, length)
	if _, err := io.ReadFull(r, b); err != nil {
		return 0, "", false, err
	}
	return status, string(b), keepAlive, nil
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
