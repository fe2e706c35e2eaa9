package capture

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Endpoint is one of the session's sockets as the capture matches it (the
// same fields as netcore.Endpoint, so one converts to the other): a
// connected socket by both addresses, since Linux gives one ephemeral port
// to connections to different destinations and a bare port would show
// another process's connection too; a listening or unconnected socket by
// Local alone (Peer invalid), an unspecified Local address standing for
// every local address, so a new connection's SYN to a listener is kept.
// Proto is unix.IPPROTO_TCP, IPPROTO_UDP, or IPPROTO_ICMP/ICMPV6 for a
// ping socket, whose Local port is its echo identifier.
type Endpoint struct {
	Proto       int
	Local, Peer netip.AddrPort
}

const (
	protoTCP = unix.IPPROTO_TCP
	protoUDP = unix.IPPROTO_UDP
)

// epIndex indexes the endpoints by local port: lo carries many other
// processes' packets, and most of them have neither port in the index.
type epIndex map[uint16][]Endpoint

func indexEndpoints(es []Endpoint) epIndex {
	m := epIndex{}
	for _, e := range es {
		m[e.Local.Port()] = append(m[e.Local.Port()], e)
	}
	return m
}

// match reports whether a TCP or UDP packet from src to dst is of one of
// the epIndex, in either direction.
func (m epIndex) match(proto int, src, dst netip.AddrPort) bool {
	return m.matchLocal(proto, src, dst) || m.matchLocal(proto, dst, src)
}

// matchLocal is match with local as the socket's side.
func (m epIndex) matchLocal(proto int, local, remote netip.AddrPort) bool {
	for _, e := range m[local.Port()] {
		if e.Proto != proto {
			continue
		}
		if e.Peer.IsValid() {
			if e.Local == local && e.Peer == remote {
				return true
			}
			continue
		}
		if e.Local.Addr().IsUnspecified() || e.Local.Addr() == local.Addr() {
			return true
		}
	}
	return false
}

// echo reports whether id is a ping socket's echo identifier.
func (m epIndex) echo(id uint16) bool {
	for _, e := range m[id] {
		if e.Proto == unix.IPPROTO_ICMP || e.Proto == unix.IPPROTO_ICMPV6 {
			return true
		}
	}
	return false
}

// EndpointsOf converts endpoints of a type of the same fields
// (netcore.Endpoint; this package imports no other of nsh).
func EndpointsOf[E ~struct {
	Proto       int
	Local, Peer netip.AddrPort
}](es []E) []Endpoint {
	out := make([]Endpoint, len(es))
	for i, e := range es {
		out[i] = Endpoint(e)
	}
	return out
}
