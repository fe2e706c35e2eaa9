package fs

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// errInterrupted is returned by a wait that was cancelled.
var errInterrupted = errors.New("interrupted")

// short is the LuaSocket-style word for err: the errno text when there is
// one ("no such file or directory"), else the error itself.
func short(err error) string {
	var errno syscall.Errno
	var pe *escapeError
	switch {
	case errors.As(err, &pe):
		return "path escapes jail"
	case errors.As(err, &errno):
		return errno.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.Is(err, errInterrupted):
		return "interrupted"
	}
	return err.Error()
}

// fail pushes nil, short, story for a failed op on path and returns 3.
func fail(L *lua.LState, op, path string, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(short(err)))
	var pe *escapeError
	if errors.As(err, &pe) {
		L.Push(lua.LString(pe.Error()))
	} else {
		L.Push(lua.LString(fmt.Sprintf("%s %s: %s", op, path, short(err))))
	}
	return 3
}

// ok pushes true and returns 1.
func ok(L *lua.LState) int {
	L.Push(lua.LTrue)
	return 1
}

// checkStr raises a Lua error naming op and the argument unless argument n
// is a string (numbers are not taken for paths or data).
func checkStr(L *lua.LState, n int, op, name string) string {
	s, isStr := L.Get(n).(lua.LString)
	if !isStr {
		L.RaiseError("%s: argument #%d (%s) must be a string, got %s", op, n, name, L.Get(n).Type())
	}
	return string(s)
}

// checkFlag reads the boolean option key of an optional table at n.
func checkFlag(L *lua.LState, n int, op, key string) bool {
	v := L.Get(n)
	if v == lua.LNil {
		return false
	}
	t, isTable := v.(*lua.LTable)
	if !isTable {
		L.RaiseError("%s: argument #%d (opts) must be a table such as {%s = true}, got %s", op, n, key, v.Type())
	}
	t.ForEach(func(k, _ lua.LValue) {
		if k.String() != key {
			L.RaiseError("%s: unknown option %s (want %s)", op, L.ToStringMeta(k), key)
		}
	})
	return lua.LVAsBool(t.RawGetString(key))
}

// block runs fn through the host with the session lock released, so a slow
// disk never stops other tasks; a cancelled wait reads "interrupted".
func block(L *lua.LState, h plugins.Host, fn func(ctx context.Context) error) error {
	return h.Block(L, fn)
}

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   interface{ Read([]byte) (int, error) }
}

func (c ctxReader) Read(p []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, errInterrupted
	}
	return c.r.Read(p)
}
