package netcore

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Socket is one BSD socket. Its methods are safe for concurrent use: one
// goroutine may Recv while another Sends or Closes. Calls in the same
// direction (two Recvs, or Recv and Accept) run one after the other.
type Socket struct {
	table              *Table
	id                 int
	owner              *Owner // guarded by table.mu (see owner.go)
	family, typ, proto int
	fd                 int
	f                  *os.File
	rc                 syscall.RawConn
	state              atomic.Int32
	closed             atomic.Bool
	connecting         atomic.Bool             // a connect was started and has not been confirmed
	tlsConn            atomic.Pointer[TLSConn] // the TLS session over the socket (NewTLS)
	timeout            atomic.Int64
	bytesIn, bytesOut  atomic.Uint64
	peer               atomic.Pointer[Addr]
	cmu                sync.Mutex // bind, listen and the end of connect
	rmu                sync.Mutex // reads: rop, rbuf
	rop                ioOp
	rbuf               []byte
	rpos, rend         int
	wmu                sync.Mutex // writes: wop, wbuf
	wop                ioOp
	wbuf               []byte                    // bytes buffered for sending (see wbuf.go)
	wcap               int                       // the write buffer's size; 0: not buffering
	werr               error                     // a flush's failure inside a read, for the next send
	wpending           atomic.Bool               // wbuf is not empty (read without wmu)
	wbuffered          atomic.Bool               // wcap > 0 (read without wmu)
	trace              atomic.Pointer[traceHook] // nil: not traced (the hot path's one check)
	traceOwn           bool                      // SetTracer was called; guarded by table.mu
	traceLocal         atomic.Pointer[Addr]      // a connected stream's local address, once traced (see traceLocalAddr)
	peerStr            atomic.Pointer[addrText]  // the peer's text for errors (see peerText)
}

// newSocket wraps the non-blocking descriptor fd. It takes ownership of fd.
func newSocket(fd, family, typ, proto int, st state) (*Socket, error) {
	f := os.NewFile(uintptr(fd), "socket")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &Socket{family: family, typ: typ, proto: proto, fd: fd, f: f, rc: rc}
	s.state.Store(int32(st))
	s.timeout.Store(-1)
	s.rop.init(s, false)
	s.wop.init(s, true)
	return s, nil
}

// control runs fn on the descriptor, holding a reference so a concurrent
// Close cannot pull the descriptor away. It returns ErrClosed when closed.
func (s *Socket) control(fn func(fd int) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	var err error
	if cerr := s.rc.Control(func(fd uintptr) { err = fn(int(fd)) }); cerr != nil {
		return ErrClosed
	}
	return err
}

func (s *Socket) st() state { return state(s.state.Load()) }

// ID returns the socket's number in its Table (1, 2, 3, ...).
func (s *Socket) ID() int { return s.id }

// Fd returns the descriptor number (meaningless after Close).
func (s *Socket) Fd() int { return s.fd }

// Family returns the address family (unix.AF_INET, ...).
func (s *Socket) Family() int { return s.family }

// Type returns the socket type (unix.SOCK_STREAM, ...).
func (s *Socket) Type() int { return s.typ }

// Proto returns the protocol given to Open (often 0).
func (s *Socket) Proto() int { return s.proto }

// BytesIn returns how many bytes were received from the kernel.
func (s *Socket) BytesIn() uint64 { return s.bytesIn.Load() }

// BytesOut returns how many bytes were handed to the kernel.
func (s *Socket) BytesOut() uint64 { return s.bytesOut.Load() }

// Closed reports whether Close was called.
func (s *Socket) Closed() bool { return s.closed.Load() }

// SetTimeout sets the timeout of each blocking call: d < 0 blocks without
// limit (the default), d == 0 makes the socket non-blocking (a call that
// would wait returns ErrTimeout at once), d > 0 bounds the wait.
// RecvLine, RecvUntil, RecvExactly, SendAll, SendFile and RecvFile apply d to
// the whole call.
func (s *Socket) SetTimeout(d time.Duration) {
	if d < 0 {
		d = -1
	}
	s.timeout.Store(int64(d))
}

// Timeout returns the timeout set by SetTimeout (-1: none).
func (s *Socket) Timeout() time.Duration { return time.Duration(s.timeout.Load()) }

// fail builds the *OpError of op. Addr is a when given, else the peer, else
// the local address.
func (s *Socket) fail(op string, a Addr, err error) error {
	if err == nil {
		return nil
	}
	addr := a.String()
	if a.IsZero() {
		if p := s.peer.Load(); p != nil {
			addr = s.peerText(p)
		} else if la, lerr := s.localAddr(); lerr == nil && !la.unbound() {
			addr = la.String()
		}
	}
	return &OpError{Op: op, Addr: addr, Err: err}
}

