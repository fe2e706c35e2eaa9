package netcore

import (
	"net/netip"
	"slices"

	"golang.org/x/sys/unix"
)

// Endpoint is what a packet capture matches a socket's packets by: a
// connected socket by both its addresses (Linux gives the same ephemeral
// port to connections to different destinations, so a bare port would also
// match another process's connection), a listening or unconnected one by
// its local address alone (Peer invalid; an unspecified Local address
// stands for every local address). Proto is unix.IPPROTO_TCP, IPPROTO_UDP,
// or IPPROTO_ICMP/ICMPV6 for a ping socket, whose Local port is its echo
// identifier.
type Endpoint struct {
	Proto       int
	Local, Peer netip.AddrPort
}

// portMemory remembers the endpoints of the sockets closed while a packet
// capture watches the table: a short-lived socket (a client that connects,
// sends and closes within a millisecond) is gone before the capture reads
// its first packet, and its FIN and TIME_WAIT packets follow the close.
type portMemory struct {
	watchers int
	closed   map[Endpoint]bool
}

// WatchPorts starts remembering the endpoints of sockets closed from now
// on, for Endpoints and Ports; call the returned function to stop (watches
// nest).
func (t *Table) WatchPorts() (stop func()) {
	t.mu.Lock()
	t.ports.watchers++
	if t.ports.closed == nil {
		t.ports.closed = map[Endpoint]bool{}
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

// Endpoints returns the endpoints of the open IPv4 and IPv6 sockets that
// have a local port and of those closed while WatchPorts was on.
func (t *Table) Endpoints() []Endpoint {
	var out []Endpoint
	for _, s := range t.snapshot() {
		if e, ok := s.Endpoint(); ok {
			out = append(out, e)
		}
	}
	t.mu.Lock()
	for e := range t.ports.closed {
		out = append(out, e)
	}
	t.mu.Unlock()
	return out
}

// Ports returns, sorted, the local ports of Endpoints.
func (t *Table) Ports() []int {
	var out []int
	for _, e := range t.Endpoints() {
		out = append(out, int(e.Local.Port()))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Endpoint returns the socket's endpoint; ok is false when it has no local
// port or is not an IPv4/IPv6 stream or datagram socket (a raw socket's
// "port" is its protocol number). A stream whose connect has not completed
// has no peer yet (getpeername fails in SYN_SENT) and is matched by its
// local address until it has.
func (s *Socket) Endpoint() (e Endpoint, ok bool) {
	if !s.hasPort() {
		return e, false
	}
	var sa, pa unix.Sockaddr
	if s.control(func(fd int) error {
		sa, pa = getEndpoint(fd)
		return nil
	}) != nil {
		return e, false
	}
	return s.endpoint(sa, pa)
}

// getEndpoint is getsockname and getpeername (nil when not connected).
func getEndpoint(fd int) (local, peer unix.Sockaddr) {
	local, err := unix.Getsockname(fd)
	if err != nil {
		return nil, nil
	}
	peer, _ = unix.Getpeername(fd)
	return local, peer
}

func (s *Socket) endpoint(local, peer unix.Sockaddr) (e Endpoint, ok bool) {
	if local == nil {
		return e, false
	}
	la := fromSockaddr(local)
	if la.Port == 0 {
		return e, false
	}
	e.Proto = s.proto
	switch {
	case s.typ == unix.SOCK_STREAM:
		e.Proto = unix.IPPROTO_TCP
	case s.proto != unix.IPPROTO_ICMP && s.proto != unix.IPPROTO_ICMPV6:
		e.Proto = unix.IPPROTO_UDP
	}
	e.Local = netip.AddrPortFrom(la.IP.Unmap(), uint16(la.Port))
	if peer != nil {
		if pa := fromSockaddr(peer); pa.Port != 0 {
			e.Peer = netip.AddrPortFrom(pa.IP.Unmap(), uint16(pa.Port))
		}
	}
	return e, true
}

// rememberPort notes a closing socket's endpoint while a watch is on. The
// caller holds t.mu and the socket's descriptor is still open.
func (t *Table) rememberPort(s *Socket) {
	if t.ports.watchers == 0 {
		return
	}
	if !s.hasPort() {
		return
	}
	// s.control refuses a socket marked closed; its descriptor is still open.
	s.rc.Control(func(fd uintptr) {
		if e, ok := s.endpoint(getEndpoint(int(fd))); ok {
			t.ports.closed[e] = true
		}
	})
}

func (s *Socket) hasPort() bool {
	return (s.family == unix.AF_INET || s.family == unix.AF_INET6) && (s.typ == unix.SOCK_STREAM || s.typ == unix.SOCK_DGRAM)
}
