package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestStaticBinary: the README's install line is the one the tests build
// with, and it makes a statically linked binary without cgo that still
// resolves names (Go's own resolver, from /etc/hosts).
func TestStaticBinary(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(nshtest.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), nshtest.InstallLine) {
		t.Fatalf("the README does not give the install line %q", nshtest.InstallLine)
	}
	bin := nshtest.Binary(t)
	out, err := exec.Command("go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "CGO_ENABLED=0") {
		t.Fatalf("go version -m does not say CGO_ENABLED=0:\n%s", out)
	}
	if file, err := exec.LookPath("file"); err == nil {
		out, err := exec.Command(file, bin).CombinedOutput()
		if err != nil {
			t.Fatalf("file: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "statically linked") {
			t.Fatalf("file does not say statically linked: %s", out)
		}
	} else {
		t.Log("file(1) not found: checked go version -m only")
	}
	r := nshtest.Run(t, "", 30*time.Second, "-e", `local c = assert(socket.tcp()); print(c:connect("localhost", 1))`)
	if !strings.Contains(r.Stdout+r.Stderr, "connection refused") {
		t.Fatalf("connect to localhost did not resolve and reach the kernel:\nstdout %s\nstderr %s", r.Stdout, r.Stderr)
	}
}
