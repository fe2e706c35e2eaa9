package exec_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/exec"
	"nsh/plugins/plugintest"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		spec  exec.Spec
		check func(t *testing.T, r *exec.Result)
	}{
		{"exit code and both streams", exec.Spec{Argv: []string{"sh", "-c", "echo out; echo err >&2; exit 7"}, MaxOutput: -1},
			func(t *testing.T, r *exec.Result) {
				if string(r.Stdout) != "out\n" || string(r.Stderr) != "err\n" || r.Code != 7 || r.Signal != "" {
					t.Errorf("got %+v", r)
				}
			}},
		{"stdin", exec.Spec{Argv: []string{"cat"}, Stdin: []byte("abc\x00def"), HasStdin: true, MaxOutput: -1},
			func(t *testing.T, r *exec.Result) {
				if string(r.Stdout) != "abc\x00def" {
					t.Errorf("stdout %q", r.Stdout)
				}
			}},
		{"env and cwd", exec.Spec{Argv: []string{"sh", "-c", "echo $X; pwd"}, Env: []string{"X=42", "PATH=" + os.Getenv("PATH")}, Dir: dir, MaxOutput: -1},
			func(t *testing.T, r *exec.Result) {
				real, _ := filepath.EvalSymlinks(dir)
				if string(r.Stdout) != "42\n"+real+"\n" {
					t.Errorf("stdout %q", r.Stdout)
				}
			}},
		{"killed by a signal", exec.Spec{Argv: []string{"sh", "-c", "kill -TERM $$"}, MaxOutput: -1},
			func(t *testing.T, r *exec.Result) {
				if r.Code != -15 || r.Signal != "SIGTERM" || r.TimedOut {
					t.Errorf("got code %d signal %q", r.Code, r.Signal)
				}
			}},
		{"timeout", exec.Spec{Argv: []string{"sleep", "30"}, Timeout: 100 * time.Millisecond, MaxOutput: -1},
			func(t *testing.T, r *exec.Result) {
				if !r.TimedOut || r.Signal != "SIGKILL" || r.Code != -9 {
					t.Errorf("got %+v", r)
				}
			}},
		{"output cap", exec.Spec{Argv: []string{"sh", "-c", "head -c 300000 /dev/zero; head -c 5 /dev/zero >&2"}, MaxOutput: 1000},
			func(t *testing.T, r *exec.Result) {
				if len(r.Stdout) != 1000 || len(r.Stderr) != 5 || !r.Truncated || r.Code != 0 {
					t.Errorf("stdout %d stderr %d truncated %v code %d", len(r.Stdout), len(r.Stderr), r.Truncated, r.Code)
				}
			}},
		{"zero cap keeps nothing", exec.Spec{Argv: []string{"echo", "x"}, MaxOutput: 0},
			func(t *testing.T, r *exec.Result) {
				if len(r.Stdout) != 0 || !r.Truncated {
					t.Errorf("stdout %q truncated %v", r.Stdout, r.Truncated)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := exec.Run(context.Background(), "exec.run", tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

// TestTimeoutKillsTheProcessGroup checks that a background child of a
// timed-out shell dies too.
func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	pidfile := filepath.Join(t.TempDir(), "pid")
	r, err := exec.Run(context.Background(), "exec.shell", exec.Spec{
		Argv:    []string{"sh", "-c", "sleep 30 & echo $! > " + pidfile + "; wait"},
		Timeout: 300 * time.Millisecond, MaxOutput: -1,
	})
	if err != nil || !r.TimedOut {
		t.Fatalf("Run = %+v, %v", r, err)
	}
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(b))
	// SIGKILL was sent to the group before Run returned; give the kernel a
	// bounded moment to finish the background sleep off.
	for i := 0; ; i++ {
		st, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil || strings.Contains(string(st), ") Z ") {
			return // gone, or a zombie waiting for init
		}
		if i == 200 {
			syscall.Kill(mustAtoi(t, pid), syscall.SIGKILL)
			t.Fatalf("background sleep %s survived the timeout: %s", pid, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRunFailures(t *testing.T) {
	dir := t.TempDir()
	noexec := filepath.Join(dir, "script")
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name         string
		spec         exec.Spec
		short, story string
	}{
		{"missing program", exec.Spec{Argv: []string{"no-such-program-xyz"}}, "not found", "exec.run no-such-program-xyz: executable file not found in $PATH"},
		{"missing path", exec.Spec{Argv: []string{"/no/such/prog"}}, "not found", "exec.run /no/such/prog: no such file or directory"},
		{"not executable", exec.Spec{Argv: []string{noexec}}, "permission denied", "exec.run " + noexec + ": permission denied"},
		{"cwd is a file", exec.Spec{Argv: []string{"true"}, Dir: "/etc/passwd"}, "not a directory", "exec.run true: chdir /etc/passwd: not a directory"},
		{"missing cwd", exec.Spec{Argv: []string{"true"}, Dir: "/no/such/dir"}, "no such file or directory", "exec.run true: chdir /no/such/dir: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exec.Run(context.Background(), "exec.run", tt.spec)
			var re *exec.RunError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a RunError", err)
			}
			if re.Short != tt.short || re.Story != tt.story {
				t.Errorf("got %q / %q, want %q / %q", re.Short, re.Story, tt.short, tt.story)
			}
		})
	}
}

func TestRunCancelKillsChild(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The child says it started through a FIFO, then sleeps; we cancel then.
	fifo := filepath.Join(t.TempDir(), "ready")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		defer cancel()
		f, err := os.Open(fifo)
		if err != nil {
			return
		}
		defer f.Close()
		bufio.NewReader(f).ReadString('\n')
	}()
	start := time.Now()
	_, err := exec.Run(ctx, "exec.run", exec.Spec{Argv: []string{"sh", "-c", "echo ready > " + fifo + "; sleep 30"}})
	var re *exec.RunError
	if !errors.As(err, &re) || re.Short != "interrupted" || re.Story != "exec.run sh: interrupted" {
		t.Fatalf("err = %v, want interrupted", err)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("cancel did not kill the child")
	}
}

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "exec"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/exec_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestMisuseRaises(t *testing.T) {
	L, _ := newState(t)
	tests := []struct{ code, want string }{
		{`exec.run("ls -l")`, "exec.run: argument #1 must be an argv table"},
		{`exec.run({})`, "exec.run: argument #1: argv is empty"},
		{`exec.run({"ls", {}})`, "exec.run: argument #1: argv[2] must be a string"},
		{`exec.run({cmd = "ls"})`, "needs shell=true"},
		{`exec.run({"ls"}, {timout = 1})`, "exec.run: unknown option timout"},
		{`exec.run({"ls"}, {timeout = -1})`, "option timeout must be a positive number"},
		{`exec.run({"ls"}, {max_output = 1.5})`, "option max_output must be a whole number"},
		{`exec.run({"ls"}, {env = {X = {}}})`, "option env.X must be a string"},
		{`exec.run({"ls"}, {env = {["A=B"] = "c"}})`, `option env: name "A=B" must not contain '='`},
		{`exec.run({"ls"}, "x")`, "argument #2 (opts) must be a table"},
		{`exec.shell(nil)`, "exec.shell: argument #1 (cmdline) must be a string"},
		{`exec.which()`, "exec.which: argument #1 (name) must be a string"},
	}
	for _, tt := range tests {
		err := L.DoString(tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.code, err, tt.want)
		}
	}
}

func TestLuaInterrupted(t *testing.T) {
	L, h := newState(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.Ctx = ctx
	err := L.DoString(`
		local r, err, story = exec.run({"sleep", "30"})
		assert(r == nil and err == "interrupted" and story == "exec.run sleep: interrupted", tostring(story))`)
	if err != nil {
		t.Fatal(err)
	}
}
