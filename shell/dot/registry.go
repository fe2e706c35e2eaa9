package dot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/shell"
)

// Command is a REPL command typed as ".name args...". Built-in commands
// register themselves with registerDotCommand from an init function;
// plugins contribute theirs through plugins.Plugin.Commands.
type Command struct {
	Name    string // without the dot
	Usage   string // ".kill ID"
	Summary string // one line
	// Run runs the command on the REPL's goroutine without the session lock
	// (take it with e.Lock when Lua is needed). e.Ctx is cancelled by Ctrl-C.
	// A returned error is printed in red; a panic is recovered and printed.
	Run func(e *Env, args []string) error
	// Complete, if set, returns candidates for the argument being typed
	// (prefix is its text so far; args are the words before it).
	Complete func(e *Env, args []string, prefix string) []string
}

// Env is what a dot-command runs with.
type Env struct {
	S   *shell.Session
	Ctx context.Context // cancelled by Ctrl-C
	Out io.Writer       // the session's stdout: prints above the prompt
	Err io.Writer       // the session's stderr
	// P is the prompt the command was typed at (nil when a test runs a
	// command without one).
	P Prompt
}

// Prompt is what a dot-command asks of the REPL it was typed at.
type Prompt interface {
	// RunForeground runs the function mk builds (under the lock) as the
	// line's task and waits for it, as a typed line runs; ok is false when
	// it did not run or could not be waited for.
	RunForeground(ctx context.Context, name string, mk func(L *lua.LState) *lua.LFunction) (t *shell.Task, ok bool)
	// CompleteLua completes a Lua name being typed: candidates and the word.
	CompleteLua(head string) ([]string, string)
	// History returns the last n entries and the number of the first.
	History(n int) (lines []string, first int)
	// IsTerm reports a person at a terminal (not a script on stdin).
	IsTerm() bool
	// Leave ends the REPL after this command (.exit).
	Leave()
	// Started is when the REPL began.
	Started() time.Time
	// TypedLine returns the typed line holding function p, if one does.
	TypedLine(p *lua.FunctionProto) (string, bool)
	// Width is the terminal's columns, 0 when unknown.
	Width() int
}

// Lock takes the session lock, giving up (false) when Ctrl-C cancels e.Ctx
// first. The caller must Unlock after a true return.
func (e *Env) Lock() bool { return e.S.LockCtx(e.Ctx) }

// Unlock releases the session lock taken by Lock.
func (e *Env) Unlock() { e.S.Unlock() }

// Foreground waits for task t as the REPL waits for a typed line: t (and
// the tasks it starts) may read the terminal meanwhile, and Ctrl-C cancels
// it. It returns t's error, or "interrupted".
func (e *Env) Foreground(t *shell.Task) error {
	select {
	case <-t.Done():
	case <-e.Ctx.Done():
		t.Cancel()
		<-t.Done()
		return errors.New("interrupted")
	}
	if t.Err() != nil && !t.Cancelled() {
		return luaErrorf(t)
	}
	return nil
}

// width is the prompt's terminal width, 0 when unknown or without a prompt.
func (e *Env) width() int {
	if e.P == nil {
		return 0
	}
	return e.P.Width()
}

// Style colours text for a kind of output (see Session.Style).
func (e *Env) Style(kind, text string) string { return e.S.Style(kind, text) }

var dotRegistry = struct {
	sync.Mutex
	m map[string]Command
}{m: map[string]Command{}}

// Register adds a built-in dot-command; it panics on an empty or
// duplicate name (a programming error found at start-up).
func Register(c Command) {
	if c.Name == "" || strings.ContainsAny(c.Name, " .") || c.Run == nil {
		panic(fmt.Sprintf("shell: bad dot-command %q", c.Name))
	}
	// Plugins (Go ones registered before this init, Lua ones loaded later)
	// may then not offer a command of the shell's name.
	if err := plugins.ReserveCommand("the shell", c.Name); err != nil {
		panic(err)
	}
	dotRegistry.Lock()
	defer dotRegistry.Unlock()
	if _, dup := dotRegistry.m[c.Name]; dup {
		panic(fmt.Sprintf("shell: duplicate dot-command %q", c.Name))
	}
	if c.Usage == "" {
		c.Usage = "." + c.Name
	}
	dotRegistry.m[c.Name] = c
}

