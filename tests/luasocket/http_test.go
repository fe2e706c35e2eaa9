package luasocket

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startHTTPPeer runs testdata/http_peer.py (Python's http.server) on a
// loopback port and returns the port; it is killed at cleanup.
func startHTTPPeer(t testing.TB) string {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is missing (Debian: python3): no HTTP peer")
	}
	dir, _ := filepath.Abs("testdata")
	cmd := exec.Command("python3", filepath.Join(dir, "http_peer.py"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			port <- strings.TrimSpace(sc.Text())
		}
		close(port)
	}()
	select {
	case p, ok := <-port:
		if !ok || p == "" {
			t.Fatal("the HTTP peer printed no port")
		}
		return p
	case <-time.After(20 * time.Second):
		t.Fatal("the HTTP peer did not start within 20s")
	}
	return ""
}

// TestHTTPSameAsC: LuaSocket's socket.http (simple and generic request
// forms, POST, redirects followed and not, chunked bodies, a 404, a refused
// connection) and socket.url against a Python http.server peer, under nsh
// and C LuaSocket with the same output.
func TestHTTPSameAsC(t *testing.T) {
	t.Setenv("HTTP_PORT", startHTTPPeer(t))
	sameAsC(t, "http.lua")
}
