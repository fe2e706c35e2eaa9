// Package nshtest builds the nsh binary once per test process and runs it as
// a user would: real processes, real pipes, loopback sockets.
package nshtest

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildOut  []byte
)

// InstallLine is the README's install command; Binary builds the same way.
const InstallLine = "CGO_ENABLED=0 go build -o nsh ./cmd/nsh"

// Binary returns the path of an nsh binary built from this checkout as
// InstallLine builds it.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nsh-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "nsh")
		// the README's install line: one static binary, Go's own resolver
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/nsh")
		cmd.Dir = moduleRoot()
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("building nsh: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// Main runs a package's tests and then removes the binary Binary built:
// use it as TestMain (func TestMain(m *testing.M) { nshtest.Main(m) }).
func Main(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// moduleRoot is the folder holding go.mod.
func moduleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// Root returns the module's root folder.
func Root() string { return moduleRoot() }

// Result is a finished nsh run.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs nsh with args and stdin, waiting at most timeout.
func Run(t testing.TB, stdin string, timeout time.Duration, args ...string) Result {
	t.Helper()
	bin := Binary(t) // built before the run's clock starts
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nsh %v: no exit within %v\nstdout: %s\nstderr: %s", args, timeout, out.String(), errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("nsh %v: %v", args, err)
	}
	return Result{out.String(), errb.String(), code}
}

// Proc is a running process (nsh or a peer) whose stdout is read line by line.
type Proc struct {
	Cmd    *exec.Cmd
	lines  chan string
	mu     sync.Mutex
	all    strings.Builder
	Stderr bytes.Buffer
}

// Start runs nsh with args in the background; it is killed (by PID) at cleanup.
func Start(t testing.TB, args ...string) *Proc {
	t.Helper()
	cmd := exec.Command(Binary(t), args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+t.TempDir())
	return StartCommand(t, cmd)
}

// StartCommand starts cmd (nsh or a peer such as openssl) in the background,
// its stdout read line by line and its stderr kept in Proc.Stderr; it is
// killed (by PID) at cleanup. A caller that writes to the process opens
// cmd.StdinPipe before.
func StartCommand(t testing.TB, cmd *exec.Cmd) *Proc {
	t.Helper()
	p := &Proc{Cmd: cmd, lines: make(chan string, 1024)}
	cmd.Stderr = &p.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.all.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
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

// WaitLine waits for a stdout line matching re and returns its submatches.
func (p *Proc) WaitLine(t testing.TB, re string, timeout time.Duration) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("process ended before a line matching %q; stdout:\n%sstderr: %s", re, p.Output(), p.Stderr.String())
			}
			if m := rx.FindStringSubmatch(line); m != nil {
				return m
			}
		case <-deadline:
			t.Fatalf("no line matching %q within %v; stdout:\n%sstderr: %s", re, timeout, p.Output(), p.Stderr.String())
		}
	}
}

// Output returns everything read from stdout so far.
func (p *Proc) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.all.String()
}
