package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell"
	"nsh/shell/dot"
	"nsh/shell/help"
)

// lineEditor is what the REPL reads through: readline on a terminal, a
// scripted reader in tests.
type lineEditor interface {
	// Readline shows prompt and returns the line typed, io.EOF at Ctrl-D
	// on an empty line, or errCtrlC (with the discarded text) at Ctrl-C.
	Readline(prompt string) (string, error)
	// AddHistory records a finished chunk.
	AddHistory(line string)
	// Stdout and Stderr print above the line being edited.
	Stdout() io.Writer
	Stderr() io.Writer
	// SetCompleter installs Tab completion (a no-op for scripted readers).
	SetCompleter(c func(line string, pos int) (suffixes []string, replace int))
	Close() error
}

// widthEditor is a lineEditor that knows the terminal's width.
type widthEditor interface{ Width() int }

// width is the terminal's width in columns, or 0 when unknown.
func (r *repl) width() int {
	if r == nil {
		return 0
	}
	if w, ok := r.ed.(widthEditor); ok {
		return w.Width()
	}
	return 0
}

// errCtrlC is what a lineEditor returns when Ctrl-C is pressed at a prompt.
var errCtrlC = errors.New("^C")

const (
	promptText     = "nsh> "
	contPromptText = "...> "
	leaveHint      = "(to leave nsh press Ctrl-D or type .exit)"
)

// repl is one interactive loop over a session.
type repl struct {
	s    *shell.Session
	ed   lineEditor
	out  io.Writer // the session's stdout (serialised with tasks)
	errw io.Writer // the session's stderr
	// isTerm is set when a person is at a terminal (.clear draws).
	isTerm bool

	mu         sync.Mutex
	cancelLine context.CancelFunc // cancels the running line (Ctrl-C)
	fg         atomic.Pointer[shell.Task]
	hist       *history
	sources    chunkSources // what was typed, for .tasks

	leaving atomic.Bool
	// localHinted is set once the REPL has said that locals do not last.
	localHinted bool
	code        int
	quit        chan struct{}
	lineEnded   chan struct{} // signalled after each line
	running     atomic.Bool   // a line or dot-command runs (tasks may read input)
	inputMu     sync.Mutex    // one input() reads the terminal at a time
	started     time.Time
}

func newREPL(s *shell.Session, ed lineEditor, hist *history) *repl {
	r := &repl{s: s, ed: ed, out: s.Stdout(), errw: s.Stderr(), hist: hist, quit: make(chan struct{}), lineEnded: make(chan struct{}, 1), started: time.Now()}
	if r.hist == nil {
		r.hist = &history{}
	}
	ed.SetCompleter(r.complete)
	s.SetOutput(&promptTracker{w: ed.Stdout(), width: r.width}, ed.Stderr())
	s.SetTermInput(r.termInput)
	return r
}

// loop reads and runs chunks until the user leaves; it returns the exit
// status (0, or the code given to os.exit at the prompt).
func (r *repl) loop() int {
	go r.watchExit()
	defer close(r.quit)
	for !r.leaving.Load() {
		src, err := r.readChunk()
		switch {
		case err == io.EOF:
			r.leaving.Store(true)
		case err == errCtrlC:
		case err != nil:
			fmt.Fprintln(r.errw, r.s.Style("error", "nsh: "+err.Error()))
			r.leaving.Store(true)
		case strings.TrimSpace(src) != "":
			r.runLine(src)
		}
	}
	return r.code
}

// run runs the loop, then stops every task and closes every socket and
// says how many; it returns the exit status.
func (r *repl) run() int {
	code := r.loop()
	tasks := 0 // tasks still running; Close also counts those just ending
	for _, t := range r.s.Tasks() {
		if st := t.State(); !t.Foreground() && (st == "running" || st == "waiting") {
			tasks++
		}
	}
	sockets, _ := r.s.Close()
	fmt.Fprintln(r.errw, byeMessage(tasks, sockets))
	return code
}

// byeMessage says what leaving stopped.
func byeMessage(tasks, sockets int) string {
	return "bye: stopped " + dot.Plural(tasks, "task") + ", closed " + dot.Plural(sockets, "socket")
}

// readChunk reads lines until they form a complete chunk (or a dot-command).
func (r *repl) readChunk() (string, error) {
	if r.takeTail() != "" {
		io.WriteString(r.out, "\n") // io.write("x") left the cursor mid-line
	}
	prompt := r.s.Style("prompt", promptText)
	var lines []string
	for {
		line, err := r.ed.Readline(prompt)
		if err == errCtrlC {
			if len(lines) == 0 && strings.TrimSpace(line) == "" {
				fmt.Fprintln(r.out, r.s.Style("dim", leaveHint))
			}
			return "", errCtrlC
		}
		if err == io.EOF && len(lines) > 0 {
			// Ctrl-D inside a chunk drops the chunk; only an empty prompt leaves
			fmt.Fprintln(r.errw, r.s.Style("dim", "(unfinished chunk dropped)"))
			return "", errCtrlC
		}
		if err != nil {
			return "", err
		}
		lines = append(lines, line)
		src := strings.Join(lines, "\n")
		if len(lines) == 1 && dot.IsDotLine(line) {
			r.addHistory(strings.TrimSpace(line))
			return line, nil
		}
		if strings.TrimSpace(src) == "" {
			return "", nil
		}
		if !incompleteChunk(src) {
			r.addHistory(src)
			return src, nil
		}
		prompt = r.s.Style("prompt", contPromptText)
	}
}

