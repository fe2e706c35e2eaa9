package shell

import (
	"context"
	"io"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// What the REPL and the lesson runner read of a session, a task and a
// group, through methods rather than fields.

// Base is the session's context: it ends when the session closes.
func (s *Session) Base() context.Context { return s.base }

// Closing reports whether the session has begun to close.
func (s *Session) Closing() bool { return s.base.Err() != nil }

// ColorOn reports whether the session colours its output.
func (s *Session) ColorOn() bool { return s.style.On }

// Interrupted reports whether a signal (Ctrl-C, SIGTERM, SIGHUP) ended a
// script run of the session.
func (s *Session) Interrupted() bool { return s.interrupted.Load() }

// NewGroup returns an empty group of tasks for a script; owner names what
// its sockets belong to when its tasks end ("lesson tcp-echo/server.lua").
func (s *Session) NewGroup(owner string) *Group {
	g := newGroup(s.base)
	g.owner = netcore.NewOwner(owner)
	return g
}

// ReplaceInteractive gives the prompt a fresh group after os.exit ended g,
// if g is still the prompt's group; it reports whether it did.
func (s *Session) ReplaceInteractive(g *Group) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.interactive != g {
		return false
	}
	s.interactive = newGroup(s.base)
	return true
}

// CancelGroup cancels every task of g and then g itself.
func (s *Session) CancelGroup(g *Group) {
	for _, t := range s.tasks.List() {
		if t.group == g {
			t.Cancel()
		}
	}
	g.cancel()
}

// SetTermInput makes read (the REPL's line editor) the source of the lines
// tasks read from stdin.
func (s *Session) SetTermInput(read func(ctx context.Context) (string, error)) {
	s.stdin.mu.Lock()
	s.stdin.term = read
	s.stdin.mu.Unlock()
}

// WithStdout runs fn with the writer behind the session's stdout, holding
// the lock that orders writes to it (the REPL takes the text printed since
// the last newline to use as a prompt).
func (s *Session) WithStdout(fn func(w io.Writer)) {
	sw := s.stdout.(*syncWriter)
	sw.mu.Lock()
	defer sw.mu.Unlock()
	fn(sw.w)
}

// Cancelled reports whether the task was cancelled (task:cancel, Ctrl-C,
// .kill), as opposed to failing on its own.
func (t *Task) Cancelled() bool { return t.cancelled.Load() }

// Results are the values the task's function returned; read them after Done.
func (t *Task) Results() []lua.LValue { return t.results }

// Foreground reports whether the task is the REPL's current line.
func (t *Task) Foreground() bool { return t.foreground }

// Started is when the task was spawned.
func (t *Task) Started() time.Time { return t.started }

// Owner owns the sockets the task makes.
func (t *Task) Owner() *netcore.Owner { return t.owner }

// Group is the script (or the prompt) the task belongs to.
func (t *Task) Group() *Group { return t.group }

// Exited reports whether os.exit ended the group.
func (g *Group) Exited() bool { return g.exited.Load() }

// Code is the code given to os.exit.
func (g *Group) Code() int { return int(g.code.Load()) }

// Done is closed when the group is cancelled (os.exit, Ctrl-C, the session's end).
func (g *Group) Done() <-chan struct{} { return g.ctx.Done() }

// Ended reports whether the group was cancelled.
func (g *Group) Ended() bool { return g.ctx.Err() != nil }

// Cancel cancels the group's context, and so each of its tasks.
func (g *Group) Cancel() { g.cancel() }

// Wait waits until every task of the group has ended.
func (g *Group) Wait() { g.wg.Wait() }
