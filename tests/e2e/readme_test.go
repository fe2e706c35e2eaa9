package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestREADMEFirstSession types the README's "A first session" lines into
// the REPL (nsh -i on a pipe) and checks that none raises and that the
// echo comes back upper-cased.
func TestREADMEFirstSession(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(nshtest.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "nsh> "); ok {
			lines = append(lines, rest)
		}
	}
	if len(lines) < 5 {
		t.Fatalf("README has %d nsh> lines; the first session is gone?", len(lines))
	}
	r := nshtest.Run(t, strings.Join(lines, "\n")+"\n", 30*time.Second, "-i")
	if r.Code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
	// A raised error prints "stdin:N: fn: message"; a failed call's story
	// ("connect 127.0.0.1:1: ...") is what the README shows and is fine.
	if m := regexp.MustCompile(`(?m)^stdin:\d+: .*$`).FindString(r.Stdout + r.Stderr); m != "" {
		t.Fatalf("a README line raised: %s\nstdout: %s\nstderr: %s", m, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stdout, `"HELLO"`) {
		t.Fatalf("no HELLO echoed\nstdout: %s\nstderr: %s", r.Stdout, r.Stderr)
	}
}
