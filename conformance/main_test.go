package conformance

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iamlocal/iamlocal/emulator/emulatortest"
)

// target is one server under test.
type target struct {
	URL    string
	Config aws.Config // root credentials
}

// newTarget gives the test a server in a clean state: its own in-process
// one, or the external IAMLOCAL_ENDPOINT after a reset.
func newTarget(t *testing.T) *target {
	t.Helper()
	if endpoint := os.Getenv("IAMLOCAL_ENDPOINT"); endpoint != "" {
		resp, err := http.Post(endpoint+"/_iamlocal/reset", "application/json", nil)
		if err != nil {
			t.Fatalf("reset %s: %v", endpoint, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("reset %s: status %d", endpoint, resp.StatusCode)
		}
		return &target{URL: endpoint, Config: emulatortest.Config(endpoint, "test", "test", "")}
	}
	t.Parallel()
	srv := emulatortest.Start(t)
	return &target{URL: srv.URL, Config: srv.Config}
}

var ctx = context.Background()
