package socket

import (
	"errors"
	"math"
	"strconv"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// argError raises "fn: bad argument #n (want expected, got type)" about
// the value at Lua index idx. For methods n does not count self, as in Python.
func argError(L *lua.LState, fn string, n int, want string, idx int) {
	g := "no value"
	if idx <= L.GetTop() {
		g = L.Get(idx).Type().String()
	}
	L.RaiseError("%s: bad argument #%d (%s expected, got %s)", fn, n, want, g)
}

// maxArgs raises when a function got more than max arguments (self included
// for methods, so max counts it too).
func maxArgs(L *lua.LState, fn string, max int) {
	if top := L.GetTop(); top > max {
		L.RaiseError("%s: too many arguments (at most %d, got %d)", fn, max, top)
	}
}

// fail pushes the contract's run-time failure: nil, short, story.
func fail(L *lua.LState, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(short(err)))
	L.Push(lua.LString(err.Error()))
	return 3
}

// short is netcore.Short, with LuaSocket's word for a connect on a
// connected socket: "already connected", which LuaSocket code (copas and
// the like) takes as success after a non-blocking connect.
func short(err error) string {
	if netcore.PlainTimeout(err) {
		return "timeout"
	}
	if errors.Is(err, syscall.EISCONN) || errors.Is(err, netcore.ErrAlreadyConnected) {
		return "already connected"
	}
	return netcore.Short(err)
}

// checkInt reads argument idx (Lua index) as an integer; n is the number
// users see in messages.
func checkInt(L *lua.LState, fn string, idx, n int, what string) int {
	switch v := L.Get(idx).(type) {
	case lua.LNumber:
		i := int(v)
		if lua.LNumber(i) != v {
			L.RaiseError("%s: bad argument #%d (%s must be an integer, got %s)", fn, n, what, v.String())
		}
		return i
	case lua.LString:
		if i, err := strconv.Atoi(string(v)); err == nil {
			return i
		}
	}
	argError(L, fn, n, what, idx)
	return 0
}

// checkInt32 is checkInt for values the kernel takes as a C int (levels,
// option names and values, backlogs, families): a larger one would be cut
// to its low 32 bits and mean something else, so it raises.
func checkInt32(L *lua.LState, fn string, idx, n int, what string) int {
	i := checkInt(L, fn, idx, n, what)
	if i < math.MinInt32 || i > math.MaxInt32 {
		L.RaiseError("%s: bad argument #%d (%s out of range: %d)", fn, n, what, i)
	}
	return i
}

// optInt32 is checkInt32 with a default for nil or a missing argument.
func optInt32(L *lua.LState, fn string, idx, n int, what string, def int) int {
	if L.Get(idx) == lua.LNil {
		return def
	}
	return checkInt32(L, fn, idx, n, what)
}

// optInt is checkInt with a default for nil or a missing argument.
func optInt(L *lua.LState, fn string, idx, n int, what string, def int) int {
	if L.Get(idx) == lua.LNil {
		return def
	}
	return checkInt(L, fn, idx, n, what)
}

// checkCount reads a non-negative byte count.
func checkCount(L *lua.LState, fn string, idx, n int, what string) int {
	c := checkInt(L, fn, idx, n, what)
	if c < 0 {
		L.RaiseError("%s: %s must not be negative: %d", fn, what, c)
	}
	return c
}

// checkPort reads a port number (a number or a numeric string, as LuaSocket
// allows) and raises when it is outside 0-65535.
func checkPort(L *lua.LState, fn string, idx, n int) int {
	p := checkInt(L, fn, idx, n, "port")
	if p < 0 || p > 65535 {
		L.RaiseError("%s: port out of range: %d", fn, p)
	}
	return p
}

// checkStr reads a string argument (numbers are not accepted: they are
// usually a mistake in a host or data position).
func checkStr(L *lua.LState, fn string, idx, n int, what string) string {
	if s, ok := L.Get(idx).(lua.LString); ok {
		return string(s)
	}
	argError(L, fn, n, what, idx)
	return ""
}

// checkData reads data to send: a string, or a number converted as Lua does.
func checkData(L *lua.LState, fn string, idx, n int) string {
	switch v := L.Get(idx).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return v.String()
	}
	argError(L, fn, n, "string", idx)
	return ""
}

// maxSeconds bounds a wait (about 31 years): a longer one would overflow
// time.Duration and, converted, come out negative.
const maxSeconds = 1e9

// checkSeconds reads a Lua timeout argument: nil, a negative number or
// math.huge (gopher-lua's is the largest float, not +Inf) block forever;
// NaN is misuse; longer than maxSeconds is maxSeconds.
func checkSeconds(L *lua.LState, fn string, idx, n int) (float64, bool) {
	switch v := L.Get(idx).(type) {
	case lua.LNumber:
		switch {
		case v != v:
			L.RaiseError("%s: bad argument #%d (seconds must be a number, got nan)", fn, n)
		case v < 0 || float64(v) >= math.MaxFloat64:
			return 0, false
		case v > maxSeconds:
			return maxSeconds, true
		}
		return float64(v), true
	case *lua.LNilType:
		return 0, false
	}
	argError(L, fn, n, "number or nil", idx)
	return 0, false
}

// smallNums holds boxed numbers 0..len-1: pushing one of them allocates
// nothing (a fresh lua.LNumber in an interface costs an allocation), which
// keeps send's byte counts off the allocator on the hot path.
var smallNums = func() []lua.LValue {
	out := make([]lua.LValue, 4097)
	for i := range out {
		out[i] = lua.LNumber(i)
	}
	return out
}()

// num returns n as a Lua number, boxed once for small n.
func num(n int) lua.LValue {
	if n >= 0 && n < len(smallNums) {
		return smallNums[n]
	}
	return lua.LNumber(n)
}
