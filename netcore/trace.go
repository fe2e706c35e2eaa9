package netcore

import (
	"os"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// A Tracer receives one TraceEvent per socket call of the sockets it traces
// (see Table.SetTracer and Socket.SetTracer). Trace runs on the goroutine
// that made the call, right after the system call, so it is called from many
// goroutines at once and must be safe for that. ev and ev.Data belong to
// the caller: they are valid only until Trace returns (copy what you keep).
type Tracer interface {
	Trace(ev *TraceEvent)
}

// TraceEvent describes one traced call. Op is the call: "bind", "listen",
// "connect", "accept", "send" (also SendAll, once for all its bytes),
// "sendto", "sendfile", "recv", "recvfrom", and for the kernel reads of the
// buffered helpers "recvline", "recvuntil", "recvexactly", "recvfile";
// "shutdown" and "close". A stream's end is a "recv"-like event with EOF set.
// Bytes the helpers had buffered are not traced again when a later call
// returns them: the trace shows what crossed the kernel boundary.
//
// Code outside netcore that moves bytes over a socket in its own layer (TLS
// plaintext, say) can report them with Socket.Trace under an Op of its own
// ("tls-send", "tls-recv"); consumers that rebuild packets must only use the
// Ops listed above.
type TraceEvent struct {
	Time                time.Time
	ID                  int // the socket's ID in its Table
	Family, Type, Proto int
	Op                  string
	Local, Peer         Addr     // as known at the call (zero when unknown)
	Data                []byte   // the bytes sent or received (nil for sendfile)
	File                *os.File // sendfile: the N bytes sent are File's from FileOffset (File.ReadAt them during Trace)
	FileOffset          int64
	N                   int64 // how many bytes the call moved
	EOF                 bool  // a stream read returned 0: the peer closed its side
	Peek                bool  // MSG_PEEK: the bytes stay in the kernel
	Reset               bool  // close: the kernel resets the connection (SO_LINGER 0 or unread data)
	Arg                 int   // listen: backlog; shutdown: SHUT_RD, SHUT_WR or SHUT_RDWR
	NewID               int   // accept: the ID of the accepted socket
	Err                 error // the call's error (an *OpError), nil on success
}

// traceHook boxes a Tracer for an atomic pointer.
type traceHook struct{ t Tracer }

// SetTracer traces every socket of the table, open now or opened later,
// except those given their own setting with Socket.SetTracer. nil stops it.
// It is SetNamedTracer("", tr).
func (t *Table) SetTracer(tr Tracer) { t.SetNamedTracer("", tr) }

// SetNamedTracer sets one of the table's tracers by name (nil removes it):
// every event goes to each of them, in the order of their names. Separate
// features use separate names ("trace" for socket.trace, "capture" for a
// synthesised capture), so one turned on or off never drops the other.
func (t *Table) SetNamedTracer(name string, tr Tracer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tracers == nil {
		t.tracers = map[string]Tracer{}
	}
	if tr == nil {
		delete(t.tracers, name)
	} else {
		t.tracers[name] = tr
	}
	t.tracer = nil
	switch len(t.tracers) {
	case 0:
	case 1:
		for _, one := range t.tracers {
			t.tracer = hookOf(one)
		}
	default:
		names := make([]string, 0, len(t.tracers))
		for n := range t.tracers {
			names = append(names, n)
		}
		slices.Sort(names)
		fan := make(fanout, len(names))
		for i, n := range names {
			fan[i] = t.tracers[n]
		}
		t.tracer = hookOf(fan)
	}
	for _, s := range t.socks {
		if !s.traceOwn {
			s.trace.Store(t.tracer)
		}
	}
}

// fanout hands each event to several tracers.
type fanout []Tracer

func (f fanout) Trace(ev *TraceEvent) {
	for _, tr := range f {
		tr.Trace(ev)
	}
}

// Tracer returns the table's tracer set by SetTracer (nil when none).
func (t *Table) Tracer() Tracer { return t.NamedTracer("") }

// NamedTracer returns the tracer set under name (nil when none).
func (t *Table) NamedTracer(name string) Tracer {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tracers[name]
}

// Traced reports whether the table's sockets are traced by any tracer.
func (t *Table) Traced() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tracer != nil
}

// SetTracer gives the socket its own tracer, whatever the table's is; nil
// turns tracing off for this socket. Sockets it accepts inherit the setting.
func (s *Socket) SetTracer(tr Tracer) {
	if s.table != nil {
		s.table.mu.Lock()
		defer s.table.mu.Unlock()
	}
	s.traceOwn = true
	s.trace.Store(hookOf(tr))
}

