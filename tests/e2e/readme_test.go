package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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

// TestREADMEIntroNames checks what the README's first paragraph says about
// names: `socket` is the one global module, and the calls it lists (bind,
// listen, send...) are methods of a socket, none of them a global.
func TestREADMEIntroNames(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(nshtest.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "nsh is a scriptable network shell")
	if start < 0 {
		t.Fatal("README's intro paragraph is gone")
	}
	para := text[start:]
	para = para[:strings.Index(para, "\n\n")]
	// The paragraph names the one global ("one global `socket`") and then
	// the calls, which are its sockets' methods ("its methods are the
	// calls: `bind`, ..."); an older README called them all globals.
	g := regexp.MustCompile("one global `([a-z_]+)`").FindStringSubmatch(para)
	_, calls, ok := strings.Cut(para, "its methods are the calls:")
	if g == nil || g[1] != "socket" || !ok {
		t.Fatalf("README intro no longer says `socket` is the one global and the calls are its methods:\n%s", para)
	}
	calls, _, _ = strings.Cut(calls, "(")
	var names []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(calls, -1) {
		names = append(names, m[1])
	}
	if len(names) < 5 {
		t.Fatalf("intro names %v: fewer than the README listed before?", names)
	}
	code := `local s = socket.socket()
assert(type(socket) == "table", "socket is not a global table")
for _, n in ipairs{"` + strings.Join(names, `","`) + `"} do
  if rawget(_G, n) ~= nil then print("GLOBAL " .. n) end
  if type(s[n]) ~= "function" then print("NOMETHOD " .. n) end
end
s:close()`
	r := nshtest.Run(t, "", 30*time.Second, "-e", code)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "" {
		t.Fatalf("README intro names %v disagree with nsh (exit %d)\nstdout: %s\nstderr: %s", names, r.Code, r.Stdout, r.Stderr)
	}
}

// TestREADMEPortsAreNotLessons: the ports the README's examples use are not
// any lesson's default port, so trying an example beside a lesson (or after
// it) never meets "address already in use".
func TestREADMEPortsAreNotLessons(t *testing.T) {
	root := nshtest.Root()
	metas, err := filepath.Glob(filepath.Join(root, "scripts", "lessons", "*", "meta.json"))
	if err != nil || len(metas) == 0 {
		t.Fatalf("no lesson meta.json found: %v", err)
	}
	lessonPort := map[string]string{}
	for _, m := range metas {
		var meta struct {
			Name string `json:"name"`
			Port int    `json:"port"`
		}
		b, err := os.ReadFile(m)
		if err != nil || json.Unmarshal(b, &meta) != nil {
			t.Fatalf("%s: %v", m, err)
		}
		lessonPort[strconv.Itoa(meta.Port)] = meta.Name
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	echo, err := os.ReadFile(filepath.Join(root, "scripts", "examples", "echo_server.lua"))
	if err != nil {
		t.Fatal(err)
	}
	portRE := regexp.MustCompile(`(?:127\.0\.0\.1:|--port |", |echo_server\.lua |arg\[1\] or ")(\d{2,5})\b`)
	seen := 0
	for _, text := range []string{string(readme), string(echo)} {
		for _, m := range portRE.FindAllStringSubmatch(text, -1) {
			if m[1] == "0" || m[1] == "1" || m[1] == "40123" { // port 0, a refused port, a printed ephemeral port
				continue
			}
			seen++
			if name, ok := lessonPort[m[1]]; ok {
				t.Errorf("README/echo_server.lua use port %s (%q), the %s lesson's port", m[1], m[0], name)
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no port in the README's examples: the pattern is stale")
	}
}
