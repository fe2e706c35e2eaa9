package socket

import (
	"fmt"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// The shape LuaSocket's objects have: a class name that follows the
// socket's state ("tcp{master}" made, "tcp{server}" listening,
// "tcp{client}" connected; "udp{unconnected}"/"udp{connected}"), kept in
// the object's class field, and tostring "tcp{client}: 0x...". Sockets of
// Python's socket.socket() keep nsh's description ("<tcp 127.0.0.1:80 ...>").

// className is the LuaSocket class of s in its current state; a closed
// socket keeps the class it had, as LuaSocket's objects do.
func (s *sock) className() string {
	if s.class != "" && !s.stillOpen() {
		return s.class
	}
	s.class = s.liveClass()
	return s.class
}

func (s *sock) liveClass() string {
	base := "tcp"
	switch {
	case s.family == syscall.AF_UNIX && s.typ == syscall.SOCK_DGRAM:
		base = "unixdgram"
	case s.family == syscall.AF_UNIX:
		base = "unixstream"
	case s.typ == syscall.SOCK_DGRAM:
		base = "udp"
	}
	st := netcore.StateCreated
	if s.ns != nil {
		st = s.ns.State()
	}
	if s.typ == syscall.SOCK_DGRAM {
		if st == netcore.StateConnected {
			return base + "{connected}"
		}
		return base + "{unconnected}"
	}
	switch st {
	case netcore.StateListening:
		return base + "{server}"
	case netcore.StateConnected:
		return base + "{client}"
	}
	return base + "{master}"
}

// setClass refreshes the class field of the object at idx after a call
// that may change the state (listen, connect, setpeername, accept).
func setClass(L *lua.LState, idx int, s *sock) {
	if !s.luasock {
		return
	}
	if t, ok := L.Get(idx).(*lua.LTable); ok {
		t.RawSetString("class", lua.LString(s.className()))
	}
}

// tostring answers LuaSocket's "class: 0x..." for LuaSocket's sockets,
// followed by nsh's description, which the REPL, .tasks and error stories
// show ("tcp{client}: 0xc000123 <tcp 127.0.0.1:5000 -> 127.0.0.1:41000
// ESTABLISHED>"): a script matching LuaSocket's prefix still matches. Python's
// socket.socket() answers the description alone.
func (m *module) tostring(L *lua.LState) int {
	s := lazySelf(L, "__tostring")
	if s.luasock {
		L.Push(lua.LString(fmt.Sprintf("%s: %p %s", s.className(), L.Get(1), s.describe())))
		return 1
	}
	L.Push(lua.LString(s.describe()))
	return 1
}

// sock:getfamily() -> "inet4" or "inet6" (LuaSocket's words; "unix").
func (m *module) getfamily(L *lua.LState) int {
	s := lazySelf(L, "getfamily")
	maxArgs(L, "getfamily", 1)
	switch s.family {
	case syscall.AF_INET6:
		L.Push(lua.LString("inet6"))
	case syscall.AF_UNIX:
		L.Push(lua.LString("unix"))
	default:
		L.Push(lua.LString("inet4"))
	}
	return 1
}

// sock:getstats() -> received, sent, age in seconds.
func (m *module) getstats(L *lua.LState) int {
	s := lazySelf(L, "getstats")
	maxArgs(L, "getstats", 1)
	var in, out int64
	if s.ns != nil {
		in, out = int64(s.ns.BytesIn()), int64(s.ns.BytesOut())
	}
	L.Push(lua.LNumber(float64(in + s.inAdj)))
	L.Push(lua.LNumber(float64(out + s.outAdj)))
	L.Push(lua.LNumber(time.Since(s.born).Seconds()))
	return 3
}

// sock:setstats(received, sent, age) sets what getstats counts from, as
// LuaSocket's does (a proxy resets them per request). -> 1
func (m *module) setstats(L *lua.LState) int {
	s := lazySelf(L, "setstats")
	maxArgs(L, "setstats", 4)
	in := checkNumber(L, "setstats", 2, 1, "received")
	out := checkNumber(L, "setstats", 3, 2, "sent")
	age := checkNumber(L, "setstats", 4, 3, "age")
	var cin, cout int64
	if s.ns != nil {
		cin, cout = int64(s.ns.BytesIn()), int64(s.ns.BytesOut())
	}
	s.inAdj, s.outAdj = int64(in)-cin, int64(out)-cout
	s.born = time.Now().Add(-time.Duration(age * float64(time.Second)))
	return ok(L)
}

// checkNumber reads a finite number argument.
func checkNumber(L *lua.LState, fn string, idx, n int, what string) float64 {
	v, isNum := L.Get(idx).(lua.LNumber)
	if !isNum {
		argError(L, fn, n, what+" (number)", idx)
	}
	f := float64(v)
	if f != f || f > 1e300 || f < -1e300 {
		L.RaiseError("%s: bad argument #%d (%s must be a finite number, got %v)", fn, n, what, f)
	}
	return f
}
