package shell

import (
	"errors"
	"io"

	lua "github.com/yuin/gopher-lua"
)

// traceFlag is --trace on the command line and on a lesson run: on (to the
// terminal) or to file (FILE.pcapng: synthesised packets).
type traceFlag struct {
	on   bool
	file string
}

// parseTraceFlag reads "--trace" or "--trace=FILE"; ok is false for any
// other argument.
func parseTraceFlag(a string) (traceFlag, bool) {
	switch {
	case a == "--trace":
		return traceFlag{on: true}, true
	case len(a) > len("--trace=") && a[:len("--trace=")] == "--trace=":
		return traceFlag{on: true, file: a[len("--trace="):]}, true
	}
	return traceFlag{}, false
}

// startTrace turns the session's call trace on as socket.trace(true) or
// socket.trace{file=FILE} does; the caller must not hold the session lock.
func (s *Session) startTrace(tf traceFlag) error {
	if !tf.on {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	L := s.L
	mod, _ := L.GetGlobal("socket").(*lua.LTable)
	if mod == nil {
		return errors.New("--trace: the socket module is not loaded")
	}
	var arg lua.LValue = lua.LTrue
	if tf.file != "" {
		t := L.NewTable()
		t.RawSetString("file", lua.LString(tf.file))
		arg = t
	}
	if err := L.CallByParam(lua.P{Fn: mod.RawGetString("trace"), NRet: 3, Protect: true}, arg); err != nil {
		return err
	}
	ok, story := L.Get(-3), L.Get(-1)
	L.Pop(3)
	if ok == lua.LNil {
		return errors.New(story.String())
	}
	return nil
}

// closeTrace ends the session's trace at exit, after its sockets closed
// (their close calls are traced), so its files are flushed and closed.
// "trace" is the name socket.trace sets its tracer under (plugins/socket).
func (s *Session) closeTrace() {
	if c, ok := s.sockets.NamedTracer("trace").(io.Closer); ok {
		s.sockets.SetNamedTracer("trace", nil)
		c.Close()
	}
}
