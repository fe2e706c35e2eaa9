package exec

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	osexec "os/exec"
	"strings"
	"syscall"
	"time"
)

// DefaultMaxOutput is how many bytes of stdout and of stderr a run keeps
// when the caller gives no max_output.
const DefaultMaxOutput = 1 << 20

// Spec is one child process to run, copied out of Lua before any waiting.
type Spec struct {
	Argv      []string
	Stdin     []byte
	HasStdin  bool
	Env       []string // nil: inherit the session's environment
	Dir       string
	Timeout   time.Duration // 0: none
	MaxOutput int
	// Name is how stories name the command (default Argv[0]).
	Name string
}

// name is how stories name the command.
func (s Spec) name() string {
	if s.Name != "" {
		return s.Name
	}
	return s.Argv[0]
}

// Result is how a child process ended.
type Result struct {
	Stdout, Stderr []byte
	Code           int    // exit code; -N when killed by signal N, as Python's returncode
	Signal         string // "SIGKILL" when killed by a signal, else ""
	TimedOut       bool
	Truncated      bool
	Elapsed        time.Duration
}

// RunError is a failure to run a child at all; Short is the LuaSocket-style
// word ("not found", "permission denied", "interrupted"), Story the whole sentence.
type RunError struct {
	Short, Story string
}

func (e *RunError) Error() string { return e.Story }

// capWriter keeps the first max bytes written to it and drops the rest,
// remembering that it did, so a chatty child never blocks on a full pipe.
type capWriter struct {
	buf       []byte
	max       int
	truncated bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	room := w.max - len(w.buf)
	if room < len(p) {
		w.truncated = true
		if room > 0 {
			w.buf = append(w.buf, p[:room]...)
		}
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// Run starts s and waits for it, killing it (and its process group) when the
// timeout passes or ctx is cancelled. A timed-out or killed child is a
// Result, not an error; a cancelled ctx is the error "interrupted".
func Run(ctx context.Context, op string, s Spec) (*Result, error) {
	if len(s.Argv) == 0 {
		return nil, &RunError{"invalid argument", op + ": empty argv"}
	}
	max := s.MaxOutput
	if max < 0 {
		max = DefaultMaxOutput
	}
	if s.Dir != "" {
		// A failed chdir in the child looks like a missing program; say which.
		if fi, err := os.Stat(s.Dir); err != nil || !fi.IsDir() {
			var cause error = syscall.ENOTDIR
			if err != nil {
				cause = errors.Unwrap(err)
			}
			return nil, startError(op, s.name(), &fs.PathError{Op: "chdir", Path: s.Dir, Err: cause})
		}
	}
	cmd := osexec.Command(s.Argv[0], s.Argv[1:]...)
	cmd.Env = s.Env
	cmd.Dir = s.Dir
	if s.HasStdin {
		cmd.Stdin = strings.NewReader(string(s.Stdin))
	}
	stdout := &capWriter{max: max}
	stderr := &capWriter{max: max}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = time.Second
	setGroup(cmd)
	start := time.Now()
	if err := startChild(cmd); err != nil {
		return nil, startError(op, s.name(), err)
	}
	done := make(chan error, 1)
	reaped := make(chan struct{})
	addChild(&child{pid: cmd.Process.Pid, name: s.name(), started: start, kill: func() { killGroup(cmd) }, done: reaped})
	go func() {
		err := cmd.Wait()
		removeChild(cmd.Process.Pid)
		close(reaped)
		done <- err
	}()
	var timeout <-chan time.Time
	if s.Timeout > 0 {
		t := time.NewTimer(s.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	r := &Result{}
	var waitErr error
	select {
	case waitErr = <-done:
	case <-timeout:
		r.TimedOut = true
		killGroup(cmd)
		waitErr = <-done
	case <-ctx.Done():
		killGroup(cmd)
		<-done
		return nil, &RunError{"interrupted", fmt.Sprintf("%s %s: interrupted", op, s.name())}
	}
	r.Elapsed = time.Since(start)
	r.Stdout, r.Stderr = stdout.buf, stderr.buf
	r.Truncated = stdout.truncated || stderr.truncated
	if cmd.ProcessState == nil {
		return nil, &RunError{"failed", fmt.Sprintf("%s %s: %v", op, s.name(), waitErr)}
	}
	r.Code, r.Signal = exitStatus(cmd.ProcessState)
	return r, nil
}

// startError turns a failed Start into a short word and a story.
func startError(op, prog string, err error) error {
	var ee *osexec.Error
	if errors.As(err, &ee) {
		err = ee.Err
	}
	var pe *fs.PathError
	chdir := errors.As(err, &pe) && pe.Op == "chdir"
	if pe != nil && !chdir {
		err = pe.Err
	}
	short := err.Error()
	var errno syscall.Errno
	switch {
	case !chdir && (errors.Is(err, osexec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)):
		short = "not found"
	case errors.As(err, &errno):
		short = errno.Error()
	}
	return &RunError{short, fmt.Sprintf("%s %s: %v", op, prog, err)}
}

// Which finds prog in $PATH.
func Which(prog string) (string, error) {
	p, err := osexec.LookPath(prog)
	if err != nil {
		return "", &RunError{"not found", fmt.Sprintf("exec.which %s: not found in $PATH", prog)}
	}
	return p, nil
}
