package socket

import (
	"context"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// socket.bind(host, port[, backlog]) -> server: LuaSocket's shortcut, which
// turns reuseaddr on (LuaSocket documents it; only this shortcut does it).
func (m *module) luaBind(L *lua.LState) int {
	t, next := checkTarget(L, "socket.bind", 1, 1, false)
	maxArgs(L, "socket.bind", next)
	backlog := optInt32(L, "socket.bind", next, next, "backlog", 32)
	a, err := m.resolve(L, 0, t)
	if err != nil {
		return fail(L, err)
	}
	ns, err := m.openSocket(L, a.Family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return fail(L, err)
	}
	if err = ns.SetOption(syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err == nil {
		if err = ns.Bind(m.h.Context(L), a); err == nil {
			err = ns.Listen(backlog)
		}
	}
	if err != nil {
		ns.Close()
		return fail(L, err)
	}
	m.push(L, newSock(ns, true))
	return 1
}

// socket.connect(host, port[, locaddr[, locport[, family]]]) -> client.
func (m *module) luaConnect(L *lua.LState) int {
	family := 0
	if v := L.Get(5); v != lua.LNil {
		switch v {
		case lua.LString("inet"):
			family = syscall.AF_INET
		case lua.LString("inet6"):
			family = syscall.AF_INET6
		default:
			argError(L, "socket.connect", 5, "\"inet\" or \"inet6\"", 5)
		}
	}
	return m.dial(L, "socket.connect", family, 5)
}

func (m *module) luaConnect4(L *lua.LState) int {
	return m.dial(L, "socket.connect4", syscall.AF_INET, 4)
}

func (m *module) luaConnect6(L *lua.LState) int {
	return m.dial(L, "socket.connect6", syscall.AF_INET6, 4)
}

// dial connects a new TCP socket of the given family (0: the address's),
// optionally bound to locaddr, locport first; maxn bounds the arguments.
func (m *module) dial(L *lua.LState, fn string, family, maxn int) int {
	t, next := checkTarget(L, fn, 1, 1, false)
	maxArgs(L, fn, maxn)
	var local *target
	if L.Get(next) != lua.LNil || L.Get(next+1) != lua.LNil {
		lt := target{host: "*"}
		if v := L.Get(next); v != lua.LNil {
			lt.host = checkStr(L, fn, next, next, "locaddr")
		}
		if L.Get(next+1) != lua.LNil {
			lt.port = checkPort(L, fn, next+1, next+1)
		}
		local = &lt
	}
	a, err := m.resolve(L, family, t)
	if err != nil {
		return fail(L, err)
	}
	if family != 0 && a.Family != family {
		// connect4("::1", p) or connect6("127.0.0.1", p): an IP literal of
		// the other family, which getaddrinfo refuses for LuaSocket too.
		return fail(L, &netcore.OpError{Op: "connect", Addr: a.String(), Err: syscall.EAFNOSUPPORT})
	}
	ns, err := m.openSocket(L, a.Family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return fail(L, err)
	}
	if local != nil {
		var la netcore.Addr
		if la, err = m.resolve(L, a.Family, *local); err == nil {
			err = ns.Bind(m.h.Context(L), la)
		}
	}
	if err == nil {
		err = m.h.Block(L, func(ctx context.Context) error { return ns.Connect(ctx, a) })
	}
	if err != nil {
		ns.Close()
		return fail(L, err)
	}
	m.push(L, newSock(ns, true))
	return 1
}

// udp:setpeername(host, port) connects a UDP socket; "*" disconnects it.
func (m *module) setpeername(L *lua.LState) int {
	s := lazySelf(L, "setpeername")
	if h, isStr := L.Get(2).(lua.LString); isStr && h == "*" && !s.isUnix() {
		maxArgs(L, "setpeername", 3)
		if s.ns == nil {
			s.materialize(L, "setpeername", syscall.AF_INET)
		}
		err := s.ns.Connect(m.h.Context(L), netcore.Addr{Family: syscall.AF_UNSPEC})
		setClass(L, 1, s)
		return done(L, err)
	}
	if _, _, err := m.connectTo(L, "setpeername"); err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// udp:setsockname(host, port) binds, as LuaSocket names it.
func (m *module) setsockname(L *lua.LState) int {
	s := lazySelf(L, "setsockname")
	t, next := checkTarget(L, "setsockname", 2, 1, s.isUnix())
	maxArgs(L, "setsockname", next-1)
	return m.doBind(L, s, t)
}

// sock:receivefrom([size]) -> data, ip, port (data, path for AF_UNIX).
func (m *module) receivefrom(L *lua.LState) int {
	s := open(L, "receivefrom")
	maxArgs(L, "receivefrom", 2)
	n := optInt(L, "receivefrom", 2, 1, "size", datagramMax)
	if n <= 0 {
		L.RaiseError("receivefrom: size must be positive: %d", n)
	}
	data, from, err := m.recvFrom(L, s, n)
	if err != nil {
		return lsFail(L, err)
	}
	L.Push(data)
	if from.Family == syscall.AF_UNIX {
		L.Push(lua.LString(from.Path))
		return 2
	}
	L.Push(lua.LString(hostString(from)))
	L.Push(lua.LNumber(from.Port))
	return 3
}

// datagramMax is receive's and receivefrom's default size: the largest UDP
// payload, so nothing is cut unless the script asks (LuaSocket uses 8192).
const datagramMax = 65535

// sock:dirty() -> true when data waits in the socket's read buffer.
func (m *module) dirty(L *lua.LState) int {
	s := lazySelf(L, "dirty")
	maxArgs(L, "dirty", 1)
	L.Push(lua.LBool(s.stillOpen() && s.stream().Buffered() > 0))
	return 1
}

// socket.gettime() -> seconds since the epoch, with fractions.
func gettime(L *lua.LState) int {
	L.Push(lua.LNumber(float64(time.Now().UnixNano()) / 1e9))
	return 1
}

// socket.sleep(seconds) waits inside Block; an interrupted sleep returns
// nil, "interrupted", story.
func (m *module) sleep(L *lua.LState) int {
	maxArgs(L, "socket.sleep", 1)
	v, isNum := L.Get(1).(lua.LNumber)
	if !isNum {
		argError(L, "socket.sleep", 1, "number", 1)
	}
	if v != v {
		L.RaiseError("socket.sleep: bad argument #1 (seconds must be a number, got nan)")
	}
	if v <= 0 {
		return 0
	}
	d := time.Duration(min(float64(v), maxSeconds) * float64(time.Second))
	err := m.h.Block(L, func(ctx context.Context) error {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return &netcore.OpError{Op: "sleep", Err: netcore.ErrInterrupted}
		}
	})
	if err != nil {
		return fail(L, err)
	}
	return 0
}

// socket.skip(n, ...) drops n values and returns the rest.
func skip(L *lua.LState) int {
	n := checkCount(L, "socket.skip", 1, 1, "count")
	rest := L.GetTop() - 1 - n
	if rest <= 0 {
		return 0
	}
	return rest
}

const luaHelpers = `
local tryMT = {__tostring = function(e) return tostring(e[1]) end}
local function newtry(finalizer)
  return function(...)
    if (...) then return ... end
    if finalizer then pcall(finalizer) end
    error(setmetatable({(select(2, ...))}, tryMT), 0)
  end
end
local function pack(...) return {n = select('#', ...), ...} end
local function protect(f)
  return function(...)
    local r = pack(pcall(f, ...))
    if r[1] then return unpack(r, 2, r.n) end
    if getmetatable(r[2]) == tryMT then return nil, r[2][1] end
    error(r[2], 0)
  end
end
return newtry, protect, newtry()
`

// addLuaHelpers installs socket.newtry, socket.protect and socket.try.
func (m *module) addLuaHelpers(L *lua.LState, mod *lua.LTable) {
	fn, err := L.LoadString(luaHelpers)
	if err != nil {
		panic("socket: helpers do not compile: " + err.Error())
	}
	L.Push(fn)
	L.Call(0, 3)
	mod.RawSetString("newtry", L.Get(-3))
	mod.RawSetString("protect", L.Get(-2))
	mod.RawSetString("try", L.Get(-1))
	L.Pop(3)
}
