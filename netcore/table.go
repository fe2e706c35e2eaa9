package netcore

import (
	"slices"
	"sync"

	"golang.org/x/sys/unix"
)

// Table is the set of a session's open sockets. It is safe for concurrent
// use.
type Table struct {
	mu      sync.Mutex
	next    int
	socks   map[int]*Socket
	tracers map[string]Tracer // SetNamedTracer's
	tracer  *traceHook        // all of them as one, for sockets without their own
	// the open sockets of each owner but the session (owner.go)
	byOwner map[*Owner]map[*Socket]struct{}
	// the ports of sockets closed while a capture watches (ports.go)
	ports portMemory
}

// NewTable returns an empty Table.
func NewTable() *Table {
	return &Table{socks: make(map[int]*Socket), byOwner: make(map[*Owner]map[*Socket]struct{})}
}

// Open creates a socket (socket(2), non-blocking and close-on-exec) and
// registers it. A raw socket without the privilege gives
// "socket: operation not permitted".
func (t *Table) Open(family, typ, proto int) (*Socket, error) {
	typ &^= unix.SOCK_NONBLOCK | unix.SOCK_CLOEXEC
	fd, err := unix.Socket(family, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		return nil, &OpError{Op: "socket", Err: err}
	}
	s, err := newSocket(fd, family, typ, proto, stCreated)
	if err != nil {
		return nil, &OpError{Op: "socket", Err: err}
	}
	t.add(s)
	return s, nil
}

func (t *Table) add(s *Socket) { t.addFrom(s, nil) }

// addFrom registers s; an accepted socket (from is its listener) takes the
// listener's own trace setting, any other the table's tracer.
func (t *Table) addFrom(s *Socket, from *Socket) {
	t.mu.Lock()
	t.next++
	s.id = t.next
	s.table = t
	t.socks[s.id] = s
	if from != nil && from.traceOwn {
		s.traceOwn = true
		s.trace.Store(from.trace.Load())
	} else {
		s.trace.Store(t.tracer)
	}
	t.mu.Unlock()
}

func (t *Table) remove(s *Socket) {
	t.mu.Lock()
	t.rememberPort(s)
	delete(t.socks, s.id)
	t.disown(s)
	t.mu.Unlock()
}

// Len returns how many sockets are open.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.socks)
}

// Get returns the open socket with the given ID, or nil.
func (t *Table) Get(id int) *Socket {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.socks[id]
}

// Info describes one open socket for a listing.
type Info struct {
	ID       int
	Family   string // "AF_INET", "AF_INET6", "AF_UNIX"
	Type     string // "tcp", "tcp6", "udp", "udp6", "unix", "unixgram", "raw", ...
	Local    string
	Remote   string
	State    string // the kernel's state when known ("LISTEN", "ESTABLISHED", ...)
	Owner    string // who owns it ("task 3", "prompt", "script x.lua"); "session" for nobody
	BytesIn  uint64
	BytesOut uint64
	TLS      bool // a TLS session runs over the socket (the bytes counted are the wire's)
}

// Info describes the socket.
func (s *Socket) Info() Info {
	in := Info{
		ID:       s.id,
		Family:   FamilyName(s.family),
		Type:     TypeName(s.family, s.typ, s.proto),
		State:    s.KernelState(),
		Owner:    s.Owner().String(),
		BytesIn:  s.bytesIn.Load(),
		BytesOut: s.bytesOut.Load(),
		TLS:      s.tlsConn.Load() != nil,
	}
	if a, err := s.localAddr(); err == nil {
		in.Local = a.String()
	}
	if a, err := s.remoteAddr(); err == nil {
		in.Remote = a.String()
	}
	return in
}

// List describes every open socket, sorted by ID.
func (t *Table) List() []Info {
	socks := t.snapshot()
	out := make([]Info, 0, len(socks))
	for _, s := range socks {
		out = append(out, s.Info())
	}
	return out
}

func (t *Table) snapshot() []*Socket {
	t.mu.Lock()
	socks := make([]*Socket, 0, len(t.socks))
	for _, s := range t.socks {
		socks = append(socks, s)
	}
	t.mu.Unlock()
	slices.SortFunc(socks, func(a, b *Socket) int { return a.id - b.id })
	return socks
}

// CloseAll closes every open socket and returns how many it closed.
func (t *Table) CloseAll() int {
	n := 0
	for _, s := range t.snapshot() {
		if s.Close() == nil {
			n++
		}
	}
	return n
}

// ByFd returns the open socket whose descriptor is fd, or nil: LuaSocket's
// select takes any object with a getfd method (copas wraps its sockets so).
func (t *Table) ByFd(fd int) *Socket {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.socks {
		if s.fd == fd && !s.closed.Load() {
			return s
		}
	}
	return nil
}