func (r *repl) addHistory(src string) {
	for _, h := range historyEntries(src) {
		r.ed.AddHistory(h)
		r.hist.add(h)
	}
}

// runLine runs one chunk or dot-command with its own Ctrl-C context. A Go
// panic is recovered and printed: nothing typed ends the REPL.
func (r *repl) runLine(src string) {
	ctx, cancel := context.WithCancel(r.s.Base())
	r.mu.Lock()
	r.cancelLine = cancel
	r.mu.Unlock()
	r.running.Store(true)
	defer func() {
		r.running.Store(false)
		r.mu.Lock()
		r.cancelLine = nil
		r.mu.Unlock()
		cancel()
		select {
		case r.lineEnded <- struct{}{}:
		default:
		}
		if p := recover(); p != nil {
			fmt.Fprintln(r.errw, r.s.Style("error", fmt.Sprintf("nsh: internal error (recovered): %v", p)))
		}
	}()
	trimmed := strings.TrimSpace(src)
	if dot.IsDotLine(trimmed) {
		r.runDot(ctx, src)
		return
	}
	if word := strings.TrimSuffix(trimmed, "()"); (word == "exit" || word == "quit" || trimmed == "help") && r.undefined(word) {
		if word == "help" {
			r.runDot(ctx, ".help")
			return
		}
		fmt.Fprintln(r.out, r.s.Style("dim", leaveHint)) // what python says to "exit"
		return
	}
	r.evalLua(ctx, src)
}

// undefined reports whether a global is nil, or is the help function
// (bare "help" shows the help, as in Python).
func (r *repl) undefined(name string) bool {
	ctx, cancel := context.WithTimeout(r.s.Base(), completeLockWait)
	defer cancel()
	if !r.s.LockCtx(ctx) {
		return false
	}
	defer r.s.Unlock()
	v := r.s.L.GetGlobal(name)
	if name == "help" {
		_, isFn := v.(*lua.LFunction)
		return isFn
	}
	return v == lua.LNil
}

// interrupt cancels the running line (Ctrl-C while it runs: SIGINT, as
// the terminal is not in raw mode then).
func (r *repl) interrupt() {
	r.mu.Lock()
	if r.cancelLine != nil {
		if r.isTerm {
			io.WriteString(r.out, "\n") // after the terminal's echoed ^C
		}
		r.cancelLine()
	}
	r.mu.Unlock()
}

// cancelRunning cancels the running line (Ctrl-C read by the line editor).
func (r *repl) cancelRunning() {
	r.mu.Lock()
	if r.cancelLine != nil {
		r.cancelLine()
	}
	r.mu.Unlock()
}

// runDot runs a dot-command line.
func (r *repl) runDot(ctx context.Context, line string) {
	name, args := dot.SplitLine(line)
	cmds := dot.Commands()
	c, ok := cmds[name]
	if !ok {
		msg := "unknown command ." + name
		if near := help.CloseNames(name, dot.CommandNames()); len(near) > 0 {
			msg += " (did you mean ." + strings.Join(near, ", .") + "?)"
		}
		fmt.Fprintln(r.errw, r.s.Style("error", msg+"; .help lists the commands"))
		return
	}
	e := &dot.Env{S: r.s, Ctx: ctx, Out: r.out, Err: r.errw, P: r}
	if err := c.Run(e, args); err != nil {
		fmt.Fprintln(r.errw, r.s.Style("error", err.Error()))
	}
}

// watchExit notices os.exit called by a background task started from the
// prompt: the group's tasks have stopped; the prompt gets a fresh group.
// While a line runs, the line's end handles it (see afterForeground).
func (r *repl) watchExit() {
	for {
		r.s.Lock()
		g := r.s.InteractiveGroup()
		r.s.Unlock()
		select {
		case <-g.Done():
		case <-r.quit:
			return
		}
		if r.s.Closing() {
			return
		}
		if r.fg.Load() == nil && !r.leaving.Load() {
			r.resetInteractive(g)
			continue
		}
		select {
		case <-r.lineEnded:
		case <-r.quit:
			return
		}
	}
}

// resetInteractive replaces the interactive group g after an os.exit in a
// background task and says so.
func (r *repl) resetInteractive(g *shell.Group) {
	replaced := r.s.ReplaceInteractive(g)
	if replaced && g.Exited() {
		fmt.Fprintln(r.errw, r.s.Style("warn", fmt.Sprintf("a task called os.exit(%d): the tasks started at the prompt were stopped", g.Code())))
	}
}

// promptTracker remembers the text printed after the last newline, so that
// input("name: ") can hand it to readline as the prompt it redraws.
type promptTracker struct {
	mu    sync.Mutex
	w     io.Writer
	tail  []byte
	width func() int // the terminal's columns (0 unknown), for text that wraps
}

// Width is the terminal's columns, 0 when unknown (see writerWidth).
func (p *promptTracker) Width() int {
	if p.width == nil {
		return 0
	}
	return p.width()
}

func (p *promptTracker) Write(b []byte) (int, error) {
	p.mu.Lock()
	if i := strings.LastIndexByte(string(b), '\n'); i >= 0 {
		p.tail = append(p.tail[:0], b[i+1:]...)
	} else {
		p.tail = append(p.tail, b...)
	}
	if len(p.tail) > 200 {
		p.tail = p.tail[len(p.tail)-200:]
	}
	p.mu.Unlock()
	return p.w.Write(b)
}

// takeTail returns and forgets the unterminated last line.
func (p *promptTracker) takeTail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := string(p.tail)
	p.tail = p.tail[:0]
	return t
}
