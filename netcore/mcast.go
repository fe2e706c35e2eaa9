package netcore

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Membership joins (join) or leaves a multicast group on the interface
// given by iface: for IPv4 an interface address ("0.0.0.0" or "" for any),
// for IPv6 an interface index (0 for any). group is an IP literal of the
// socket's family (IP_ADD_MEMBERSHIP/IP_DROP_MEMBERSHIP,
// IPV6_JOIN_GROUP/IPV6_LEAVE_GROUP).
func (s *Socket) Membership(join bool, group string, iface string, ifindex int) error {
	g, err := netip.ParseAddr(group)
	if err != nil {
		return &OpError{Op: "setsockopt", Addr: group, Err: ErrHostNotFound}
	}
	if g.Is4() {
		mreq := &unix.IPMreq{Multiaddr: g.As4()}
		if iface != "" && iface != "*" {
			ia, err := netip.ParseAddr(iface)
			if err != nil || !ia.Is4() {
				return &OpError{Op: "setsockopt", Addr: iface, Err: ErrHostNotFound}
			}
			mreq.Interface = ia.As4()
		}
		opt, name := unix.IP_ADD_MEMBERSHIP, "IP_ADD_MEMBERSHIP"
		if !join {
			opt, name = unix.IP_DROP_MEMBERSHIP, "IP_DROP_MEMBERSHIP"
		}
		return opErr("setsockopt", name, s.control(func(fd int) error {
			return unix.SetsockoptIPMreq(fd, unix.IPPROTO_IP, opt, mreq)
		}))
	}
	mreq := &unix.IPv6Mreq{Multiaddr: g.As16(), Interface: uint32(ifindex)}
	opt, name := unix.IPV6_JOIN_GROUP, "IPV6_JOIN_GROUP"
	if !join {
		opt, name = unix.IPV6_LEAVE_GROUP, "IPV6_LEAVE_GROUP"
	}
	return opErr("setsockopt", name, s.control(func(fd int) error {
		return unix.SetsockoptIPv6Mreq(fd, unix.IPPROTO_IPV6, opt, mreq)
	}))
}

// SetMulticastIf sets IP_MULTICAST_IF to an IPv4 interface address.
func (s *Socket) SetMulticastIf(iface string) error {
	var a [4]byte
	if iface != "" && iface != "*" {
		ia, err := netip.ParseAddr(iface)
		if err != nil || !ia.Is4() {
			return &OpError{Op: "setsockopt", Addr: iface, Err: ErrHostNotFound}
		}
		a = ia.As4()
	}
	return opErr("setsockopt", "IP_MULTICAST_IF", s.control(func(fd int) error {
		return unix.SetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF, a)
	}))
}

// MulticastIf reads IP_MULTICAST_IF as an address string.
func (s *Socket) MulticastIf() (string, error) {
	var a [4]byte
	err := s.control(func(fd int) error {
		var err error
		a, err = unix.GetsockoptInet4Addr(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF)
		return err
	})
	return netip.AddrFrom4(a).String(), opErr("getsockopt", "IP_MULTICAST_IF", err)
}
