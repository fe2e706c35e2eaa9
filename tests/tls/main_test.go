// Package tls tests nsh's ssl module against TLS peers nobody here wrote:
// openssl s_client and s_server, curl, Python's ssl, LuaSec, tshark.
package tls

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
	"nsh/netcore"
)

// TestMain removes the nsh binary the tests built when they end.
func TestMain(m *testing.M) { nshtest.Main(m) }

// need skips the test when a peer program is missing.
func need(t *testing.T, prog string) string {
	t.Helper()
	p, err := exec.LookPath(prog)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install %s)", prog, map[string]string{
			"openssl": "openssl", "curl": "curl", "python3": "python3", "tshark": "tshark", "lua5.1": "lua5.1 lua-sec",
		}[prog])
	}
	return p
}

// certFiles writes a certificate for hosts and its key into dir.
func certFiles(t *testing.T, dir string, r netcore.CertRequest) (cert, key string) {
	t.Helper()
	if r.Hosts == nil {
		r.Hosts = []string{"localhost", "127.0.0.1"}
	}
	cp, kp, err := netcore.SelfSigned(r)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, cp, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, kp, 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// script writes a Lua script into dir and returns its path.
func script(t *testing.T, dir, name, code string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// peer is a running helper process (openssl, python) whose stdout is read
// line by line and whose stdin is a pipe; it is killed by PID at cleanup.
type peer struct {
	*nshtest.Proc
	in io.WriteCloser
}

func startPeer(t *testing.T, name string, args ...string) *peer {
	t.Helper()
	cmd := exec.Command(name, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	return &peer{nshtest.StartCommand(t, cmd), in}
}

// run runs nsh with a script and arguments, bounded.
func run(t *testing.T, stdin string, args ...string) nshtest.Result {
	t.Helper()
	return nshtest.Run(t, stdin, 60*time.Second, args...)
}

// contains fails unless s contains every one of want.
func contains(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Fatalf("%s: missing %q in:\n%s", what, w, s)
		}
	}
}

// runLua runs a lua5.1 script (C LuaSocket and LuaSec) and returns its output.
func runLua(t *testing.T, dir, name, code string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "lua5.1", append([]string{script(t, dir, name, code)}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("lua5.1 %s: %v\n%s", name, err, out)
	}
	return string(out)
}
