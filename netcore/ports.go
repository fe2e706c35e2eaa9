package netcore

import (
	"slices"

	"golang.org/x/sys/unix"
)

// portMemory remembers the local ports of the sockets closed while a packet
// capture watches the table: a short-lived socket (a client that connects,
// sends and closes within a millisecond) is gone before the capture reads
// its first packet, and its FIN and TIME_WAIT packets follow the close.
type portMemory struct {
	watchers int
	closed   map[int]bool
}

// WatchPorts starts remembering the ports of sockets closed from now on, for
// Ports; call the returned function to stop (watches nest).
func (t *Table) WatchPorts() (stop func()) {
	t.mu.Lock()
	t.ports.watchers++
	if t.ports.closed == nil {
		t.ports.closed = map[int]bool{}
	}
	t.mu.Unlock()
	done := false
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if done {
			return
		}
		done = true
		if t.ports.watchers--; t.ports.watchers == 0 {
			t.ports.closed = nil
		}
	}
}

// Ports returns, sorted, the local ports of the open IPv4 and IPv6 sockets
// and of those closed while WatchPorts was on.
func (t *Table) Ports() []int {
	var out []int
	for _, s := range t.snapshot() {
		if p := s.localPort(); p != 0 {
			out = append(out, p)
		}
	}
	t.mu.Lock()
	for p := range t.ports.closed {
		out = append(out, p)
	}
	t.mu.Unlock()
	slices.Sort(out)
	return slices.Compact(out)
}

// localPort is the socket's bound port, 0 when it has none or is not an
// IPv4/IPv6 stream or datagram socket (a raw socket's "port" is its
// protocol number; a ping socket's is its echo identifier, kept).
func (s *Socket) localPort() int {
	if !s.hasPort() {
		return 0
	}
	a, err := s.localAddr()
	if err != nil {
		return 0
	}
	return a.Port
}

// rememberPort notes a closing socket's port while a watch is on. The caller
// holds t.mu and the socket's descriptor is still open.
func (t *Table) rememberPort(s *Socket) {
	if t.ports.watchers == 0 {
		return
	}
	if !s.hasPort() {
		return
	}
	// s.control refuses a socket marked closed; its descriptor is still open.
	s.rc.Control(func(fd uintptr) {
		if sa, err := unix.Getsockname(int(fd)); err == nil {
			if p := fromSockaddr(sa).Port; p != 0 {
				t.ports.closed[p] = true
			}
		}
	})
}

func (s *Socket) hasPort() bool {
	return (s.family == unix.AF_INET || s.family == unix.AF_INET6) && (s.typ == unix.SOCK_STREAM || s.typ == unix.SOCK_DGRAM)
}
