package shell

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode/utf8"

	"github.com/chzyer/readline"
)

// This is the only file that imports readline.

// runREPL runs the interactive loop on the process's terminal and returns
// the exit status. On leaving it stops every task, closes every socket and
// says how many.
func runREPL(s *Session, env *cliEnv) int {
	path := historyPath()
	ed, err := newReadlineEditor(env, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "nsh: cannot open the terminal: %v\n", err)
		return 1
	}
	r := newREPL(s, ed, loadHistory(path))
	r.isTerm = env.StdoutTTY

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	go func() {
		for sig := range sigs {
			if sig == os.Interrupt {
				r.interrupt() // Ctrl-C while a line runs (the terminal is cooked then)
				continue
			}
			r.leaving.Store(true)
			ed.Close()
		}
	}()

	fmt.Fprintf(env.Stderr, "%s %s — Lua with BSD sockets. %s for help, Ctrl-D to leave.\n",
		s.Style("bold", "nsh"), Version, s.Style("key", ".help"))
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
	stdout  io.Writer
	stderr  io.Writer
}

func newReadlineEditor(env *cliEnv, historyFile string) (*readlineEditor, error) {
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
	return &readlineEditor{rl: rl, comp: comp, stdout: env.Stdout, stderr: env.Stderr}, nil
}

func (e *readlineEditor) Readline(prompt string) (string, error) {
	e.rl.SetPrompt(prompt)
	e.reading.Store(true)
	line, err := e.rl.Readline()
	e.reading.Store(false)
	if err == readline.ErrInterrupt {
		return line, errCtrlC
	}
	return line, err
}

func (e *readlineEditor) AddHistory(line string) { e.rl.SaveHistory(line) }

// Width is the terminal's width in columns (0 when unknown).
func (e *readlineEditor) Width() int        { return max(readline.GetScreenWidth(), 0) }
func (e *readlineEditor) Stdout() io.Writer { return &aboveWriter{e, e.rl.Stdout(), e.stdout} }
func (e *readlineEditor) Stderr() io.Writer { return &aboveWriter{e, e.rl.Stderr(), e.stderr} }

// aboveWriter prints above the line being edited while readline reads,
// and straight to the terminal otherwise (readline still believes it is
// reading for a moment after Enter, and would redraw the prompt).
type aboveWriter struct {
	e          *readlineEditor
	above, raw io.Writer
}

func (w *aboveWriter) Write(p []byte) (int, error) {
	if w.e.reading.Load() {
		return w.above.Write(p)
	}
	return w.raw.Write(p)
}
func (e *readlineEditor) Close() error { return e.rl.Close() }

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
