// Package tls tests nsh's ssl module against TLS peers nobody here wrote:
// openssl s_client and s_server, curl, Python's ssl, LuaSec, tshark.
package tls

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
// line by line; it is killed by PID at cleanup.
type peer struct {
	cmd   *exec.Cmd
	lines chan string
	in    io.WriteCloser
	all   strings.Builder
}

func startPeer(t *testing.T, name string, args ...string) *peer {
	t.Helper()
	cmd := exec.Command(name, args...)
	p := &peer{cmd: cmd, lines: make(chan string, 256)}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if p.in, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return p
}

// wait returns the submatches of the first line matching re.
func (p *peer) wait(t *testing.T, re string, timeout time.Duration) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("peer ended before a line matching %q; it said:\n%s", re, p.all.String())
			}
			p.all.WriteString(line + "\n")
			if m := rx.FindStringSubmatch(line); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no line matching %q within %v; the peer said:\n%s", re, timeout, p.all.String())
		}
	}
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
