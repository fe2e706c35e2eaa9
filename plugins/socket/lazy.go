package socket

import (
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// LuaSocket 3's socket.tcp() and socket.udp() make a socket of no family
// yet (AF_UNSPEC): it has no descriptor (getfd() is -1) until bind, connect,
// setsockname or setpeername opens one of the address's family, so
// socket.tcp():connect("::1", p) works as it does in C. Any other call that
// needs a descriptor opens an IPv4 one first (self does it).

// newLazy makes such a socket of type typ in the session's table.
func (m *module) newLazy(L *lua.LState, typ int) int {
	s := newSock(nil, true)
	s.lazy, s.typ, s.sockets, s.mod = true, typ, m.h.Sockets(), m
	m.push(L, s)
	return 1
}

// materialize opens the descriptor of a lazy socket with the given family,
// carrying over the timeout set meanwhile. A failure to open one (too many
// open files) raises, naming the call: there is no socket to answer for.
func (s *sock) materialize(L *lua.LState, fn string, family int) {
	if s.ns != nil {
		return
	}
	ns, err := s.mod.openSocket(L, family, s.typ, 0)
	if err != nil {
		L.RaiseError("%s: %s", fn, err.Error())
	}
	// It belongs to whoever opened it, as a socket made then would.
	ns.SetOwner(s.mod.h.Owner(L))
	s.ns, s.family, s.lazy = ns, family, false
	watchCollected(s)
	if s.closed {
		ns.Close()
	}
	if s.timeout >= 0 {
		ns.SetTimeout(time.Duration(s.timeout * float64(time.Second)))
	}
	if t, ok := L.Get(1).(*lua.LTable); ok {
		t.RawSetString("family", lua.LNumber(family))
	}
}

// lazySelf is self for the calls that must not open a descriptor yet:
// bind and connect (which pick the family), getfd, close, settimeout.
func lazySelf(L *lua.LState, fn string) *sock {
	s := toSock(L, 1)
	if s == nil {
		return self(L, fn)
	}
	return s
}

// sock:setfd(fd): LuaSocket's descriptor swap. nsh adopts a duplicate of fd
// (netcore.Table.Adopt), so the number getfd answers afterwards is the
// copy's, and closes the descriptor it had; setfd(-1) (what getfd of a
// closed or not yet opened socket answers) leaves it with none, and every
// call then answers nil, "closed".
func (m *module) setfd(L *lua.LState) int {
	s := lazySelf(L, "setfd")
	maxArgs(L, "setfd", 2)
	fd := checkInt(L, "setfd", 2, 1, "descriptor")
	var ns *netcore.Socket
	if fd >= 0 {
		var err error
		if ns, err = m.h.Sockets().Adopt(fd); err != nil {
			return fail(L, err)
		}
	}
	if s.ns != nil {
		s.ns.Close()
	}
	if ns == nil {
		// No descriptor: a closed socket of the same kind stands in.
		s.closed = true
		s.sockets, s.mod = m.h.Sockets(), m
		if s.ns == nil {
			s.materialize(L, "setfd", syscall.AF_INET)
		}
		return 0
	}
	ns.SetOwner(m.h.Owner(L))
	s.ns, s.family, s.typ, s.lazy, s.closed = ns, ns.Family(), ns.Type(), false, false
	watchCollected(s)
	s.setTimeout(L, s.timeout)
	return 0
}