// Bind binds the socket to a (bind(2)). Options set before Bind apply.
func (s *Socket) Bind(ctx context.Context, a Addr) error {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	switch s.st() {
	case stClosed:
		return s.refuse("bind", a, ErrClosed)
	case stBound, stListening:
		return s.refuse("bind", a, ErrAlreadyBound)
	case stConnected:
		if s.isStream() {
			return s.refuse("bind", a, ErrAlreadyConnected)
		}
	}
	sa, err := a.toSockaddr(s.family)
	if err != nil {
		return s.refuse("bind", a, err)
	}
	err = s.control(func(fd int) error { return unix.Bind(fd, sa) })
	if err != nil {
		err = s.fail("bind", a, err)
	} else if s.st() == stCreated {
		s.state.Store(int32(stBound))
	}
	if h := s.trace.Load(); h != nil {
		s.traceCall(h, "bind", Addr{}, 0, err)
	}
	return err
}

// Listen makes the socket listen (listen(2)); backlog < 0 means SOMAXCONN.
// A datagram socket gives the kernel's "operation not supported".
func (s *Socket) Listen(backlog int) error {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	switch s.st() {
	case stClosed:
		return s.refuse("listen", Addr{}, ErrClosed)
	case stConnected:
		if s.isStream() {
			return s.refuse("listen", Addr{}, ErrAlreadyConnected)
		}
	}
	if backlog < 0 {
		backlog = unix.SOMAXCONN
	}
	err := s.control(func(fd int) error { return unix.Listen(fd, backlog) })
	if err != nil {
		err = s.fail("listen", Addr{}, err)
	} else {
		s.state.Store(int32(stListening))
	}
	if h := s.trace.Load(); h != nil {
		s.traceCall(h, "listen", Addr{}, backlog, err)
	}
	return err
}

// Accept waits for a connection and returns it as a new connected Socket,
// registered in the same Table, with the peer's address.
func (s *Socket) Accept(ctx context.Context) (*Socket, Addr, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	switch st := s.st(); {
	case st == stClosed:
		return nil, Addr{}, s.refuse("accept", Addr{}, ErrClosed)
	case !s.isStream():
		return nil, Addr{}, s.refuse("accept", Addr{}, unix.EOPNOTSUPP)
	case st != stListening:
		return nil, Addr{}, s.refuse("accept", Addr{}, ErrNotListening)
	}
	o := &s.rop
	o.begin(ctx, opAccept)
	err := o.do()
	nfd, from := o.nfd, o.from
	o.end()
	var ns *Socket
	if err == nil {
		ns, err = newSocket(nfd, s.family, s.typ, s.proto, stConnected)
	}
	h := s.trace.Load()
	if err != nil {
		err = s.fail("accept", Addr{}, err)
		if h != nil {
			s.traceCall(h, "accept", Addr{}, 0, err)
		}
		return nil, Addr{}, err
	}
	addr := fromSockaddr(from)
	ns.peer.Store(&addr)
	if s.table != nil {
		s.table.addFrom(ns, s)
	}
	if h != nil {
		ev := &TraceEvent{Op: "accept", Peer: addr, NewID: ns.id}
		if la, err := ns.localAddr(); err == nil {
			ev.Local = la
		}
		s.emit(h, ev)
	}
	return ns, addr, nil
}

// Connect connects the socket to a (connect(2)), waiting for a TCP
// handshake. On a datagram socket, an Addr of family AF_UNSPEC (the zero
// Addr) dissolves the association, as connect(2) with AF_UNSPEC does. With timeout 0 an unfinished connect returns ErrTimeout and
// goes on in the background; a later Connect, Send or Recv sees the result.
func (s *Socket) Connect(ctx context.Context, a Addr) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if a.Family == unix.AF_UNSPEC && !s.isStream() && s.st() != stClosed {
		return s.disconnect()
	}
	switch st := s.st(); {
	case st == stClosed:
		return s.refuse("connect", a, ErrClosed)
	case st == stListening:
		return s.refuse("connect", a, ErrListening)
	case st == stConnected && s.isStream():
		return s.refuse("connect", a, ErrAlreadyConnected)
	}
	sa, err := a.toSockaddr(s.family)
	if err != nil {
		return s.refuse("connect", a, err)
	}
	o := &s.wop
	o.begin(ctx, opConnect)
	o.sa = sa
	err = o.do()
	o.end()
	if err != nil {
		if s.isStream() && (err == ErrTimeout || err == ErrInterrupted) {
			s.connecting.Store(true)
		}
		err = s.fail("connect", a, err)
	} else {
		s.connected()
	}
	if h := s.trace.Load(); h != nil {
		s.traceCall(h, "connect", a, 0, err)
	}
	return err
}

