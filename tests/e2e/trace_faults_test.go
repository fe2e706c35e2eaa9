package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"nsh/internal/nshtest"
)

// TestTraceBigTransferBounded: 100 MB through a socket traced with
// {max=64} keeps memory bounded (the trace holds no data) and the trace
// small; the bytes arrive intact.
func TestTraceBigTransferBounded(t *testing.T) {
	dir := t.TempDir()
	script, trace := filepath.Join(dir, "big.lua"), filepath.Join(dir, "big.txt")
	writeFile(t, script, `
if arg[1] then socket.trace{max = 64, file = arg[1]} end
local srv = assert(socket.bind("127.0.0.1", 0))
local port = select(2, srv:getsockname())
local got = 0
local reader = spawn(function()
  local a = assert(srv:accept())
  while true do
    local b = a:recv(65536)
    if b == nil or b == "" then break end
    got = got + #b
  end
  a:close()
end)
local c = assert(socket.connect("127.0.0.1", port))
local chunk = string.rep("x", 1048576)
for i = 1, 100 do assert(c:sendall(chunk)) end
c:close()
reader:join()
print(got)`)
	// The same transfer untraced is the reference: a trace that kept the
	// bytes would add 100 MiB to it.
	peak := func(args ...string) int64 {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, nshtest.Binary(t), append([]string{script}, args...)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != strconv.Itoa(100<<20) {
			t.Fatalf("%v: %s", err, out)
		}
		return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // Linux gives KiB
	}
	traced, untraced := peak(trace), peak()
	t.Logf("peak resident set: %d MiB traced with max=64, %d MiB untraced", traced>>20, untraced>>20)
	if traced > untraced+40<<20 {
		t.Errorf("tracing 100 MiB with max=64 peaked at %d MiB, untraced %d MiB", traced>>20, untraced>>20)
	}
	st, err := os.Stat(trace)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(trace)
	if !strings.Contains(string(b), "send 1048576 bytes\n00000000: 7878") || !strings.Contains(string(b), "... 1048512 more bytes\n") {
		t.Errorf("trace of a 1 MiB send:\n%.600s", b)
	}
	if st.Size() > 4<<20 {
		t.Errorf("the trace of 100 MiB with max=64 is %d bytes", st.Size())
	}
}

// TestTraceCloseMidDump: a task closes a traced socket while another is in
// a big traced sendall; both end with a message, nsh with its usual status.
func TestTraceCloseMidDump(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "mid.lua")
	writeFile(t, script, `
socket.trace{max = 64, file = arg[1]}
local srv = assert(socket.bind("127.0.0.1", 0))
local port = select(2, srv:getsockname())
local c = assert(socket.connect("127.0.0.1", port))
local a = assert(srv:accept())
local sender = spawn(function() return c:sendall(string.rep("y", 64 * 1048576)) end)
sleep(0.2)
c:close()
print("join", sender:join())
a:close()
print("done")`)
	r := nshtest.Run(t, "", 30*time.Second, script, filepath.Join(dir, "mid.txt"))
	if r.Code != 0 || !strings.Contains(r.Stdout, "join\ttrue\tnil\tclosed") || !strings.HasSuffix(r.Stdout, "done\n") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "mid.txt"))
	if !regexp.MustCompile(`#2 tcp \S+ -> \S+ close\n`).Match(b) || !regexp.MustCompile(`#2 tcp \S+ -> \S+ send error: closed( after \d+ bytes)?\n`).Match(b) {
		t.Errorf("trace:\n%s", b)
	}
}

// TestTraceClosedTerminal: when the terminal the trace goes to goes away,
// the trace stops and the script runs on to its end.
func TestTraceClosedTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer tty.Close()
	dir := t.TempDir()
	script := filepath.Join(dir, "term.lua")
	writeFile(t, script, `
local srv = assert(socket.bind("127.0.0.1", 0))
local port = select(2, srv:getsockname())
print("ready")
io.read()
for i = 1, 50 do
  local c = assert(socket.connect("127.0.0.1", port))
  local a = assert(srv:accept())
  assert(c:send("x")) assert(a:recv(1))
  c:close() a:close()
end
print("done")`)
	cmd := exec.Command(nshtest.Binary(t), "--trace", script)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+t.TempDir())
	cmd.Stderr = tty
	stdout, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	traced := make(chan string, 1)
	go func() { // read the terminal until it is closed
		buf := make([]byte, 4096)
		n, _ := ptmx.Read(buf)
		traced <- string(buf[:n])
		for {
			if _, err := ptmx.Read(buf); err != nil {
				return
			}
		}
	}()
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); line != "ready\n" {
		t.Fatalf("first line %q %v", line, err)
	}
	select {
	case first := <-traced:
		if !strings.Contains(first, " bind") {
			t.Errorf("the terminal showed %q first, not the bind", first)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no trace on the terminal")
	}
	ptmx.Close()
	tty.Close()
	fmt.Fprintln(stdin, "go")
	stdin.Close()
	done := make(chan string, 1)
	go func() {
		rest, _ := io.ReadAll(out)
		done <- string(rest)
	}()
	select {
	case rest := <-done:
		if err := cmd.Wait(); err != nil || rest != "done\n" {
			t.Errorf("after the terminal closed: %v, stdout %q", err, rest)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("nsh hangs after its terminal closed")
	}
}

// TestTraceColours: on a terminal the sent and received bytes come in two
// colours; NO_COLOR and --no-color make the trace plain.
func TestTraceColours(t *testing.T) {
	code := `local srv = socket.bind("127.0.0.1", 0)
local c = socket.connect("127.0.0.1", select(2, srv:getsockname()))
local a = srv:accept()
c:send("ping") a:recv(4)`
	for _, tc := range []struct {
		name   string
		env    []string
		args   []string
		colour bool
	}{
		{"terminal", nil, nil, true},
		{"NO_COLOR", []string{"NO_COLOR=1"}, nil, false},
		{"--no-color", nil, []string{"--no-color"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(nshtest.Binary(t), append(append(tc.args, "--trace"), "-e", code)...)
			env := []string{"NSH_PLUGIN_PATH=" + t.TempDir()}
			for _, e := range os.Environ() {
				if !strings.HasPrefix(e, "NO_COLOR=") {
					env = append(env, e)
				}
			}
			cmd.Env = append(env, tc.env...)
			ptmx, err := pty.Start(cmd)
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer ptmx.Close()
			out, _ := io.ReadAll(ptmx) // EIO once nsh has exited
			cmd.Wait()
			text := string(out)
			sent := strings.Contains(text, "\x1b[36msend 4 bytes") && strings.Contains(text, "\x1b[36m7069 6e67")
			recv := strings.Contains(text, "\x1b[35mrecv 4 bytes") && strings.Contains(text, "\x1b[35m7069 6e67")
			if tc.colour && !(sent && recv) {
				t.Errorf("no sent/received colours on a terminal:\n%q", text)
			}
			if !tc.colour && strings.Contains(text, "\x1b[") {
				t.Errorf("escapes with %s:\n%q", tc.name, text)
			}
			if !strings.Contains(text, "send 4 bytes") || !strings.Contains(text, "recv 4 bytes") {
				t.Errorf("no trace:\n%q", text)
			}
		})
	}
}
