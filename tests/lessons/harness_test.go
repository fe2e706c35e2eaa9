// Package lessons_test runs the bundled lessons end to end: the built nsh
// binary as server and client over loopback, and the Python originals under
// testdata/ talking to their nsh counterparts in both directions.
//
// The harness (this file) builds nsh once, starts servers with --port 0 and
// waits for their ready line "listening on HOST:PORT", runs clients with
// stdin, and kills only the processes it started, by PID, in t.Cleanup.
package lessons_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeouts of the harness: how long a server may take to print its ready
// line or an awaited text, and how long one client run may take.
const (
	readyTimeout  = 15 * time.Second
	clientTimeout = 30 * time.Second
)

var (
	nshBin     string // the nsh binary built by TestMain
	testdata   string // absolute path of testdata/
	pluginPath string // an empty NSH_PLUGIN_PATH so user plugins stay out
	readyLine  = regexp.MustCompile(`listening on (\S+)`)
)

// TestMain builds ./cmd/nsh once into a temporary directory.
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "nsh-lessons-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lessons: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	nshBin = filepath.Join(dir, "nsh")
	pluginPath = filepath.Join(dir, "plugins")
	if err := os.Mkdir(pluginPath, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "lessons:", err)
		return 1
	}
	build := exec.Command("go", "build", "-o", nshBin, "nsh/cmd/nsh")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // as the README's install line builds it
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "lessons: go build nsh/cmd/nsh:", err)
		return 1
	}
	if testdata, err = filepath.Abs("testdata"); err != nil {
		fmt.Fprintln(os.Stderr, "lessons:", err)
		return 1
	}
	return m.Run()
}

// testEnv is the environment of every process the harness starts.
func testEnv() []string {
	return append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+pluginPath, "PYTHONIOENCODING=utf-8", "PYTHONDONTWRITEBYTECODE=1")
}

// output collects a process's stream and wakes waiters on every write.
type output struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{} // closed and replaced on every write
}

func newOutput() *output { return &output{notify: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	close(o.notify)
	o.notify = make(chan struct{})
	return len(p), nil
}

// snapshot returns the text so far and a channel closed on the next write.
func (o *output) snapshot() (string, <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String(), o.notify
}

// Server is a lesson server process (nsh or Python) started by the harness.
type Server struct {
	Host string
	Port int
	Addr string // HOST:PORT as printed in the ready line

	name   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *output
	stderr *output
	done   chan struct{} // closed when the process has exited
	code   int
}

// Stdout returns everything the server printed on stdout so far.
func (s *Server) Stdout() string { out, _ := s.stdout.snapshot(); return out }

// Stderr returns everything the server printed on stderr so far.
func (s *Server) Stderr() string { out, _ := s.stderr.snapshot(); return out }

// Send writes text to the server's stdin (the operator's typing).
func (s *Server) Send(t *testing.T, text string) {
	t.Helper()
	if _, err := io.WriteString(s.stdin, text); err != nil {
		t.Fatalf("%s: write stdin: %v", s.name, err)
	}
}

// CloseStdin ends the server's input.
func (s *Server) CloseStdin() { s.stdin.Close() }

// WaitFor waits until the server's stdout contains text and returns the
// stdout so far. It fails the test after readyTimeout or when the server exits.
func (s *Server) WaitFor(t *testing.T, text string) string {
	t.Helper()
	out, err := s.waitMatch(func(out string) bool { return strings.Contains(out, text) })
	if err != nil {
		t.Fatalf("%s: waiting for %q: %v\nstdout:\n%s\nstderr:\n%s", s.name, text, err, out, s.Stderr())
	}
	return out
}

// WaitCount waits until text occurs at least n times on the server's stdout.
func (s *Server) WaitCount(t *testing.T, text string, n int) string {
	t.Helper()
	out, err := s.waitMatch(func(out string) bool { return strings.Count(out, text) >= n })
	if err != nil {
		t.Fatalf("%s: waiting for %d× %q: %v\nstdout:\n%s\nstderr:\n%s", s.name, n, text, err, out, s.Stderr())
	}
	return out
}

func (s *Server) waitMatch(ok func(string) bool) (string, error) {
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	for {
		out, next := s.stdout.snapshot()
		if ok(out) {
			return out, nil
		}
		select {
		case <-next:
		case <-s.done:
			if out, _ := s.stdout.snapshot(); ok(out) {
				return out, nil
			}
			return out, fmt.Errorf("process exited with status %d", s.code)
		case <-deadline.C:
			return out, fmt.Errorf("timed out after %v", readyTimeout)
		}
	}
}

// Stop kills the server (by PID) and waits (up to readyTimeout) for it to end.
func (s *Server) Stop() error {
	s.stdin.Close()
	select {
	case <-s.done:
		return nil
	default:
	}
	s.cmd.Process.Kill()
	select {
	case <-s.done:
		return nil
	case <-time.After(readyTimeout):
		return fmt.Errorf("%s: pid %d still running after SIGKILL", s.name, s.cmd.Process.Pid)
	}
}

// WaitExit waits (up to clientTimeout) for the server process to end on its
// own and returns its exit status.
func (s *Server) WaitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-s.done:
		return s.code
	case <-time.After(clientTimeout):
		t.Fatalf("%s: still running after %v\nstdout:\n%s", s.name, clientTimeout, s.Stdout())
		return -1
	}
}

