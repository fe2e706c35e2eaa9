package socket

import (
	"context"
	"errors"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// create opens a socket in the session's table and pushes it.
func (m *module) create(L *lua.LState, family, typ, proto int, luasock bool) int {
	ns, err := m.openSocket(L, family, typ, proto)
	if err != nil {
		return fail(L, err)
	}
	m.push(L, newSock(ns, luasock))
	return 1
}

// socket.socket([family[, type[, proto]]])
func (m *module) newPython(L *lua.LState) int {
	maxArgs(L, "socket.socket", 3)
	family := optInt32(L, "socket.socket", 1, 1, "family", syscall.AF_INET)
	typ := optInt32(L, "socket.socket", 2, 2, "type", syscall.SOCK_STREAM)
	proto := optInt32(L, "socket.socket", 3, 3, "proto", 0)
	return m.create(L, family, typ, proto, false)
}

// LuaSocket's constructors: socket.tcp() and socket.udp() have no family
// until bind or connect (lazy.go); the numbered ones open at once.
func (m *module) newTCP(L *lua.LState) int {
	maxArgs(L, "socket.tcp", 0)
	return m.newLazy(L, syscall.SOCK_STREAM)
}

func (m *module) newTCP4(L *lua.LState) int {
	maxArgs(L, "socket.tcp4", 0)
	return m.create(L, syscall.AF_INET, syscall.SOCK_STREAM, 0, true)
}

func (m *module) newTCP6(L *lua.LState) int {
	maxArgs(L, "socket.tcp6", 0)
	return m.create(L, syscall.AF_INET6, syscall.SOCK_STREAM, 0, true)
}

func (m *module) newUDP(L *lua.LState) int {
	maxArgs(L, "socket.udp", 0)
	return m.newLazy(L, syscall.SOCK_DGRAM)
}

func (m *module) newUDP4(L *lua.LState) int {
	maxArgs(L, "socket.udp4", 0)
	return m.create(L, syscall.AF_INET, syscall.SOCK_DGRAM, 0, true)
}

func (m *module) newUDP6(L *lua.LState) int {
	maxArgs(L, "socket.udp6", 0)
	return m.create(L, syscall.AF_INET6, syscall.SOCK_DGRAM, 0, true)
}

// socket.unix([type]) with type SOCK_STREAM (default), SOCK_DGRAM, "stream" or "dgram".
func (m *module) newUnix(L *lua.LState) int {
	maxArgs(L, "socket.unix", 1)
	typ := syscall.SOCK_STREAM
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
	case lua.LString:
		switch v {
		case "stream":
		case "dgram", "datagram":
			typ = syscall.SOCK_DGRAM
		case "seqpacket":
			typ = syscall.SOCK_SEQPACKET
		default:
			L.RaiseError("socket.unix: bad argument #1 (\"stream\" or \"dgram\" expected, got %q)", string(v))
		}
	default:
		typ = checkInt32(L, "socket.unix", 1, 1, "type")
	}
	return m.create(L, syscall.AF_UNIX, typ, 0, true)
}

// ok pushes LuaSocket's success value 1.
func ok(L *lua.LState) int {
	L.Push(lua.LNumber(1))
	return 1
}

// sock:bind(host, port | {host, port} | path)
func (m *module) bind(L *lua.LState) int {
	s := lazySelf(L, "bind")
	t, next := checkTarget(L, "bind", 2, 1, s.isUnix())
	maxArgs(L, "bind", next-1)
	return m.doBind(L, s, t)
}

