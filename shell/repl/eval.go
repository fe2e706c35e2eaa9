package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell"
	"nsh/shell/dot"
	"nsh/shell/printer"
)

// evalLua runs a Lua chunk as the foreground task and prints its values.
func (r *repl) evalLua(ctx context.Context, src string) {
	var compileErr error
	t, ok := r.runForeground(ctx, replChunkName, func(L *lua.LState) *lua.LFunction {
		fn, err := compileChunk(L, src)
		compileErr = err
		r.sources.add(fn, src)
		return fn
	})
	if compileErr != nil {
		msg := compileErr.Error()
		var se *syntaxError
		if errors.As(compileErr, &se) {
			if c := se.caret(src); c != "" {
				msg += "\n" + c
			}
		}
		fmt.Fprintln(r.errw, r.s.Style("error", msg))
		return
	}
	if !ok {
		return
	}
	defer r.s.CloseLine(t) // what only the printed values held
	if t.Err() != nil {
		if !r.leaving.Load() {
			r.printTaskError(t, src)
		}
		return
	}
	if strings.HasPrefix(strings.TrimSpace(src), "local ") && !r.localHinted {
		r.localHinted = true // once a session
		fmt.Fprintln(r.errw, r.s.Style("dim", "(a local lasts for this line only; without \"local\" the name stays)"))
	}
	if len(t.Results()) == 0 {
		if t.Cancelled() {
			fmt.Fprintln(r.errw, r.s.Style("error", "interrupted"))
		}
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if !r.s.LockCtx(pctx) {
		fmt.Fprintln(r.errw, r.s.Style("warn", "(the values are not shown: the session is busy)"))
		return
	}
	var text string
	r.s.ThenUnlock(func() { text = r.formatResults(t.Results(), receivesData(src)) })
	if text != "" {
		fmt.Fprintln(r.out, text)
	}
}

// formatResults renders a line's values. A failed call's nil, short, story
// prints the story in red. The caller holds the lock.
func (r *repl) formatResults(vals []lua.LValue, received bool) string {
	if len(vals) >= 2 && vals[0] == lua.LNil {
		if short, ok := vals[1].(lua.LString); ok {
			return r.s.Style("error", failureStory(string(short), vals[2:]))
		}
	}
	p := printer.New(r.s.L, r.s.ColorOn(), r.s.Style)
	if received {
		p.StrKind = "recv"
	}
	parts := make([]string, len(vals))
	multi := false
	for i, v := range vals {
		parts[i] = p.Format(v)
		multi = multi || strings.Contains(parts[i], "\n")
	}
	if multi {
		return strings.Join(parts, "\n")
	}
	return strings.Join(parts, "\t")
}

// failureStory picks the story among a failed call's values after nil and
// the short reason: the third in Python's vocabulary (nil, short, story),
// the fourth where LuaSocket puts partial data or the last index third
// (receive, send). A story reads "op addr: reason" and holds the reason
// ("recvline 127.0.0.1:8000: closed by the peer" for "closed").
func failureStory(short string, rest []lua.LValue) string {
	for _, v := range rest {
		if s, ok := v.(lua.LString); ok && strings.Contains(string(s), ": ") && strings.Contains(string(s), short) {
			return string(s)
		}
	}
	if len(rest) > 0 {
		if s, ok := rest[0].(lua.LString); ok && s != "" {
			return string(s)
		}
	}
	return short
}

// receiveCall matches a line that calls a receiving method.
var receiveCall = regexp.MustCompile(`:\s*(recv|receive|read)\w*\s*\(`)

// receivesData reports whether a line's values are data read from a
// socket (or a file), which print in the "recv" colour.
func receivesData(src string) bool { return receiveCall.MatchString(src) }

// printTaskError prints a foreground line's error: its message in red and,
// when the error came from deeper than the line itself, a traceback.
func (r *repl) printTaskError(t *shell.Task, src string) {
	msg := t.Err().Object.String()
	switch t.Err().Object.(type) {
	case *lua.LTable, *lua.LUserData:
		msg = r.errorObjectText(t.Err().Object)
	}
	if t.Cancelled() {
		msg = "interrupted"
	}
	out := r.s.Style("error", msg)
	tb := trimTraceback(t.Err().StackTrace)
	if tb != "" && !t.Cancelled() {
		out += "\n" + r.s.Style("dim", tb)
	}
	if tb == "" && strings.HasSuffix(msg, "attempt to call a non-function object") {
		if hint := r.nilCallHint(src); hint != "" {
			out += "\n" + r.s.Style("dim", hint)
		}
	}
	if m := nilIndex.FindStringSubmatch(msg); tb == "" && m != nil {
		if hint := r.nilIndexHint(src, m[1]); hint != "" {
			out += "\n" + r.s.Style("dim", hint)
		}
	}
	fmt.Fprintln(r.errw, out)
}

// errorObjectText renders a value given to error() that is not a string:
// through its __tostring, else as the printer shows it.
func (r *repl) errorObjectText(v lua.LValue) string {
	text := v.String()
	dot.WithLockFor(r.s, r.s.Base(), func() { text = shell.ErrorValueText(r.s.L, v) })
	return text
}

// trimTraceback returns the traceback only when it goes through Lua
// functions other than the typed line itself (an error raised right in the
// line, or by a Go function it called, needs none).
func trimTraceback(tb string) string {
	var keep []string
	deeper := false
	for _, l := range shell.TracebackLines(tb) {
		t := strings.TrimSpace(l)
		if t == "stack traceback:" {
			continue
		}
		if !strings.HasPrefix(t, "[G]") && !strings.HasSuffix(t, "in main chunk") {
			deeper = true
		}
		keep = append(keep, l)
	}
	if !deeper {
		return ""
	}
	return "stack traceback:\n" + strings.Join(keep, "\n")
}

// runForeground runs the function mk builds (under the lock) as the
// foreground task and waits for it; Ctrl-C cancels it. ok is false when it
// did not run or could not be waited for (the session stayed busy).
func (r *repl) runForeground(ctx context.Context, name string, mk func(L *lua.LState) *lua.LFunction) (t *shell.Task, ok bool) {
	if !r.lockPatiently(ctx) {
		r.sayBusy()
		return nil, false
	}
	var g *shell.Group
	r.s.ThenUnlock(func() {
		if fn := mk(r.s.L); fn != nil {
			g = r.s.InteractiveGroup()
			t = r.s.StartForeground(g, name, fn)
			r.fg.Store(t)
		}
	})
	if t == nil {
		return nil, false
	}
	defer r.fg.Store(nil)
	select {
	case <-t.Done():
	case <-ctx.Done():
		t.Cancel()
		select {
		case <-t.Done():
		case <-time.After(2 * time.Second):
			r.sayBusy()
			return t, false
		}
	}
	r.afterForeground(t, g)
	return t, true
}

// afterForeground handles os.exit: typed at the prompt it leaves the REPL
// with its code; called by a background task it stops the prompt's tasks.
func (r *repl) afterForeground(t *shell.Task, g *shell.Group) {
	if !g.Exited() {
		return
	}
	if t.Err() != nil && !t.Cancelled() && strings.HasSuffix(t.Err().Object.String(), "exit") {
		r.code = int(g.Code())
		r.leaving.Store(true)
		return
	}
	r.resetInteractive(g)
}

// busyHint is how long a line waits for the lock before saying why.
const busyHint = 2 * time.Second

// lockPatiently takes the session lock for a line; when a task keeps it
// for long (Lua running without pausing), it says so and keeps waiting
// until Ctrl-C.
func (r *repl) lockPatiently(ctx context.Context) bool {
	hctx, cancel := context.WithTimeout(ctx, busyHint)
	defer cancel()
	if r.s.LockCtx(hctx) {
		return true
	}
	if ctx.Err() != nil {
		return false
	}
	fmt.Fprintln(r.errw, r.s.Style("warn", "waiting for a task that runs Lua without pausing; Ctrl-C gives the prompt back, then .tasks and .kill ID"))
	return r.s.LockCtx(ctx)
}

// sayBusy explains why the prompt could not run Lua: a task holds the
// session lock without ever waiting.
func (r *repl) sayBusy() {
	var busy []string
	for _, t := range r.s.Tasks() {
		if t.State() == "running" && !t.Foreground() {
			busy = append(busy, strconv.Itoa(t.ID))
		}
	}
	msg := "the session is busy: a task is running Lua without pausing"
	if len(busy) > 0 {
		msg += fmt.Sprintf(" (running: %s; .kill ID stops one)", strings.Join(busy, ", "))
	}
	fmt.Fprintln(r.errw, r.s.Style("warn", msg))
}

// takeTail returns and forgets the text printed since the last newline.
func (r *repl) takeTail() string {
	tail := ""
	r.s.WithStdout(func(w io.Writer) {
		if tr, ok := w.(*promptTracker); ok {
			tail = tr.takeTail()
		}
	})
	return tail
}

// termInput serves input() and io.read while the REPL owns the terminal:
// while a line or a dot-command (.run) runs, its tasks read lines through
// the line editor, with the text printed last as the prompt; at the prompt
// the terminal belongs to the person typing, so other tasks get nothing.
func (r *repl) termInput(ctx context.Context) (string, error) {
	if !r.running.Load() {
		return "", errors.New("input: the terminal is reading the prompt")
	}
	r.inputMu.Lock()
	defer r.inputMu.Unlock()
	if ctx.Err() != nil {
		return "", shell.ErrInterrupted
	}
	line, err := r.ed.Readline(r.takeTail())
	switch {
	case err == errCtrlC:
		r.cancelRunning()
		if t := shell.TaskOf(ctx); t != nil {
			t.Cancel()
		}
		return "", shell.ErrInterrupted
	case err != nil:
		return "", err
	case ctx.Err() != nil:
		return "", shell.ErrInterrupted
	}
	return line + "\n", nil
}