// disconnect connects a datagram socket to AF_UNSPEC, which removes its peer.
func (s *Socket) disconnect() error {
	sa := unix.RawSockaddr{Family: unix.AF_UNSPEC}
	err := s.control(func(fd int) error {
		_, _, e := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa))
		if e != 0 {
			return e
		}
		return nil
	})
	if err != nil {
		return s.fail("connect", Addr{}, err)
	}
	s.peer.Store(nil)
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.st() == stConnected {
		st := stCreated
		if la, err := s.localAddr(); err == nil && !la.unbound() {
			st = stBound
		}
		s.state.Store(int32(st))
	}
	return nil
}

// connected records that the socket has a peer.
func (s *Socket) connected() {
	s.connecting.Store(false)
	s.cmu.Lock()
	if s.st() != stClosed {
		s.state.Store(int32(stConnected))
	}
	s.cmu.Unlock()
	if ra, err := s.remoteAddr(); err == nil {
		s.peer.Store(&ra)
	}
}

// checkConnected returns nil when a stream socket may carry data, noticing a
// connect that finished in the background.
func (s *Socket) checkConnected() error {
	switch s.st() {
	case stConnected:
		return nil
	case stClosed:
		return ErrClosed
	case stListening:
		if s.isStream() {
			return ErrListening
		}
		return nil
	}
	if !s.isStream() {
		return nil
	}
	if s.connecting.Load() {
		if _, err := s.remoteAddr(); err == nil {
			s.connected()
			return nil
		}
	}
	return ErrNotConnected
}

// Shutdown shuts down reading, writing or both (unix.SHUT_RD, SHUT_WR,
// SHUT_RDWR). The BSD state stays; KernelState shows the effect.
func (s *Socket) Shutdown(how int) error {
	s.flushNow()
	err := s.control(func(fd int) error { return unix.Shutdown(fd, how) })
	err = s.fail("shutdown", Addr{}, err)
	if h := s.trace.Load(); h != nil {
		s.traceCall(h, "shutdown", Addr{}, how, err)
	}
	return err
}

// Close closes the socket, wakes calls blocked on it (they return
// ErrClosed) and removes it from its Table. Closing a closed socket returns
// an error wrapping ErrClosed and does nothing else.
func (s *Socket) Close() error {
	h := s.trace.Load()
	var ev *TraceEvent
	if h != nil && !s.closed.Load() {
		ev = s.traceClose(h)
	}
	if !s.closed.CompareAndSwap(false, true) {
		return &OpError{Op: "close", Err: ErrClosed}
	}
	s.flushNow()
	s.cmu.Lock()
	s.state.Store(int32(stClosed))
	s.cmu.Unlock()
	if s.table != nil {
		s.table.remove(s)
	}
	err := s.f.Close()
	s.rop.unwatch()
	s.wop.unwatch()
	if err != nil {
		err = &OpError{Op: "close", Err: err}
	}
	if ev != nil {
		ev.Err = err
		h.t.Trace(ev)
	}
	return err
}

// LocalAddr returns the socket's own address (getsockname).
func (s *Socket) LocalAddr() (Addr, error) {
	a, err := s.localAddr()
	if err != nil {
		return Addr{}, &OpError{Op: "getsockname", Err: err}
	}
	return a, nil
}

func (s *Socket) localAddr() (Addr, error) {
	var a Addr
	err := s.control(func(fd int) error {
		sa, err := unix.Getsockname(fd)
		if err == nil {
			a = fromSockaddr(sa)
			if a.Family == 0 {
				a.Family = s.family
			}
		}
		return err
	})
	return a, err
}

// RemoteAddr returns the peer's address (getpeername), or an error wrapping
// ErrNotConnected.
func (s *Socket) RemoteAddr() (Addr, error) {
	a, err := s.remoteAddr()
	if err != nil {
		return Addr{}, s.fail("getpeername", Addr{}, err)
	}
	return a, nil
}

func (s *Socket) remoteAddr() (Addr, error) {
	var a Addr
	err := s.control(func(fd int) error {
		sa, err := unix.Getpeername(fd)
		if err == unix.ENOTCONN {
			return ErrNotConnected
		}
		if err == nil {
			a = fromSockaddr(sa)
			if a.Family == 0 {
				a.Family = s.family
			}
		}
		return err
	})
	return a, err
}
