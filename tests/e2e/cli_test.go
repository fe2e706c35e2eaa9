// Package e2e runs the built nsh binary as a user would.
package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

func TestCommandLine(t *testing.T) {
	script := filepath.Join(t.TempDir(), "s.lua")
	writeFile(t, script, `print("args", arg[0] ~= nil, ...)`)
	failing := filepath.Join(t.TempDir(), "fail.lua")
	writeFile(t, failing, "local function f()\n  error('kaboom')\nend\nf()\n")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		out    string // substring of stdout
		errOut string // substring of stderr
	}{
		{"version", "", []string{"--version"}, 0, "nsh ", ""},
		{"help", "", []string{"--help"}, 0, "usage: nsh", ""},
		{"bad option", "", []string{"--frobnicate"}, 2, "", "unknown option --frobnicate"},
		{"-e missing arg", "", []string{"-e"}, 2, "", "-e needs an argument"},
		{"-e", "", []string{"-e", "print(1+1)"}, 0, "2\n", ""},
		{"-e repeated then file", "", []string{"-e", "x = 40", "-e", "print(x+2)", script, "a", "b"}, 0, "42\nargs\ttrue\ta\tb\n", ""},
		{"file args", "", []string{script, "one"}, 0, "args\ttrue\tone\n", ""},
		{"stdin script", "print('from stdin')", nil, 0, "from stdin\n", ""},
		{"dash reads stdin", "print(...)", []string{"-", "x"}, 0, "x\n", ""},
		{"error exit 1 with traceback", "", []string{failing}, 1, "", "kaboom"},
		{"os.exit code", "", []string{"-e", "os.exit(7)"}, 7, "", ""},
		{"missing file", "", []string{"/nonexistent/x.lua"}, 1, "", "no such file"},
		{"no-color", "", []string{"--no-color", "-e", "print('ok')"}, 0, "ok\n", ""},
		{"plugins", "", []string{"plugins"}, 0, "socket", ""},
		{"plugins takes no arguments", "", []string{"plugins", "x"}, 2, "", "usage: nsh plugins"},
		{"lesson without a verb", "", []string{"lesson"}, 2, "", "usage: nsh lesson"},
		{"syntax error exit 1", "", []string{"-e", "x ="}, 1, "", "syntax error"},
		{"-e error stops before FILE", "", []string{"-e", "error('first')", script}, 1, "", "first"},
		{"task error reported, script exits 1", "", []string{"-e", "spawn(function() error('in task') end)"}, 1, "",
			"failed: (command line -e #1):1: in task\nstack traceback:"},
		{"os.exit in a task ends the script", "", []string{"-e", "spawn(function() os.exit(6) end) sleep(30) print('not reached')"}, 6, "", ""},
		{"args after FILE are the script's", "", []string{script, "--no-color", "-e"}, 0, "args\ttrue\t--no-color\t-e\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := nshtest.Run(t, tc.stdin, 30*time.Second, tc.args...)
			if r.Code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.Code, tc.code, r.Stdout, r.Stderr)
			}
			if !strings.Contains(r.Stdout, tc.out) {
				t.Fatalf("stdout %q does not contain %q (stderr %q)", r.Stdout, tc.out, r.Stderr)
			}
			if !strings.Contains(r.Stderr, tc.errOut) {
				t.Fatalf("stderr %q does not contain %q", r.Stderr, tc.errOut)
			}
		})
	}
	t.Run("traceback names the line", func(t *testing.T) {
		r := nshtest.Run(t, "", 30*time.Second, failing)
		if !strings.Contains(r.Stderr, "fail.lua:2") || !strings.Contains(r.Stderr, "stack traceback") {
			t.Fatalf("stderr lacks location or traceback: %s", r.Stderr)
		}
	})
}

// TestEchoServerAndClientProcesses runs the bundled echo server and a Lua
// client as two nsh processes over loopback.
func TestEchoServerAndClientProcesses(t *testing.T) {
	server := filepath.Join(nshtest.Root(), "scripts", "examples", "echo_server.lua")
	p := nshtest.Start(t, server, "0")
	m := p.WaitLine(t, `listening on 127\.0\.0\.1:(\d+)`, 20*time.Second)
	client := `
local c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
assert(c:connect("127.0.0.1", tonumber(arg[1])))
while true do
  local line = input()
  if not line then break end
  assert(c:sendall(line))
  local want, got = #line, ""
  while #got < want do got = got .. assert(c:recv(want - #got)) end
  print(got)
end
c:close()
`
	clientFile := filepath.Join(t.TempDir(), "client.lua")
	writeFile(t, clientFile, client)
	r := nshtest.Run(t, "hello\nnsh world\n", 30*time.Second, clientFile, m[1])
	if r.Code != 0 || r.Stdout != "HELLO\nNSH WORLD\n" {
		t.Fatalf("exit %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}

// TestThousandClientTasks runs a server task and 1,000 client tasks in one
// script; every answer is checked inside the script.
func TestThousandClientTasks(t *testing.T) {
	script := filepath.Join(nshtest.Root(), "scripts", "examples", "many_clients.lua")
	r := nshtest.Run(t, "", 120*time.Second, script, "1000", "3")
	if r.Code != 0 || !strings.Contains(r.Stdout, "1000 clients, 3000 answers checked") {
		t.Fatalf("exit %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