// InheritTracer undoes SetTracer: the socket follows the table's tracer.
func (s *Socket) InheritTracer() {
	if s.table == nil {
		s.SetTracer(nil)
		return
	}
	s.table.mu.Lock()
	defer s.table.mu.Unlock()
	s.traceOwn = false
	s.trace.Store(s.table.tracer)
}

// Tracer returns the tracer in force for the socket (nil when off).
func (s *Socket) Tracer() Tracer { return s.trace.Load().tracer() }

// Trace reports ev to the socket's tracer, if it has one, and says whether
// it did. It fills in what ev leaves zero: Time, ID, Family, Type, Proto,
// Local and Peer. It is how a layer above netcore (TLS) adds its events.
func (s *Socket) Trace(ev *TraceEvent) bool {
	h := s.trace.Load()
	if h == nil {
		return false
	}
	s.emit(h, ev)
	return true
}

func hookOf(tr Tracer) *traceHook {
	if tr == nil {
		return nil
	}
	return &traceHook{tr}
}

func (h *traceHook) tracer() Tracer {
	if h == nil {
		return nil
	}
	return h.t
}

// emit completes ev and hands it to h. Only traced calls get here, so what it
// costs (getsockname) costs nothing when tracing is off.
func (s *Socket) emit(h *traceHook, ev *TraceEvent) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	ev.ID, ev.Family, ev.Type, ev.Proto = s.id, s.family, s.typ, s.proto
	if ev.Local.IsZero() {
		ev.Local = s.traceLocalAddr()
	}
	if ev.Peer.IsZero() {
		if p := s.peer.Load(); p != nil {
			ev.Peer = *p
		}
	}
	h.t.Trace(ev)
}

// refuse is fail for a call refused before any system call (the socket is
// closed, not connected, already bound...): the refusal is traced too.
func (s *Socket) refuse(op string, a Addr, err error) error {
	err = s.fail(op, a, err)
	if h := s.trace.Load(); h != nil {
		s.traceCall(h, op, a, 0, err)
	}
	return err
}

// traceLocalAddr is the local address for an event. A connected stream
// socket's cannot change, so it is asked of the kernel once (getsockname
// per event would be most of what a traced call costs); after Close it is
// the address the socket had.
func (s *Socket) traceLocalAddr() Addr {
	stable := s.isStream() && s.st() == stConnected
	if p := s.traceLocal.Load(); p != nil && (stable || s.closed.Load()) {
		return *p
	}
	a, err := s.localAddr()
	if err != nil {
		if p := s.traceLocal.Load(); p != nil {
			return *p
		}
		return Addr{}
	}
	if stable {
		s.traceLocal.Store(&a)
	}
	return a
}

// traceCall reports a call that moved no data (bind, listen, connect,
// shutdown) or failed.
func (s *Socket) traceCall(h *traceHook, op string, peer Addr, arg int, err error) {
	s.emit(h, &TraceEvent{Op: op, Peer: peer, Arg: arg, Err: err})
}

// traceData reports a call that moved the bytes of data (or failed with err).
// A stream read of nothing without error is the peer's end of stream.
func (s *Socket) traceData(h *traceHook, op string, peer Addr, data []byte, err error) {
	ev := &TraceEvent{Op: op, Peer: peer, Data: data, N: int64(len(data)), Err: err}
	if err == nil && len(data) == 0 && s.isStream() && op != "send" && op != "sendto" {
		ev.EOF = true
	}
	s.emit(h, ev)
}

// traceClose reports a Close before the descriptor goes, while its addresses
// and the reason for a reset can still be read from the kernel.
func (s *Socket) traceClose(h *traceHook) *TraceEvent {
	ev := &TraceEvent{Op: "close", Time: time.Now()}
	ev.ID, ev.Family, ev.Type, ev.Proto = s.id, s.family, s.typ, s.proto
	if a, err := s.localAddr(); err == nil {
		ev.Local = a
		s.traceLocal.Store(&a)
	}
	if a, err := s.remoteAddr(); err == nil {
		ev.Peer = a
	} else if p := s.peer.Load(); p != nil {
		ev.Peer = *p
	}
	if s.isTCP() {
		_ = s.control(func(fd int) error {
			l, err := unix.GetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER)
			unread, ierr := unix.IoctlGetInt(fd, unix.SIOCINQ)
			ev.Reset = (err == nil && l.Onoff != 0 && l.Linger == 0) || (ierr == nil && unread > 0)
			return nil
		})
	}
	return ev
}
