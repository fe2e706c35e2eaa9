package shell

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"
)

// replChunkName names the REPL's chunks in error messages ("stdin:1: ...").
const replChunkName = "stdin"

// exprPrefix and exprSuffix turn a line into "return its values". select
// keeps the line's own calls out of tail position, so an error's traceback
// still shows the functions it went through.
const (
	exprPrefix = "return select(1, "
	exprSuffix = "\n)"
)

// chunkForms are the ways the REPL reads a chunk, in order: an expression
// whose values print; statements whose last one is an expression to print
// ("t = {}; t.x = 1; t"); statements.
func chunkForms(src string) []string {
	forms := []string{exprPrefix + src + exprSuffix}
	if i := strings.LastIndexByte(src, ';'); i > 0 && strings.TrimSpace(src[i+1:]) != "" {
		forms = append(forms, src[:i+1]+" "+exprPrefix+src[i+1:]+exprSuffix)
	}
	return append(forms, src)
}

// incompleteChunk reports whether src only lacks its end: a block, a
// bracket or a long string still open, so the REPL should read more lines.
func incompleteChunk(src string) bool {
	forms := chunkForms(src)
	for _, f := range forms {
		if parseErr(f) == nil {
			return false
		}
	}
	// "{" or "f(" alone are not statements but open expressions
	return atEOF(parseErr(src)) || atEOF(parseErr("return "+src))
}

func parseErr(src string) error {
	_, err := parse.Parse(strings.NewReader(src), replChunkName)
	return err
}

// atEOF reports a parse error met at the end of the input (gopher-lua
// reports those at line -1), other than an unfinished "short string".
func atEOF(err error) bool {
	pe := syntaxPos(err)
	return pe != nil && pe.Pos.Line < 0 && pe.Message != "unterminated string"
}

// compileChunk compiles the first form of src that parses. When none does
// it reports the error of the plain statements, or of the expression form
// when that got further ("1 +* 2" fails at "1" as a statement but at "*"
// as an expression). The caller holds the lock.
func compileChunk(L *lua.LState, src string) (*lua.LFunction, error) {
	for _, f := range chunkForms(src) {
		if parseErr(f) == nil {
			return L.Load(strings.NewReader(f), replChunkName)
		}
	}
	sp := syntaxPos(parseErr(src))
	rp := syntaxPos(parseErr("return " + src))
	if sp == nil {
		return nil, parseErr(src)
	}
	if rp != nil && rp.Pos.Line > 0 && sp.Pos.Line > 0 {
		rline, rcol := rp.Pos.Line, rp.Pos.Column
		if rline == 1 {
			rcol -= len("return ")
		}
		if rline > sp.Pos.Line || (rline == sp.Pos.Line && rcol > sp.Pos.Column) {
			rp.Pos.Column = rcol
			return nil, &syntaxError{pe: rp}
		}
	}
	return nil, &syntaxError{pe: sp}
}

// syntaxPos returns a copy of the parse error inside err, or nil.
func syntaxPos(err error) *parse.Error {
	if ae, ok := err.(*lua.ApiError); ok && ae.Cause != nil {
		err = ae.Cause
	}
	var pe *parse.Error
	if errors.As(err, &pe) {
		cp := *pe
		return &cp
	}
	return nil
}

// syntaxError is a parse error with where it happened.
type syntaxError struct{ pe *parse.Error }

func (e *syntaxError) Error() string {
	near := ""
	if e.pe.Token != "" {
		near = " near '" + e.pe.Token + "'"
	}
	if e.pe.Pos.Line < 0 {
		return replChunkName + ": " + e.pe.Message + " at the end of the input" + near
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", replChunkName, e.pe.Pos.Line, e.pe.Pos.Column, e.pe.Message, near)
}

// caret returns the offending line of src with a caret under the column.
func (e *syntaxError) caret(src string) string {
	lines := strings.Split(src, "\n")
	ln, col := e.pe.Pos.Line, e.pe.Pos.Column
	if ln < 1 || ln > len(lines) || col < 1 {
		return ""
	}
	line := lines[ln-1]
	if col > len(line)+1 {
		col = len(line) + 1
	}
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, line[:col-1])
	return "  " + line + "\n  " + pad + "^"
}

