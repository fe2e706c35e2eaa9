package socket

import (
	"context"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// stream is the byte stream behind a socket's data methods (recv, send,
// receive, recvline, recvuntil, recvexactly, sendfile, recvfile...): the
// socket itself (a *netcore.Socket), or a TLS session over it
// (*netcore.TLSConn), so the methods are written once for both.
type stream interface {
	Recv(ctx context.Context, p []byte) (int, error)
	RecvPooled(ctx context.Context, pool netcore.BufferPool, n int) (*[]byte, int, error)
	RecvUntil(ctx context.Context, delim []byte, max int) ([]byte, error)
	RecvExactly(ctx context.Context, n int) ([]byte, error)
	Send(ctx context.Context, p []byte) (int, error)
	SendAll(ctx context.Context, p []byte) (int, error)
	SendFile(ctx context.Context, f *os.File, offset, count int64) (int64, error)
	RecvFileTee(ctx context.Context, w *os.File, count int64, tee io.Writer) (int64, error)
	Buffered() int
}

// stream is the byte stream of the data methods: the TLS session once the
// socket speaks TLS, else the socket.
func (s *sock) stream() stream {
	if s.tls != nil {
		return s.tls
	}
	return s.ns
}

// sock is the Go side of a Lua socket object.
type sock struct {
	ns     *netcore.Socket
	tls    *netcore.TLSConn // the TLS session (ssl.wrap, starttls), or nil
	tlsl   *tlsContext      // a listening socket's TLS context: accept wraps
	host   string           // the host connect was given (TLS checks it)
	family int
	typ    int
	// luasock marks sockets made by LuaSocket's shortcuts socket.bind and
	// socket.connect (and those a socket.bind server accepts): their
	// getsockname and getpeername answer ip, port, family as LuaSocket does.
	// socket.tcp/udp are the contract's Python shorthands and answer addr,
	// port, family.
	luasock bool
	// lazy is LuaSocket's socket.tcp()/udp(): no descriptor yet (getfd -1)
	// until bind/connect picks the family from the address, or any other
	// call makes an IPv4 one (see lazy.go). ns is nil while lazy.
	lazy    bool
	mod     *module // the module of a lazy socket, which opens it later
	class   string  // the last LuaSocket class seen (shape.go)
	sockets *netcore.Table
	closed  bool
	born    time.Time
	timeout float64 // seconds; <0 blocks forever (mirrors netcore)
	// LuaSocket's two timeouts, settimeout(v, "b") and (v, "t"); timeout
	// is the smaller one set (see luatimeout.go).
	tmBlock, tmTotal float64
	// setstats's corrections of the counters getstats reports.
	inAdj, outAdj int64

	// Reader state reused by recv so the hot path allocates neither a
	// buffer nor a closure; rbusy guards it when two tasks read at once.
	rbusy bool
	rbuf  []byte // the socket's own small buffer
	rcur  []byte // the buffer of the read in progress (rbuf or a pooled one)
	rwant int
	rn    int
	rfn   func(context.Context) error
	rstr  lua.LString // what a big read received (see rpfn)
	rpfn  func(context.Context) error
	// Delimited-read state for recvline, recvuntil and receive("*l").
	ubusy  bool
	udelim []byte
	umax   int
	uout   []byte
	ufn    func(context.Context) error
	// Writer state, the same idea for send and sendall.
	wbusy bool
	wdata []byte
	wn    int
	wall  bool
	wfn   func(context.Context) error
	// Datagram state for recvfrom and sendto (dgram_io.go), made on first use.
	dg *dgramIO
}

// newSock wraps ns, binding its reusable per-call closures once.
func newSock(ns *netcore.Socket, luasock bool) *sock {
	s := &sock{family: syscall.AF_UNSPEC, luasock: luasock, born: time.Now(), timeout: -1, tmBlock: -1, tmTotal: -1}
	if ns != nil {
		s.ns, s.family, s.typ = ns, ns.Family(), ns.Type()
	}
	s.rfn = func(ctx context.Context) error {
		var err error
		s.rn, err = s.stream().Recv(ctx, s.rcur[:s.rwant])
		return err
	}
	// rpfn makes the string with the session lock still released: copying
	// 16 KiB takes microseconds that other tasks can use.
	s.rpfn = func(ctx context.Context) error {
		b, n, err := s.stream().RecvPooled(ctx, &bigBufs, s.rwant)
		if b != nil {
			s.rstr = bigString(b, n)
		}
		return err
	}
	s.ufn = func(ctx context.Context) error {
		var err error
		s.uout, err = s.stream().RecvUntil(ctx, s.udelim, s.umax)
		return err
	}
	s.wfn = func(ctx context.Context) error {
		var err error
		if s.wall {
			s.wn, err = s.stream().SendAll(ctx, s.wdata)
		} else {
			s.wn, err = s.stream().Send(ctx, s.wdata)
		}
		return err
	}
	if ns != nil {
		watchCollected(s) // a lazy socket is watched once it opens (lazy.go)
	}
	return s
}

// ownBufMax is the largest read buffer a socket keeps for itself; larger
// reads (an echo server's recv(65536)) borrow from bigBufs, so a thousand
// idle connections do not hold 64 KiB each.
const ownBufMax = 4096

// bigBufSize is the size of a pooled buffer; larger reads allocate.
const bigBufSize = 64 << 10

// bigBufs pools bigBufSize read buffers shared by all sockets.
var bigBufs = bufPool{sync.Pool{New: func() any { b := make([]byte, bigBufSize); return &b }}}

// bufPool is a sync.Pool of *[]byte that is a netcore.BufferPool.
type bufPool struct{ p sync.Pool }

func (b *bufPool) Get() *[]byte  { return b.p.Get().(*[]byte) }
func (b *bufPool) Put(p *[]byte) { b.p.Put(p) }

// readBuf returns a buffer of n <= ownBufMax bytes owned by s.
func (s *sock) readBuf(n int) []byte {
	if n > cap(s.rbuf) {
		s.rbuf = make([]byte, max(n, 512))
	}
	return s.rbuf[:n]
}

const sockType = "socket.socket"

// sockKey is the field of a socket object that holds its Go side (the
// convention plugins.SocketsOf reads).
const sockKey = plugins.SocketField

// HeldSockets makes the userdata a plugins.SocketHolder: the session's
// ownership walk sees the socket through it.
func (s *sock) HeldSockets() []*netcore.Socket {
	if s.ns == nil {
		return nil
	}
	return []*netcore.Socket{s.ns}
}

// push makes the Lua object of s and pushes it. A socket object is a table
// with the Python attributes family, type, proto and timeout as plain fields
// and a metatable whose __index is the methods table itself: a method call
// is then two table look-ups, with no Go call and no allocation (a function
// __index costs about 180 ns and an allocation per call).
//
// A new socket belongs to the task (or prompt line, or script) that made or
// accepted it, so it closes when that owner ends unless something outlives
// the owner holds it (see the shell's lifetime.go).
func (m *module) push(L *lua.LState, s *sock) *lua.LTable {
	if s.ns != nil {
		s.ns.SetOwner(m.h.Owner(L))
	}
	ud := L.NewUserData()
	ud.Value = s
	t := L.CreateTable(0, 5)
	t.RawSetString(sockKey, ud)
	t.RawSetString("family", lua.LNumber(s.family))
	t.RawSetString("type", lua.LNumber(s.typ))
	proto := 0
	if s.ns != nil {
		proto = s.ns.Proto()
	}
	t.RawSetString("proto", lua.LNumber(proto))
	if s.luasock {
		t.RawSetString("class", lua.LString(s.className()))
	}
	t.Metatable = m.sockMT
	L.Push(t)
	return t
}

// sockOf returns the socket behind a Lua value, or nil.
func sockOf(v lua.LValue) *sock {
	if t, ok := v.(*lua.LTable); ok {
		if ud, ok := t.RawGetString(sockKey).(*lua.LUserData); ok {
			if s, ok := ud.Value.(*sock); ok {
				return s
			}
		}
	}
	return nil
}

// toSock returns the socket at idx or nil.
func toSock(L *lua.LState, idx int) *sock { return sockOf(L.Get(idx)) }

// self returns the socket a method was called on, raising on misuse such as
// s.recv(4) (a dot instead of a colon).
func self(L *lua.LState, fn string) *sock {
	s := toSock(L, 1)
	if s == nil {
		L.RaiseError("%s: bad self (socket expected, got %s; call it as sock:%s(...))", fn, L.Get(1).Type().String(), fn)
	}
	if s.ns == nil {
		s.materialize(L, fn, syscall.AF_INET)
	}
	return s
}

// open is self for the calls that use the descriptor. A closed socket is no
// misuse: another task may close it at any moment, so whether it closed just
// before the call or while the call waits, the call goes on to netcore, which
// answers ErrClosed, and the script gets nil, "closed", story — never an error
// raised in one case and a value returned in the other.
func open(L *lua.LState, fn string) *sock { return self(L, fn) }

func (s *sock) isUnix() bool { return s.family == syscall.AF_UNIX }
func (s *sock) isStream() bool {
	return s.typ == syscall.SOCK_STREAM || s.typ == syscall.SOCK_SEQPACKET
}

// kind is the short name used in __tostring and errors ("tcp", "udp6"...).
func (s *sock) kind() string {
	if s.ns == nil {
		return netcore.TypeName(syscall.AF_INET, s.typ, 0)
	}
	return netcore.TypeName(s.family, s.typ, s.ns.Proto())
}

// describe renders "<tcp 127.0.0.1:8081 -> 127.0.0.1:51234 ESTABLISHED>".
func (s *sock) describe() string {
	var b strings.Builder
	b.WriteString("<")
	b.WriteString(s.kind())
	if s.tls != nil || s.tlsl != nil {
		b.WriteString("+tls")
	}
	if s.ns == nil && !s.closed {
		b.WriteString(" no descriptor yet>")
		return b.String()
	}
	if s.closed || s.ns.Closed() {
		b.WriteString(" closed>")
		return b.String()
	}
	if la, err := s.ns.LocalAddr(); err == nil && la.String() != "" {
		b.WriteString(" ")
		b.WriteString(la.String())
	}
	if ra, err := s.ns.RemoteAddr(); err == nil && ra.String() != "" {
		b.WriteString(" -> ")
		b.WriteString(ra.String())
	}
	if st := s.ns.KernelState(); st != "" {
		b.WriteString(" ")
		b.WriteString(st)
	}
	b.WriteString(">")
	return b.String()
}

func pushTimeout(L *lua.LState, s *sock) {
	if s.timeout < 0 {
		L.Push(lua.LNil)
		return
	}
	L.Push(lua.LNumber(s.timeout))
}

// setTimeout stores a timeout in seconds (<0: block forever) and mirrors it
// in the object's timeout field (nil when blocking, as Python's).
func (s *sock) setTimeout(L *lua.LState, sec float64) {
	s.timeout = sec
	if t, ok := L.Get(1).(*lua.LTable); ok {
		if sec < 0 {
			t.RawSetString("timeout", lua.LNil)
		} else {
			t.RawSetString("timeout", lua.LNumber(sec))
		}
	}
	if s.ns == nil {
		return // materialize applies it
	}
	if sec < 0 {
		s.ns.SetTimeout(-1)
		return
	}
	s.ns.SetTimeout(time.Duration(sec * float64(time.Second)))
}

// isListening reports whether ns is in the listening state.
func isListening(ns *netcore.Socket) bool { return ns.State() == netcore.StateListening }

// stillOpen reports whether the socket's descriptor is still open (the
// session may have closed it under the script).
func (s *sock) stillOpen() bool { return !s.closed && s.ns != nil && !s.ns.Closed() }

// closeStream closes the socket; a TLS session first sends close_notify
// (bounded: a second at most, and skipped while a send is stuck), outside
// the session lock.
func (m *module) closeStream(L *lua.LState, s *sock) error {
	if s.tls == nil {
		return s.ns.Close()
	}
	return m.h.Block(L, func(context.Context) error { return s.tls.Close() })
}