// start runs argv in dir, registers its kill in t.Cleanup and waits for the
// ready line.
func start(t *testing.T, name, dir string, argv ...string) *Server {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = testEnv()
	s := &Server{name: name, cmd: cmd, stdout: newOutput(), stderr: newOutput(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.stdout, s.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	s.stdin = stdin
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: start %v: %v", name, argv, err)
	}
	go func() {
		err := cmd.Wait()
		s.code = exitCode(err)
		close(s.done)
	}()
	t.Cleanup(func() {
		if err := s.Stop(); err != nil { // our own child, by PID
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("%s stdout:\n%s\n%s stderr:\n%s", name, s.Stdout(), name, s.Stderr())
		}
	})
	out, err := s.waitMatch(func(out string) bool { return readyLine.MatchString(out) })
	if err != nil {
		t.Fatalf("%s: no ready line: %v\nstdout:\n%s\nstderr:\n%s", name, err, out, s.Stderr())
	}
	s.Addr = readyLine.FindStringSubmatch(out)[1]
	host, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		t.Fatalf("%s: ready line address %q: %v", name, s.Addr, err)
	}
	s.Host = host
	if s.Port, err = strconv.Atoi(port); err != nil || s.Port == 0 {
		t.Fatalf("%s: ready line port %q", name, port)
	}
	return s
}

func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	default:
		return -1
	}
}

// startServer runs `nsh lesson run NAME server --port 0 ARGS...` in a fresh
// temporary directory and waits for its ready line.
func startServer(t *testing.T, name string, args ...string) *Server {
	t.Helper()
	return startServerIn(t, t.TempDir(), name, args...)
}

// startServerIn is startServer with working directory dir.
func startServerIn(t *testing.T, dir, name string, args ...string) *Server {
	t.Helper()
	argv := append([]string{nshBin, "lesson", "run", name, "server", "--port", "0"}, args...)
	return start(t, "nsh "+name+" server", dir, argv...)
}

// Result is what a finished client process left behind.
type Result struct {
	Stdout string
	Stderr string
	Code   int
}

// run runs argv in dir with stdin and waits up to clientTimeout.
func run(t *testing.T, dir, stdin string, argv ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...) // killed by PID on timeout
	cmd.Dir = dir
	cmd.Env = testEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v: timed out after %v\nstdout:\n%s\nstderr:\n%s", argv, clientTimeout, out.String(), errOut.String())
	}
	if err != nil && exitCode(err) < 0 {
		t.Fatalf("%v: %v", argv, err)
	}
	return Result{Stdout: out.String(), Stderr: errOut.String(), Code: exitCode(err)}
}

// runNsh runs nsh with args in dir (a fresh temp dir when dir is "").
func runNsh(t *testing.T, dir, stdin string, args ...string) Result {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	return run(t, dir, stdin, append([]string{nshBin}, args...)...)
}

// runClient runs `nsh lesson run NAME client --host 127.0.0.1 --port PORT ARGS...`.
func runClient(t *testing.T, name string, port int, stdin string, args ...string) Result {
	t.Helper()
	return runClientIn(t, t.TempDir(), name, port, stdin, args...)
}

// runClientIn is runClient with working directory dir.
func runClientIn(t *testing.T, dir, name string, port int, stdin string, args ...string) Result {
	t.Helper()
	argv := append([]string{"lesson", "run", name, "client", "--host", "127.0.0.1", "--port", strconv.Itoa(port)}, args...)
	return runNsh(t, dir, stdin, argv...)
}

// wantLines fails unless every want occurs in got, in order.
func wantLines(t *testing.T, what, got string, want ...string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("%s: missing %q (in order) in:\n%s", what, w, got)
		}
		rest = rest[i+len(w):]
	}
}
