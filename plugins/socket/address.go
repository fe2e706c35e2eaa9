package socket

import (
	"context"
	"net/netip"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// An address is a table {host, port} that also has .host, .port and
// .family ("inet", "inet6", "unix") and prints as 127.0.0.1:8080,
// [::1]:8080 or a path. Scripts may pass their own {host, port} tables.

// pushAddr pushes a as an address table.
//
// The same address gives the same table while it is unchanged (a cache of
// up to addrCacheMax, emptied when full): a recvfrom loop then builds no
// table per datagram (it was a fifth of a UDP echo server's time), and an
// address can key a table, as Python's tuples can (clients[addr] = ...).
func (m *module) pushAddr(L *lua.LState, a netcore.Addr) {
	if c, ok := m.addrs[a]; ok && c.t.RawGetInt(1) == c.head && c.t.RawGetString("port") == c.port {
		L.Push(c.t)
		return
	}
	t := m.newAddr(L, a)
	if m.addrs == nil || len(m.addrs) >= addrCacheMax {
		m.addrs = make(map[netcore.Addr]cachedAddr)
	}
	m.addrs[a] = cachedAddr{t: t, head: t.RawGetInt(1), port: t.RawGetString("port")}
	L.Push(t)
}

// addrCacheMax bounds pushAddr's cache (a server hearing from many peers).
const addrCacheMax = 1024

// cachedAddr is an address table with the fields it was made with: a
// script that changed them gets a fresh table next time.
type cachedAddr struct {
	t          *lua.LTable
	head, port lua.LValue
}

// newAddr builds an address table.
func (m *module) newAddr(L *lua.LState, a netcore.Addr) *lua.LTable {
	t := L.CreateTable(2, 3)
	if a.Family == syscall.AF_UNIX {
		t.RawSetInt(1, lua.LString(a.Path))
		t.RawSetString("host", lua.LString(a.Path))
		t.RawSetString("path", lua.LString(a.Path))
		t.RawSetString("family", lua.LString("unix"))
	} else {
		host := lua.LString(hostString(a))
		t.RawSetInt(1, host)
		t.RawSetInt(2, lua.LNumber(a.Port))
		t.RawSetString("host", host)
		t.RawSetString("port", lua.LNumber(a.Port))
		t.RawSetString("family", lua.LString(familyName(a.Family)))
	}
	t.Metatable = m.addrMT
	return t
}

// hostString is the address's IP without brackets or zone games.
func hostString(a netcore.Addr) string {
	if !a.IP.IsValid() {
		return ""
	}
	return a.IP.Unmap().String()
}

func familyName(f int) string {
	switch f {
	case syscall.AF_INET:
		return "inet"
	case syscall.AF_INET6:
		return "inet6"
	case syscall.AF_UNIX:
		return "unix"
	}
	return "unspec"
}

// addrToString is the address table's __tostring.
func addrToString(L *lua.LState) int {
	t := L.CheckTable(1)
	host := lua.LVAsString(t.RawGetInt(1))
	port := t.RawGetInt(2)
	if port == lua.LNil {
		L.Push(lua.LString(host))
		return 1
	}
	L.Push(lua.LString(joinHostPort(host, lua.LVAsString(port))))
	return 1
}

func joinHostPort(host, port string) string {
	for i := 0; i < len(host); i++ {
		if host[i] == ':' {
			return "[" + host + "]:" + port
		}
	}
	return host + ":" + port
}

// target is an address as a script gave it, before resolution.
type target struct {
	host string
	port int
	path string // AF_UNIX
}

// checkTarget reads an address at idx: {host, port} (or .host/.port), or
// host, port as two arguments, or a path for AF_UNIX sockets. n is the
// user-visible number of the first argument. It returns the target and the
// Lua index after it.
func checkTarget(L *lua.LState, fn string, idx, n int, unix bool) (target, int) {
	v := L.Get(idx)
	if unix {
		if t, ok := v.(*lua.LTable); ok {
			v = t.RawGetInt(1)
		}
		p, ok := v.(lua.LString)
		if !ok {
			argError(L, fn, n, "path", idx)
		}
		return target{path: string(p)}, idx + 1
	}
	if t, ok := v.(*lua.LTable); ok {
		h, p := t.RawGetInt(1), t.RawGetInt(2)
		if h == lua.LNil {
			h, p = t.RawGetString("host"), t.RawGetString("port")
		}
		hs, ok := h.(lua.LString)
		if !ok {
			L.RaiseError("%s: bad argument #%d (address {host, port} expected, host is %s)", fn, n, h.Type().String())
		}
		L.Push(p)
		port := checkPort(L, fn, L.GetTop(), n)
		L.Pop(1)
		next := idx + 1
		if pn, isNum := L.Get(next).(lua.LNumber); isNum && int(pn) == port && L.GetTop() <= next+1 {
			next = skipFamilyTail(L, next+1)
		}
		return target{host: string(hs), port: port}, next
	}
	if _, ok := v.(lua.LString); !ok {
		argError(L, fn, n, "host or {host, port}", idx)
	}
	t := target{host: string(v.(lua.LString)), port: checkPort(L, fn, idx+1, n+1)}
	return t, skipFamilyTail(L, idx+2)
}

// skipFamilyTail steps over a last argument "inet" or "inet6": with the
// port before it, that is the tail of what getsockname and getpeername
// return, so c:connect(srv:getsockname()) works as it does in LuaSocket
// (whose C functions ignore extra arguments).
func skipFamilyTail(L *lua.LState, idx int) int {
	if L.GetTop() != idx {
		return idx
	}
	if f, isStr := L.Get(idx).(lua.LString); isStr && (f == "inet" || f == "inet6") {
		return idx + 1
	}
	return idx
}

// literal reports whether t resolves without a lookup: AF_UNIX paths, IP
// literals, "", "*", "localhost" and "<broadcast>".
func (t target) literal(family int) bool {
	if family == syscall.AF_UNIX {
		return true
	}
	switch t.host {
	case "", "*", "localhost", "<broadcast>":
		return true
	}
	h := t.host
	if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	_, err := netip.ParseAddr(h)
	return err == nil
}

// resolve turns t into an address of the given family (0: any), looking
// the name up inside Block so other tasks run meanwhile.
func (m *module) resolve(L *lua.LState, family int, t target) (netcore.Addr, error) {
	host := t.host
	if family == syscall.AF_UNIX {
		host = t.path
	}
	if t.literal(family) {
		return netcore.Resolve(context.Background(), family, host, t.port)
	}
	var a netcore.Addr
	err := m.h.Block(L, func(ctx context.Context) error {
		var err error
		a, err = netcore.Resolve(ctx, family, host, t.port)
		return err
	})
	return a, err
}
