package shell

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/shell/printer"
)

// RunFile runs a Lua file with args in the global arg, waits for every task
// it started, and returns the exit status: 0, 1 when it or any of its tasks
// raised an error nobody caught, 130 when interrupted (Ctrl-C), or the code
// given to os.exit.
func (s *Session) RunFile(path string, args []string) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(s.stderr, "%s\n", s.style.Style("error", "nsh: "+err.Error()))
		return 1
	}
	return s.RunSource(path, SkipShebang(string(src)), args)
}

// SkipShebang blanks a first line starting with "#" ("#!/usr/bin/env nsh",
// "#!/usr/bin/lua"), as lua's loadfile does, keeping its newline so line
// numbers stay those of the file.
func SkipShebang(src string) string {
	if !strings.HasPrefix(src, "#") {
		return src
	}
	if i := strings.IndexByte(src, '\n'); i >= 0 {
		return src[i:]
	}
	return ""
}

// RunSource runs src (named name in tracebacks) like RunFile. The caller
// must not hold the session lock.
func (s *Session) RunSource(name, src string, args []string) int {
	return s.runSource(s.base, name, src, args, true)
}

func (s *Session) runSource(parent interface {
	Done() <-chan struct{}
}, name, src string, args []string, setArg bool) int {
	code, _ := s.RunScript(parent, name, src, args, setArg)
	return code
}

// RunScript is runSource that also says how many sockets the script's end
// closed (lifetime.go: after an error, Ctrl-C or os.exit, all it left open).
// started, when given, is told the script's main task once it is spawned
// (.run FILE & says its id).
func (s *Session) RunScript(parent interface {
	Done() <-chan struct{}
}, name, src string, args []string, setArg bool, started ...func(*Task)) (code, closed int) {
	s.mu.Lock()
	fn, err := s.L.Load(strings.NewReader(strings.TrimPrefix(src, "#!")), name)
	if err != nil {
		s.mu.Unlock()
		fmt.Fprintf(s.stderr, "%s\n", s.style.Style("error", err.Error()))
		return 1, 0
	}
	if setArg {
		s.setArg(name, args)
	}
	g := newGroup(s.base)
	g.owner = netcore.NewOwner("script " + name)
	luaArgs := make([]lua.LValue, len(args))
	for i, a := range args {
		luaArgs[i] = lua.LString(a)
	}
	t := s.Spawn(g, MainTaskName, fn, luaArgs)
	s.CheckInterrupted(g)
	s.mu.Unlock()
	for _, f := range started {
		f(t)
	}
	// runs once every task of the script has ended (both returns wait)
	defer func() { closed = s.EndGroup(g, t.err != nil || g.exited.Load() || g.ctx.Err() != nil) }()
	select {
	case <-t.done:
	case <-parent.Done():
		g.cancel()
		<-t.done
	}
	if t.err != nil && !g.exited.Load() {
		// The main chunk failed: stop what it started, then report. Stopping
		// them as os.exit does keeps each stopped task from being reported
		// as failed with "interrupted" on top of the real error.
		g.exit(1)
		g.wg.Wait()
		s.printError(t.err)
		return 1, 0
	}
	g.wg.Wait() // a script ends when all its tasks have ended
	return g.Status(), 0
}

// setArg sets the global arg like lua does: arg[0] the script, arg[1..] args.
func (s *Session) setArg(name string, args []string) {
	tb := s.L.NewTable()
	tb.RawSetInt(0, lua.LString(name))
	for i, a := range args {
		tb.RawSetInt(i+1, lua.LString(a))
	}
	s.L.SetGlobal("arg", tb)
}

// printError prints a Lua error and its traceback in red on stderr.
func (s *Session) printError(err *lua.ApiError) {
	s.PrintErrorTraced(err, true)
}

// PrintErrorTraced prints a Lua error, with its traceback when traced
// (gopher-lua's empty "[G]: ?" frames left out).
func (s *Session) PrintErrorTraced(err *lua.ApiError, traced bool) {
	msg := err.Object.String()
	if traced && err.StackTrace != "" && !strings.Contains(msg, "stack traceback:") {
		msg += "\n" + strings.Join(TracebackLines(err.StackTrace), "\n")
	}
	fmt.Fprintf(s.stderr, "%s\n", s.style.Style("error", msg))
}

// TracebackLines splits gopher-lua's traceback into its lines, leaving out
// the empty ones and the "[G]: ?" and "(tailcall): ?" frames, which say
// nothing.
func TracebackLines(tb string) []string {
	var keep []string
	for _, l := range strings.Split(strings.TrimSpace(tb), "\n") {
		switch strings.TrimSpace(l) {
		case "", "[G]: ?", "(tailcall): ?":
			continue
		}
		keep = append(keep, l)
	}
	return keep
}

// ErrorValueText renders a value given to error(): a string as it is, a
// table or userdata through its __tostring, else as the printer shows it
// (not its address). The caller holds the lock.
func ErrorValueText(L *lua.LState, v lua.LValue) string {
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		p := printer.New(L, false, nil)
		if s, ok := p.ToString(v); ok {
			return s
		}
		return "error object: " + p.Format(v)
	}
	return v.String()
}

// errorPlace matches the "chunk:line: " that error() and run-time errors put
// before their message; error(msg, 0) puts none.
var errorPlace = regexp.MustCompile(`^(\([^)]*\)|[^\s:]+):\d+: `)

// UserMessage reports whether err was raised as a message for the user:
// a string without a place (error(msg, 0)), as the lessons raise their
// expected failures ("connect 127.0.0.1:8000: connection refused").
func UserMessage(err *lua.ApiError) bool {
	msg, ok := err.Object.(lua.LString)
	return ok && !errorPlace.MatchString(string(msg))
}

// InteractiveGroup is the group of tasks started interactively (from the REPL or
// from Go): it lives as long as the session.
func (s *Session) InteractiveGroup() *Group { return s.interactive }