func (m *module) doBind(L *lua.LState, s *sock, t target) int {
	a, err := m.resolve(L, s.family, t)
	if err != nil {
		return fail(L, err)
	}
	s.materialize(L, "bind", a.Family)
	if err := s.ns.Bind(m.h.Context(L), a); err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// sock:listen([backlog])
func (m *module) listen(L *lua.LState) int {
	s := open(L, "listen")
	maxArgs(L, "listen", 2)
	backlog := optInt32(L, "listen", 2, 1, "backlog", 128)
	if !s.isStream() {
		L.RaiseError("listen: not supported on a %s socket", s.kind())
	}
	if err := s.ns.Listen(backlog); err != nil {
		return fail(L, err)
	}
	setClass(L, 1, s)
	return ok(L)
}

// sock:accept() -> conn, addr
func (m *module) accept(L *lua.LState) int {
	s := open(L, "accept")
	maxArgs(L, "accept", 1)
	if !s.isStream() && s.luasock {
		// a LuaSocket master given a datagram descriptor by setfd: C's
		// accept(2) fails with EOPNOTSUPP, answered in strerror's words
		L.Push(lua.LNil)
		L.Push(lua.LString("Operation not supported"))
		L.Push(lua.LString("accept: not supported on a " + s.kind() + " socket"))
		return 3
	}
	if !s.isStream() {
		L.RaiseError("accept: not supported on a %s socket", s.kind())
	}
	if !isListening(s.ns) && !s.ns.Closed() {
		L.RaiseError("accept: socket is not listening (call listen first)")
	}
	var c *netcore.Socket
	var from netcore.Addr
	try := func(ctx context.Context) error {
		var err error
		c, from, err = s.ns.Accept(ctx)
		return err
	}
	err := m.h.Block(L, try)
	if outOfDescriptors(err) {
		// the connection waits in the backlog while forgotten sockets close
		err = m.reclaim(L, try)
	}
	if err != nil {
		return fail(L, err)
	}
	ns := newSock(c, s.luasock)
	tbl := m.push(L, ns)
	if s.tlsl != nil {
		m.acceptTLS(L, tbl, ns, s.tlsl)
	}
	if s.luasock {
		return 1 // LuaSocket's accept answers the client only
	}
	m.pushAddr(L, from)
	return 2
}

// connectArgs reads the target of connect, connect_ex and setpeername.
func (m *module) connectTo(L *lua.LState, fn string) (*sock, netcore.Addr, error) {
	s := lazySelf(L, fn)
	t, next := checkTarget(L, fn, 2, 1, s.isUnix())
	maxArgs(L, fn, next-1)
	a, err := m.resolve(L, s.family, t)
	if err != nil {
		return s, a, err
	}
	s.materialize(L, fn, a.Family)
	err = m.h.Block(L, func(ctx context.Context) error { return s.ns.Connect(ctx, a) })
	if err == nil {
		s.host = t.host // the name TLS checks the certificate against
	}
	setClass(L, 1, s)
	return s, a, err
}

// sock:connect(host, port | {host, port} | path)
func (m *module) connect(L *lua.LState) int {
	if _, _, err := m.connectTo(L, "connect"); err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// sock:connect_ex(...) -> 0 | code, story: code is Python's — the errno of a
// failed connect (EINPROGRESS on a non-blocking socket), or the EAI_* value
// of a host name that did not resolve (where Python raises socket.gaierror
// with it); story says the operation, address and reason.
func (m *module) connectEx(L *lua.LState) int {
	s, _, err := m.connectTo(L, "connect_ex")
	if err == nil {
		L.Push(lua.LNumber(0))
		return 1
	}
	code := netcore.GaiCode(err)
	if code == 0 {
		code = netcore.Errno(err)
	}
	if errors.Is(err, netcore.ErrTimeout) && s.timeout == 0 {
		code = int(syscall.EINPROGRESS) // as C and Python report it
	}
	L.Push(lua.LNumber(code))
	L.Push(lua.LString(err.Error()))
	return 2
}

// sock:close() is idempotent, as in Python and LuaSocket, also when the
// session closed the socket first.
func (m *module) close(L *lua.LState) int {
	s := lazySelf(L, "close")
	maxArgs(L, "close", 1)
	if s.ns == nil {
		s.closed = true
		return ok(L)
	}
	if !s.closed {
		flushErr := m.flushBeforeClose(L, s) // close sends what setbuffer kept
		s.closed = true
		if err := m.closeStream(L, s); err != nil && !errors.Is(err, netcore.ErrClosed) {
			return fail(L, err)
		}
		if flushErr != nil && !errors.Is(flushErr, netcore.ErrClosed) {
			return fail(L, flushErr)
		}
	}
	return ok(L)
}

// sock:detach() gives the socket to the session: it no longer closes when
// the task that made it ends, only by close, .close, collection or the end of
// the session.
func (m *module) detach(L *lua.LState) int {
	s := self(L, "detach") // a lazy socket opens here, so there is one to detach
	maxArgs(L, "detach", 1)
	s.ns.SetOwner(nil)
	return ok(L)
}

// sock:shutdown([how]) with SHUT_RD/SHUT_WR/SHUT_RDWR or "receive"/"send"/"both".
func (m *module) shutdown(L *lua.LState) int {
	s := open(L, "shutdown")
	maxArgs(L, "shutdown", 2)
	how := syscall.SHUT_RDWR
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LString:
		switch v {
		case "both":
		case "send":
			how = syscall.SHUT_WR
		case "receive":
			how = syscall.SHUT_RD
		default:
			L.RaiseError("shutdown: bad argument #1 (\"both\", \"send\" or \"receive\" expected, got %q)", string(v))
		}
	default:
		how = checkInt(L, "shutdown", 2, 1, "how")
		if how < 0 || how > 2 {
			L.RaiseError("shutdown: bad argument #1 (SHUT_RD, SHUT_WR or SHUT_RDWR expected, got %d)", how)
		}
	}
	if how != syscall.SHUT_RD {
		if err := m.flushBeforeClose(L, s); err != nil {
			return fail(L, err)
		}
	}
	if err := s.ns.Shutdown(how); err != nil {
		return fail(L, err)
	}
	return ok(L)
}

func (m *module) getsockname(L *lua.LState) int {
	s := open(L, "getsockname")
	maxArgs(L, "getsockname", 1)
	a, err := s.ns.LocalAddr()
	return m.pushName(L, s, a, err)
}

func (m *module) getpeername(L *lua.LState) int {
	s := open(L, "getpeername")
	maxArgs(L, "getpeername", 1)
	a, err := s.ns.RemoteAddr()
	return m.pushName(L, s, a, err)
}

// pushName answers getsockname/getpeername: addr, port, family for Python
// sockets; ip, port, family for LuaSocket's.
func (m *module) pushName(L *lua.LState, s *sock, a netcore.Addr, err error) int {
	if err != nil {
		return fail(L, err)
	}
	if s.luasock && !s.isUnix() {
		L.Push(lua.LString(hostString(a)))
	} else {
		m.pushAddr(L, a)
	}
	if s.isUnix() {
		return 1
	}
	L.Push(lua.LNumber(a.Port))
	L.Push(lua.LString(familyName(a.Family)))
	return 3
}

// sock:fileno() / sock:getfd() -> descriptor, -1 once closed.
func (m *module) fileno(L *lua.LState) int {
	s := lazySelf(L, "fileno")
	maxArgs(L, "fileno", 1)
	if !s.stillOpen() { // not open yet (lazy), or closed here, by another task, .close or its owner's end
		L.Push(lua.LNumber(-1))
		return 1
	}
	L.Push(lua.LNumber(s.ns.Fd()))
	return 1
}

// sock:setblocking(flag): true = settimeout(nil), false = settimeout(0).
func (m *module) setblocking(L *lua.LState) int {
	s := self(L, "setblocking")
	maxArgs(L, "setblocking", 2)
	v := L.Get(2)
	if v == lua.LNil && L.GetTop() < 2 {
		argError(L, "setblocking", 1, "boolean", 2)
	}
	if num, isNum := v.(lua.LNumber); isNum && num == 0 {
		v = lua.LFalse // Python's setblocking(0)
	}
	s.tmBlock, s.tmTotal = 0, -1
	if lua.LVAsBool(v) {
		s.tmBlock = -1
	}
	s.setTimeout(L, s.tmBlock)
	return ok(L)
}
