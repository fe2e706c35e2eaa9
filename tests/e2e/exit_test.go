package e2e

import (
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestExitStatus runs each way a script can end and checks nsh's exit
// status: 1 for any uncaught error (main chunk or any task, however deep),
// os.exit's code, 0 when errors were caught.
func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	file := func(name, src string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, src)
		return p
	}
	mainErr := file("main.lua", "spawn(function() sleep(0.05) end)\nerror('main failed')\n")
	taskErr := file("task.lua", "local t = spawn(function() sleep(0.05) error('task failed') end)\nprint('main done')\n")
	deepErr := file("deep.lua", "spawn(function()\n  spawn(function() sleep(0.05) error('grandchild failed') end)\nend)\nprint('main done')\n")
	caught := file("caught.lua", "spawn(function() print(pcall(error, 'caught')) end)\n")
	exitAfterFail := file("exitafter.lua", "spawn(function() error('first') end)\nsleep(0.05)\nos.exit(3)\n")
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		errOut string
	}{
		{"main chunk error", "", []string{mainErr}, 1, "main failed"},
		{"task error, main succeeds", "", []string{taskErr}, 1, "task failed"},
		{"error in a task spawned by a task", "", []string{deepErr}, 1, "grandchild failed"},
		{"error caught by pcall in a task", "", []string{caught}, 0, ""},
		{"os.exit(n)", "", []string{"-e", "os.exit(42)"}, 42, ""},
		{"os.exit(0) after a task failed", "", []string{"-e", "spawn(function() error('x') end) sleep(0.05) os.exit(0)"}, 0, "x"},
		{"os.exit(3) in a file after a task failed", "", []string{exitAfterFail}, 3, "first"},
		{"-e task error", "", []string{"-e", "spawn(function() error('e task') end)"}, 1, "e task"},
		{"stdin script task error", "spawn(function() error('stdin task') end)", nil, 1, "stdin task"},
		{"clean script", "", []string{"-e", "spawn(function() sleep(0.01) end)"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := nshtest.Run(t, tc.stdin, 30*time.Second, tc.args...)
			if r.Code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.Code, tc.code, r.Stdout, r.Stderr)
			}
			if !strings.Contains(r.Stderr, tc.errOut) {
				t.Fatalf("stderr %q does not contain %q", r.Stderr, tc.errOut)
			}
		})
	}
}

// TestExitStatusLessonFails: a lesson client that cannot connect exits 1.
func TestExitStatusLessonFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // a port nobody listens on: connect is refused
	r := nshtest.Run(t, "hello\n", 30*time.Second, "lesson", "run", "tcp-upper", "client", "--port", strconv.Itoa(port))
	if r.Code != 1 {
		t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
}

// TestExitStatusSIGINT sends SIGINT to nsh by PID while a script (and a
// lesson server) blocks in accept: nsh exits 130 and its listener is closed,
// so the port can be bound again at once.
func TestExitStatusSIGINT(t *testing.T) {
	script := filepath.Join(t.TempDir(), "srv.lua")
	writeFile(t, script, `
local srv = socket.tcp()
assert(srv:bind("127.0.0.1", 0))
assert(srv:listen(5))
local _, port = srv:getsockname()
spawn(function() sleep(60) end)
print("listening " .. port)
io.stdout:flush()
srv:accept()
print("not reached")
`)
	popper := filepath.Join(t.TempDir(), "pop.lua")
	writeFile(t, popper, `
local srv = socket.tcp()
assert(srv:bind("127.0.0.1", 0))
assert(srv:listen(5))
local _, port = srv:getsockname()
local q = queue.new()
print("waiting " .. port)
io.stdout:flush()
print(q:pop())
print("not reached")
`)
	for _, tc := range []struct {
		name string
		args []string
		re   string
	}{
		{"script", []string{script}, `^listening (\d+)$`},
		{"blocked queue pop", []string{popper}, `^waiting (\d+)$`},
		{"lesson server", []string{"lesson", "run", "tcp-upper", "server", "--port", "0"}, `listening on 127\.0\.0\.1:(\d+)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := nshtest.Start(t, tc.args...)
			m := p.WaitLine(t, tc.re, 20*time.Second)
			port := m[1]
			if err := p.Cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			err := waitExit(p.Cmd, 20*time.Second)
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 130 {
				t.Fatalf("after SIGINT: %v, want exit status 130; stdout %q stderr %q", err, p.Output(), p.Stderr.String())
			}
			if strings.Contains(p.Output(), "not reached") {
				t.Fatalf("the script went on after SIGINT: %q", p.Output())
			}
			if !strings.Contains(p.Stderr.String(), "interrupted") {
				t.Fatalf("stderr %q does not say interrupted", p.Stderr.String())
			}
			ln, err := net.Listen("tcp", "127.0.0.1:"+port)
			if err != nil {
				t.Fatalf("port %s still busy after nsh exited: %v", port, err)
			}
			ln.Close()
		})
	}
}

// waitExit waits for cmd to end, killing it after timeout.
func waitExit(cmd *exec.Cmd, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		cmd.Process.Kill()
		<-done
		return errTimedOut
	}
}

type timedOut struct{}

func (timedOut) Error() string { return "no exit in time" }

var errTimedOut error = timedOut{}

// TestExitStatusHelp: --help documents the exit statuses.
func TestExitStatusHelp(t *testing.T) {
	r := nshtest.Run(t, "", 30*time.Second, "--help")
	for _, want := range []string{"exit status", "130", "os.exit(N)", "task:join"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("--help lacks %q:\n%s", want, r.Stdout)
		}
	}
}
