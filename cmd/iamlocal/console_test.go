package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServeConsole: the server prints the console's URL and serves its
// sign-in page there, the account filled in from AWS's URL form.
func TestServeConsole(t *testing.T) {
	endpoint, stderr, stop := serve(t, "--addr", "127.0.0.1:0", "--ephemeral")
	defer stop()
	line := "iamlocal: console " + endpoint + "/console/ (IAM users with a password sign in at " + endpoint + "/console/123456789012)\n"
	if out := stderr.String(); !strings.Contains(out, line) {
		t.Fatalf("the banner lacks %q:\n%s", line, out)
	}
	resp, err := http.Get(endpoint + "/console/123456789012")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if got, want := resp.StatusCode, http.StatusOK; got != want {
		t.Fatalf("status=%d, want %d", got, want)
	}
	if !strings.Contains(string(body), `name="account" value="123456789012"`) {
		t.Fatalf("no sign-in form for the account:\n%s", body)
	}
}
