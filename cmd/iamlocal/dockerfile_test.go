package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dockerfile is what the container runs: its ENV and its ENTRYPOINT.
type dockerfile struct {
	env        map[string]string
	entrypoint []string
	user       string
}

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := dockerfile{env: map[string]string{}}
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch word {
		case "ENV":
			for _, pair := range strings.Fields(rest) {
				k, v, ok := strings.Cut(pair, "=")
				if !ok {
					t.Fatalf("ENV %q is not KEY=value", pair)
				}
				d.env[k] = v
			}
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(rest), &d.entrypoint); err != nil {
				t.Fatalf("ENTRYPOINT %s: %v", rest, err)
			}
		case "USER":
			d.user = rest
		}
	}
	return d
}

// TestDockerfileFlags runs the server as the container would: no Docker
// engine runs in CI, so the image's ENV and ENTRYPOINT are applied to the
// binary's own entry point, with only the port and the volume's place
// changed. It serves another container naming it "iamlocal", keeps its
// state in the volume's file, and guards the admin endpoints with a token.
func TestDockerfileFlags(t *testing.T) {
	d := readDockerfile(t)
	if len(d.entrypoint) < 2 || d.entrypoint[1] != "serve" {
		t.Fatalf("ENTRYPOINT=%q, want the binary and serve", d.entrypoint)
	}
	if d.user == "" || strings.HasPrefix(d.user, "0") || strings.HasPrefix(d.user, "root") {
		t.Fatalf("USER=%q, want a non-root user", d.user)
	}
	volume := t.TempDir()
	for k, v := range d.env {
		switch k {
		case "IAMLOCAL_ADDR":
			if !strings.HasPrefix(v, "0.0.0.0:") {
				t.Fatalf("IAMLOCAL_ADDR=%q, want every interface", v)
			}
			v = "0.0.0.0:0"
		case "IAMLOCAL_DATA":
			if !strings.HasPrefix(v, "/data/") {
				t.Fatalf("IAMLOCAL_DATA=%q, want a file in the /data volume", v)
			}
			v = filepath.Join(volume, strings.TrimPrefix(v, "/data/"))
		}
		t.Setenv(k, v)
	}
	const token = "container-admin-token"
	t.Setenv("IAMLOCAL_ADMIN_TOKEN", token)
	endpoint, _, _ := serve(t, d.entrypoint[2:]...)

	req, _ := http.NewRequest(http.MethodGet, endpoint+"/_iamlocal/health", nil)
	req.Host = "iamlocal:4599"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a request naming host iamlocal: status=%d, want 200", resp.StatusCode)
	}
	if got := adminPost(t, endpoint+"/_iamlocal/reset", "", ""); got != http.StatusForbidden {
		t.Errorf("reset without the admin token: status=%d, want 403", got)
	}
	if got := adminPost(t, endpoint+"/_iamlocal/reset", "Authorization", "Bearer "+token); got != http.StatusOK {
		t.Errorf("reset with the admin token: status=%d, want 200", got)
	}
	info, err := os.Stat(filepath.Join(volume, "iamlocal.db"))
	if err != nil {
		t.Fatalf("no state file in the volume: %v", err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("state file mode=%v, want 0600", got)
	}
}
