package shell

import (
	"errors"
	"io"

	lua "github.com/yuin/gopher-lua"
)

// TraceFlag is --trace on the command line and on a lesson run: on (to the
// terminal) or to file (FILE.pcapng: synthesised packets).
type TraceFlag struct {
	On   bool
	File string
}

// ParseTraceFlag reads "--trace" or "--trace=FILE"; ok is false for any
// other argument.
func ParseTraceFlag(a string) (TraceFlag, bool) {
	switch {
	case a == "--trace":
		return TraceFlag{On: true}, true
	case len(a) > len("--trace=") && a[:len("--trace=")] == "--trace=":
		return TraceFlag{On: true, File: a[len("--trace="):]}, true
	}
	return TraceFlag{}, false
}

// StartTrace turns the session's call trace on as socket.trace(true) or
// socket.trace{file=FILE} does; the caller must not hold the session lock.
func (s *Session) StartTrace(tf TraceFlag) error {
	if !tf.On {
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
	if tf.File != "" {
		t := L.NewTable()
		t.RawSetString("file", lua.LString(tf.File))
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