// AddForTest adds c to the registry without reserving its name among the
// plugins' (a test's command, which the returned function takes out again).
func AddForTest(c Command) (remove func()) {
	dotRegistry.Lock()
	dotRegistry.m[c.Name] = c
	dotRegistry.Unlock()
	return func() {
		dotRegistry.Lock()
		delete(dotRegistry.m, c.Name)
		dotRegistry.Unlock()
	}
}

// Commands returns the built-in commands and every plugin's, by name. A
// built-in wins over a plugin command of the same name.
func Commands() map[string]Command {
	out := map[string]Command{}
	for _, p := range plugins.All() {
		for _, pc := range p.Commands {
			if pc.Name == "" || pc.Run == nil {
				continue
			}
			out[pc.Name] = pluginDotCommand(p.Name, pc)
		}
	}
	dotRegistry.Lock()
	for name, c := range dotRegistry.m {
		out[name] = c
	}
	dotRegistry.Unlock()
	return out
}

// CommandNames returns the names of every dot-command, sorted.
func CommandNames() []string {
	cmds := Commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// pluginDotCommand wraps a plugin's command: it runs as the foreground task
// so that its blocking calls go through Host.Block and Ctrl-C interrupts them.
func pluginDotCommand(plugin string, pc plugins.Command) Command {
	usage := pc.Usage
	if usage == "" {
		usage = "." + pc.Name
	}
	return Command{
		Name:    pc.Name,
		Usage:   usage,
		Summary: pc.Summary + " (" + plugin + ")",
		Run: func(e *Env, args []string) error {
			var cmdErr error
			fn := func(L *lua.LState) int {
				cmdErr = pc.Run(L, e.S, args)
				return 0
			}
			t, ok := e.P.RunForeground(e.Ctx, "."+pc.Name, func(L *lua.LState) *lua.LFunction {
				return L.NewFunction(fn)
			})
			if !ok {
				return nil
			}
			if t.Err() != nil {
				return luaErrorf(t)
			}
			return cmdErr
		},
	}
}

// IsDotLine reports a dot-command: "." and a letter, or "." alone (".5"
// is a Lua number).
func IsDotLine(line string) bool {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, ".") {
		return false
	}
	if len(t) == 1 {
		return true
	}
	c := t[1]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// SplitLine splits ".name a b" into "name" and its arguments; arguments
// may be quoted with " or '.
func SplitLine(line string) (name string, args []string) {
	words := splitWords(strings.TrimPrefix(strings.TrimSpace(line), "."))
	if len(words) == 0 {
		return "", nil
	}
	return words[0], words[1:]
}

// splitWords splits s at blanks, honouring "double" and 'single' quotes
// and, outside quotes, a backslash before a blank or quote ("my\ file.lua").
func splitWords(s string) []string { return ScanWords(s).Words }

// WordScan is s split into words, and how its last word was typed.
type WordScan struct {
	Words     []string
	InWord    bool // s ends inside a word (no blank after it)
	Open      rune // the quote still open at the end of s, or 0
	LastStart int  // byte offset in s where the last word starts
}

func ScanWords(s string) WordScan {
	var sc WordScan
	var b strings.Builder
	escaped := false
	for i, c := range s {
		start := func() {
			if !sc.InWord {
				sc.InWord = true
				sc.LastStart = i
			}
		}
		switch {
		case escaped:
			b.WriteRune(c)
			escaped = false
		case sc.Open != 0 && c == sc.Open:
			sc.Open = 0
		case sc.Open != 0:
			b.WriteRune(c)
		case c == '\\':
			start()
			escaped = true
		case c == '"' || c == '\'':
			start()
			sc.Open = c
		case c == ' ' || c == '\t':
			if sc.InWord {
				sc.Words = append(sc.Words, b.String())
				b.Reset()
				sc.InWord = false
			}
		default:
			start()
			b.WriteRune(c)
		}
	}
	if sc.InWord {
		sc.Words = append(sc.Words, b.String())
	}
	return sc
}

// Plural counts what: "1 task", "2 tasks".
func Plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// WithLockFor runs fn holding the session lock if the lock comes free
// within tasksLockWait (and before parent ends), so the prompt and
// dot-commands that only read the Lua state stay responsive beside a task
// holding it. It reports whether fn ran.
func WithLockFor(s *shell.Session, parent context.Context, fn func()) bool {
	return s.WithLock(parent, tasksLockWait, fn)
}

// luaErrorf turns a failed task's error into a Go error.
func luaErrorf(t *shell.Task) error {
	if t.Cancelled() {
		return errors.New("interrupted")
	}
	return errors.New(t.Err().Object.String())
}
