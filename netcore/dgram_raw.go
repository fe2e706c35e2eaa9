package netcore

import (
	"encoding/binary"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Datagram system calls without golang.org/x/sys/unix's conveniences.
//
// unix.Recvmsg turns the sender's raw address into a Sockaddr, which for
// AF_INET and AF_INET6 costs a getsockopt(SO_PROTOCOL) system call (to tell
// L2TP sockets apart) and a heap object per datagram; unix.SendmsgN builds
// the raw address again from a Sockaddr made per call. In a UDP echo loop
// those were a sixth of the server's CPU beside the two calls it needs. The
// ioOp keeps one raw address and one msghdr, reused by every call, and the
// Addr is read from the raw bytes directly.

// rawDgram is the reusable state of the raw datagram calls, one per ioOp.
type rawDgram struct {
	rsa unix.RawSockaddrAny
	iov unix.Iovec
	msg unix.Msghdr
	// rsaLen is how many bytes of rsa hold the address (sendto) or were
	// filled by the kernel (recvmsg).
	rsaLen uint32
	dummy  byte // the iovec's base for a zero-length read
}

// recvmsgRaw is recvmsg(2) into o.buf, the sender's address left in o.raw.
func (o *ioOp) recvmsgRaw(fd int) (int, error) {
	r := &o.raw
	r.msg = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&r.rsa)), Namelen: uint32(unsafe.Sizeof(r.rsa))}
	if len(o.buf) > 0 {
		r.iov.Base = unsafe.SliceData(o.buf)
		r.iov.SetLen(len(o.buf))
	} else {
		// recvmsg of a zero-length buffer must still take the datagram.
		r.iov.Base = &r.dummy
		r.iov.SetLen(0)
	}
	r.msg.Iov = &r.iov
	r.msg.Iovlen = 1
	n, _, e := unix.Syscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&r.msg)), uintptr(o.flags))
	r.iov.Base, r.msg.Iov = nil, nil
	if e != 0 {
		r.rsaLen = 0
		return 0, e
	}
	r.rsaLen = r.msg.Namelen
	o.rflags = int(r.msg.Flags)
	return int(n), nil
}

// from returns the address recvmsgRaw left, and whether there was one (a
// connected stream socket gives none).
func (r *rawDgram) from() (Addr, bool) {
	if r.rsaLen < 2 {
		return Addr{}, false
	}
	switch r.rsa.Addr.Family {
	case unix.AF_INET:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.rsa))
		return Addr{Family: unix.AF_INET, IP: netip.AddrFrom4(p.Addr), Port: int(ntohs(p.Port))}, true
	case unix.AF_INET6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(&r.rsa))
		sa := &unix.SockaddrInet6{Port: int(ntohs(p.Port)), ZoneId: p.Scope_id, Addr: p.Addr}
		if p.Scope_id == 0 {
			return Addr{Family: unix.AF_INET6, IP: netip.AddrFrom16(p.Addr), Port: sa.Port}, true
		}
		return fromSockaddr(sa), true // the zone's name: rare, so the slow way
	case unix.AF_UNIX:
		p := (*unix.RawSockaddrUnix)(unsafe.Pointer(&r.rsa))
		n := int(r.rsaLen) - int(unsafe.Offsetof(p.Path))
		if n <= 0 {
			return UnixAddr(""), true // an unbound sender
		}
		path := unsafe.Slice((*byte)(unsafe.Pointer(&p.Path[0])), min(n, len(p.Path)))
		// As golang.org/x/sys/unix reads it: a leading NUL (an abstract
		// name) shows as '@', and the name ends at the next NUL.
		if path[0] == 0 {
			return UnixAddr("@" + string(cutNUL(path[1:]))), true
		}
		return UnixAddr(string(cutNUL(path))), true
	}
	return Addr{}, false // AF_UNSPEC, or a family an Addr cannot hold
}

// cutNUL cuts b at its first NUL.
func cutNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// putInet writes a as the raw address of a socket of family fam, for
// sendtoRaw. It reports false for what it does not handle (AF_UNIX, a
// scoped IPv6 address), which then takes the Sockaddr path.
func (r *rawDgram) putInet(a Addr, fam int) bool {
	if a.Family == unix.AF_UNIX || !a.IP.IsValid() || CheckPort(a.Port) != nil {
		return false
	}
	switch fam {
	case unix.AF_INET:
		ip := a.IP.Unmap()
		if !ip.Is4() {
			return false
		}
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(&r.rsa))
		*p = unix.RawSockaddrInet4{Family: unix.AF_INET, Port: htons(uint16(a.Port)), Addr: ip.As4()}
		r.rsaLen = unix.SizeofSockaddrInet4
		return true
	case unix.AF_INET6:
		if a.IP.Zone() != "" {
			return false
		}
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(&r.rsa))
		*p = unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(uint16(a.Port)), Addr: a.IP.As16()}
		r.rsaLen = unix.SizeofSockaddrInet6
		return true
	}
	return false
}

// sendtoRaw is sendto(2) of o.buf to the address putInet left.
func (o *ioOp) sendtoRaw(fd int) (int, error) {
	var p unsafe.Pointer
	if len(o.buf) > 0 {
		p = unsafe.Pointer(unsafe.SliceData(o.buf))
	}
	n, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(p), uintptr(len(o.buf)),
		uintptr(o.flags|unix.MSG_NOSIGNAL), uintptr(unsafe.Pointer(&o.raw.rsa)), uintptr(o.raw.rsaLen))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// The port of a raw address is in network byte order.
func htons(v uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return *(*uint16)(unsafe.Pointer(&b[0]))
}

func ntohs(v uint16) uint16 {
	return binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&v))[:])
}