// evalLua runs a Lua chunk as the foreground task and prints its values.
func (r *repl) evalLua(ctx context.Context, src string) {
	var compileErr error
	t, ok := r.runForeground(ctx, replChunkName, func(L *lua.LState) *lua.LFunction {
		fn, err := compileChunk(L, src)
		compileErr = err
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
	if t.err != nil {
		if !r.leaving.Load() {
			r.printTaskError(t)
		}
		return
	}
	if len(t.results) == 0 {
		if t.cancelled.Load() {
			fmt.Fprintln(r.errw, r.s.Style("error", "interrupted"))
		}
		return
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if !r.s.lockCtx(pctx) {
		fmt.Fprintln(r.errw, r.s.Style("warn", "(the values are not shown: the session is busy)"))
		return
	}
	text := r.formatResults(t.results, receivesData(src))
	r.s.mu.Unlock()
	if text != "" {
		fmt.Fprintln(r.out, text)
	}
}

// formatResults renders a line's values. A failed call's nil, short, story
// prints the story in red. The caller holds the lock.
func (r *repl) formatResults(vals []lua.LValue, received bool) string {
	if len(vals) >= 2 && vals[0] == lua.LNil {
		if short, ok := vals[1].(lua.LString); ok {
			msg := string(short)
			if len(vals) >= 3 {
				if story, ok := vals[2].(lua.LString); ok && story != "" {
					msg = string(story)
				}
			}
			return r.s.Style("error", msg)
		}
	}
	p := newPrinter(r.s.L, r.s.style.on, r.s.Style)
	if received {
		p.strKind = "recv"
	}
	parts := make([]string, len(vals))
	multi := false
	for i, v := range vals {
		parts[i] = p.format(v)
		multi = multi || strings.Contains(parts[i], "\n")
	}
	if multi {
		return strings.Join(parts, "\n")
	}
	return strings.Join(parts, "\t")
}

// receiveCall matches a line that calls a receiving method.
var receiveCall = regexp.MustCompile(`:\s*(recv|receive|read)\w*\s*\(`)

// receivesData reports whether a line's values are data read from a
// socket (or a file), which print in the "recv" colour.
func receivesData(src string) bool { return receiveCall.MatchString(src) }

// printTaskError prints a foreground line's error: its message in red and,
// when the error came from deeper than the line itself, a traceback.
func (r *repl) printTaskError(t *Task) {
	msg := t.err.Object.String()
	if t.cancelled.Load() {
		msg = "interrupted"
	}
	out := r.s.Style("error", msg)
	if tb := trimTraceback(t.err.StackTrace); tb != "" && !t.cancelled.Load() {
		out += "\n" + r.s.Style("dim", tb)
	}
	fmt.Fprintln(r.errw, out)
}

// trimTraceback drops a traceback that only shows the line itself and the
// Go frames around it.
func trimTraceback(tb string) string {
	lines := strings.Split(strings.TrimSpace(tb), "\n")
	var keep []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || t == "stack traceback:" || strings.HasPrefix(t, "[G]: ?") || t == "[G]: in function 'error'" {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) <= 1 {
		return ""
	}
	return "stack traceback:\n" + strings.Join(keep, "\n")
}

// runForeground runs the function mk builds (under the lock) as the
// foreground task and waits for it; Ctrl-C cancels it. ok is false when it
// did not run or could not be waited for (the session stayed busy).
func (r *repl) runForeground(ctx context.Context, name string, mk func(L *lua.LState) *lua.LFunction) (t *Task, ok bool) {
	if !r.lockPatiently(ctx) {
		r.sayBusy()
		return nil, false
	}
	fn := mk(r.s.L)
	if fn == nil {
		r.s.mu.Unlock()
		return nil, false
	}
	g := r.s.interactive
	t = r.s.startTask(&Task{Name: name, foreground: true}, g, fn, nil)
	r.fg.Store(t)
	r.s.mu.Unlock()
	defer r.fg.Store(nil)
	select {
	case <-t.done:
	case <-ctx.Done():
		t.Cancel()
		select {
		case <-t.done:
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
func (r *repl) afterForeground(t *Task, g *group) {
	if !g.exited.Load() {
		return
	}
	if t.err != nil && !t.cancelled.Load() && strings.HasSuffix(t.err.Object.String(), "exit") {
		r.code = int(g.code.Load())
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
	if r.s.lockCtx(hctx) {
		return true
	}
	if ctx.Err() != nil {
		return false
	}
	fmt.Fprintln(r.errw, r.s.Style("warn", "waiting for a task that runs Lua without pausing; Ctrl-C gives the prompt back, then .tasks and .kill ID"))
	return r.s.lockCtx(ctx)
}

// sayBusy explains why the prompt could not run Lua: a task holds the
// session lock without ever waiting.
func (r *repl) sayBusy() {
	var busy []string
	for _, t := range r.s.Tasks() {
		if t.State() == "running" && !t.foreground {
			busy = append(busy, itoa(t.ID))
		}
	}
	msg := "the session is busy: a task is running Lua without pausing"
	if len(busy) > 0 {
		msg += fmt.Sprintf(" (running: %s; .kill ID stops one)", strings.Join(busy, ", "))
	}
	fmt.Fprintln(r.errw, r.s.Style("warn", msg))
}

// lockCtx takes the session lock, giving up when ctx ends first.
func (s *Session) lockCtx(ctx context.Context) bool {
	if s.mu.TryLock() {
		return true
	}
	got := make(chan struct{})
	go func() {
		s.mu.Lock()
		close(got)
	}()
	select {
	case <-got:
		return true
	case <-ctx.Done():
		go func() {
			<-got
			s.mu.Unlock()
		}()
		return false
	}
}

// takeTail returns and forgets the text printed since the last newline.
func (r *repl) takeTail() string {
	if pt, ok := r.s.stdout.(*syncWriter); ok {
		pt.mu.Lock()
		defer pt.mu.Unlock()
		if tr, ok := pt.w.(*promptTracker); ok {
			return tr.takeTail()
		}
	}
	return ""
}

// luaErrorf turns a failed task's error into a Go error.
func luaErrorf(t *Task) error {
	if t.cancelled.Load() {
		return errors.New("interrupted")
	}
	return errors.New(t.err.Object.String())
}

// termInput serves input() and io.read while the REPL owns the terminal:
// the foreground line reads a line through the line editor, with the text
// it printed last as the prompt; background tasks cannot read the terminal.
func (r *repl) termInput(ctx context.Context) (string, error) {
	t := taskOf(ctx)
	if t == nil || !t.foreground {
		return "", errors.New("input: only the line typed at the prompt can read the terminal")
	}
	line, err := r.ed.Readline(r.takeTail())
	switch {
	case err == errCtrlC:
		t.Cancel()
		return "", errInterrupted
	case err != nil:
		return "", err
	case ctx.Err() != nil:
		return "", errInterrupted
	}
	return line + "\n", nil
}
