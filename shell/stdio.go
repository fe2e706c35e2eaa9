package shell

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// lineReader reads standard input on one goroutine so that a task waiting
// for a line can be interrupted: the line read after an interruption stays
// queued for the next reader.
type lineReader struct {
	r       *bufio.Reader
	mu      sync.Mutex
	started bool
	lines   chan lineResult
	want    chan struct{}
	eof     bool
	pending string // the rest of a line Read could not return whole
	// term, when set (by the REPL), reads lines from the terminal instead.
	term func(ctx context.Context) (string, error)
}

type lineResult struct {
	line string
	err  error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReader(r), lines: make(chan lineResult, 1), want: make(chan struct{}, 1)}
}

func (lr *lineReader) loop() {
	for range lr.want {
		line, err := lr.r.ReadString('\n')
		lr.lines <- lineResult{line, err}
		if err != nil {
			return
		}
	}
}

// ReadLine returns the next line with its newline ("" and io.EOF at the end).
func (lr *lineReader) ReadLine(ctx context.Context) (string, error) {
	lr.mu.Lock()
	if term := lr.term; term != nil {
		lr.mu.Unlock()
		return term(ctx)
	}
	if lr.eof {
		lr.mu.Unlock()
		return "", io.EOF
	}
	if !lr.started {
		lr.started = true
		go lr.loop()
	}
	select {
	case lr.want <- struct{}{}:
	default: // a request is already pending (an earlier reader was interrupted)
	}
	lr.mu.Unlock()
	select {
	case res := <-lr.lines:
		if res.err != nil {
			lr.mu.Lock()
			lr.eof = true
			lr.mu.Unlock()
			if res.line != "" {
				return res.line, nil
			}
			return "", io.EOF
		}
		return res.line, nil
	case <-ctx.Done():
		return "", ErrInterrupted
	}
}

// Read lets the session's stdin serve as an io.Reader (line by line).
func (lr *lineReader) Read(p []byte) (int, error) {
	if lr.pending == "" {
		line, err := lr.ReadLine(context.Background())
		if err != nil {
			return 0, err
		}
		lr.pending = line
	}
	n := copy(p, lr.pending)
	lr.pending = lr.pending[n:]
	return n, nil
}

// installBase replaces the parts of Lua's standard library that would write
// past the REPL, read stdin while holding the lock, or exit the process.
func (s *Session) installBase() {
	L := s.L
	s.installStringCase()
	s.installCollectGarbage()
	L.SetGlobal("print", L.NewFunction(s.luaPrint))
	L.SetGlobal("input", L.NewFunction(s.luaInput))
	if io, ok := L.GetGlobal("io").(*lua.LTable); ok {
		L.SetField(io, "write", L.NewFunction(s.luaWrite))
		L.SetField(io, "read", L.NewFunction(s.luaRead))
	}
	if os, ok := L.GetGlobal("os").(*lua.LTable); ok {
		L.SetField(os, "exit", L.NewFunction(s.luaExit))
	}
}

func (s *Session) luaPrint(L *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= L.GetTop(); i++ {
		if i > 1 {
			b.WriteByte('\t')
		}
		b.WriteString(L.ToStringMeta(L.Get(i)).String())
	}
	b.WriteByte('\n')
	io.WriteString(s.stdout, b.String())
	return 0
}

func (s *Session) luaWrite(L *lua.LState) int {
	var b strings.Builder
	for i := 1; i <= L.GetTop(); i++ {
		switch v := L.Get(i).(type) {
		case lua.LString:
			b.WriteString(string(v))
		case lua.LNumber:
			b.WriteString(v.String())
		default:
			L.ArgError(i, "string expected, got "+v.Type().String())
		}
	}
	io.WriteString(s.stdout, b.String())
	return 0
}

// luaInput: input([prompt]) -> line | nil at end of input.
func (s *Session) luaInput(L *lua.LState) int {
	if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
		io.WriteString(s.stdout, L.ToStringMeta(L.Get(1)).String())
	}
	line, err := s.ReadLine(L)
	if err != nil {
		L.Push(lua.LNil)
		if err == ErrInterrupted {
			L.Push(lua.LString("interrupted"))
			return 2
		}
		return 1
	}
	L.Push(lua.LString(strings.TrimRight(line, "\r\n")))
	return 1
}

func (s *Session) ReadLine(L *lua.LState) (string, error) {
	var line string
	err := s.Block(L, func(ctx context.Context) error {
		var err error
		line, err = s.stdin.ReadLine(ctx)
		return err
	})
	return line, err
}

// luaRead is io.read over the session's stdin: "l"/"*l", "L"/"*L", "n"/"*n",
// "a"/"*a", or a byte count (rounded to whole lines).
func (s *Session) luaRead(L *lua.LState) int {
	n := L.GetTop()
	if n == 0 {
		L.Push(lua.LString("*l"))
		n = 1
	}
	pushed := 0
	for i := 1; i <= n; i++ {
		format := L.Get(i)
		var v lua.LValue = lua.LNil
		switch f := format.(type) {
		case lua.LNumber:
			line, err := s.ReadLine(L)
			if err == nil {
				v = lua.LString(line)
			}
		case lua.LString:
			switch strings.TrimPrefix(string(f), "*") {
			case "l", "L":
				line, err := s.ReadLine(L)
				if err == nil {
					if strings.TrimPrefix(string(f), "*") == "l" {
						line = strings.TrimRight(line, "\r\n")
					}
					v = lua.LString(line)
				}
			case "n":
				line, err := s.ReadLine(L)
				if err == nil {
					if x, err := strconv.ParseFloat(strings.TrimSpace(line), 64); err == nil {
						v = lua.LNumber(x)
					}
				}
			case "a":
				var b strings.Builder
				for {
					line, err := s.ReadLine(L)
					if err != nil {
						break
					}
					b.WriteString(line)
				}
				v = lua.LString(b.String())
			default:
				L.ArgError(i, "invalid format "+strconv.Quote(string(f)))
			}
		default:
			L.ArgError(i, "invalid format")
		}
		L.Push(v)
		pushed++
		if v == lua.LNil {
			break
		}
	}
	return pushed
}

// luaExit: os.exit([code]) ends the running script's tasks, not the shell.
func (s *Session) luaExit(L *lua.LState) int {
	code := 0
	switch v := L.Get(1).(type) {
	case lua.LBool:
		if !v {
			code = 1
		}
	case lua.LNumber:
		code = int(v)
	}
	s.GroupOf(L).exit(code)
	L.RaiseError("exit")
	return 0
}

func itoa(n int) string { return strconv.Itoa(n) }
