package repl

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/chzyer/readline"

	"nsh/shell"
)

// This is the only file that imports readline.

// Run runs the interactive loop on the process's terminal and returns
// the exit status. On leaving it stops every task, closes every socket and
// says how many.
func Run(s *shell.Session, env *shell.Env) int {
	path := historyPath()
	ed, err := newReadlineEditor(env, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "nsh: cannot open the terminal: %v\n", err)
		return 1
	}
	r := newREPL(s, ed, loadHistory(path))
	r.isTerm = env.StdoutTTY

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, shell.EndSignals...)
	defer signal.Stop(sigs)
	go func() {
		for sig := range sigs {
			if sig == os.Interrupt {
				r.interrupt() // Ctrl-C while a line runs (the terminal is cooked then)
				continue
			}
			// SIGTERM or SIGHUP: leave as Ctrl-D does (tasks stopped,
			// children killed, sockets closed), or at once if that takes
			// longer than signalGrace.
			r.leaving.Store(true)
			r.interrupt()
			ed.Close()
			code := shell.SignalStatus(sig)
			time.AfterFunc(shell.SignalGrace, func() { shell.ExitNow(code) })
		}
	}()

	fmt.Fprintf(env.Stderr, "%s %s — Lua with BSD sockets. %s for help, Ctrl-D to leave.\n",
		s.Style("bold", "nsh"), shell.Version, s.Style("key", ".help"))
	code := r.run()
	ed.Close()
	s.SetOutput(env.Stdout, env.Stderr)
	return code
}

// readlineEditor is the lineEditor of a real terminal.
type readlineEditor struct {
	rl      *readline.Instance
	comp    *runeCompleter
	reading atomic.Bool // inside Readline
	stdout  *aboveWriter
	stderr  *aboveWriter
}

func newReadlineEditor(env *shell.Env, historyFile string) (*readlineEditor, error) {
	var stdin io.ReadCloser = os.Stdin
	if rc, ok := env.Stdin.(io.ReadCloser); ok {
		stdin = rc
	}
	comp := &runeCompleter{}
	rl, err := readline.NewEx(&readline.Config{
		AutoComplete:           comp,
		Prompt:                 promptText,
		HistoryFile:            historyFile,
		HistoryLimit:           historyLimit,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		Stdin:                  readline.NewCancelableStdin(stdin),
		Stdout:                 env.Stdout,
		Stderr:                 env.Stderr,
	})
	if err != nil {
		return nil, err
	}
	e := &readlineEditor{rl: rl, comp: comp}
	e.stdout = &aboveWriter{e: e, above: rl.Stdout(), raw: env.Stdout}
	e.stderr = &aboveWriter{e: e, above: rl.Stderr(), raw: env.Stderr}
	return e, nil
}

func (e *readlineEditor) Readline(prompt string) (string, error) {
	e.rl.SetPrompt(prompt)
	e.reading.Store(true)
	line, err := e.rl.Readline()
	e.reading.Store(false)
	e.stdout.flushHeld()
	e.stderr.flushHeld()
	if err == readline.ErrInterrupt {
		return line, errCtrlC
	}
	return line, err
}

func (e *readlineEditor) AddHistory(line string) { e.rl.SaveHistory(line) }

// Width is the terminal's width in columns (0 when unknown).
func (e *readlineEditor) Width() int        { return max(readline.GetScreenWidth(), 0) }
func (e *readlineEditor) Stdout() io.Writer { return e.stdout }
func (e *readlineEditor) Stderr() io.Writer { return e.stderr }

// heldMax is how much of an unfinished line aboveWriter holds back.
const heldMax = 4096

// aboveWriter prints above the line being edited while readline reads,
// and straight to the terminal otherwise (readline still believes it is
// reading for a moment after Enter, and would redraw the prompt).
// Readline redraws the prompt after what it prints above, so a line a task
// leaves unfinished (io.write("tick ")) would be wiped at the next redraw:
// it is held until its end, or until the line being edited is entered.
type aboveWriter struct {
	e          *readlineEditor
	above, raw io.Writer
	mu         sync.Mutex
	held       []byte
}

func (w *aboveWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.e.reading.Load() {
		if len(w.held) > 0 {
			w.raw.Write(w.held)
			w.held = nil
		}
		return w.raw.Write(p)
	}
	data := append(w.held, p...)
	w.held = nil
	end := bytes.LastIndexByte(data, '\n') + 1
	if end == 0 && len(data) >= heldMax {
		data, end = append(data, '\n'), len(data)+1
	}
	if tail := data[end:]; len(tail) > 0 {
		// a line redrawn with "\r" (a progress bar) keeps only its latest
		// state, which is what a terminal would show
		if i := bytes.LastIndexByte(tail, '\r'); i > 0 && i < len(tail)-1 {
			tail = tail[i:]
		}
		w.held = append([]byte(nil), tail...)
	}
	if end > 0 {
		if _, err := w.above.Write(data[:end]); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// flushHeld prints what is held, ending the line: the prompt that cut it
// has gone (Enter was pressed).
func (w *aboveWriter) flushHeld() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.held) > 0 {
		w.raw.Write(append(w.held, '\n'))
		w.held = nil
	}
}

func (e *readlineEditor) Close() error {
	e.reading.Store(false)
	e.stdout.flushHeld()
	e.stderr.flushHeld()
	return e.rl.Close()
}

func (e *readlineEditor) SetCompleter(c func(line string, pos int) ([]string, int)) {
	e.comp.mu.Lock()
	e.comp.fn = c
	e.comp.mu.Unlock()
}

// runeCompleter adapts a byte-oriented completer to readline's runes.
type runeCompleter struct {
	mu sync.Mutex
	fn func(line string, pos int) ([]string, int)
}

func (c *runeCompleter) Do(line []rune, pos int) ([][]rune, int) {
	c.mu.Lock()
	fn := c.fn
	c.mu.Unlock()
	if fn == nil {
		return nil, 0
	}
	head := string(line[:pos])
	sufs, replace := fn(string(line), len(head))
	out := make([][]rune, len(sufs))
	for i, s := range sufs {
		out[i] = []rune(s)
	}
	return out, utf8.RuneCountInString(head[len(head)-replace:])
}
