package netcore

import "golang.org/x/sys/unix"

// Adopt registers a socket on a duplicate of fd, a socket descriptor the
// process already has (LuaSocket's setfd, Python's socket.fromfd). The copy
// is non-blocking and close-on-exec; fd itself stays with its owner. The
// family, type and protocol come from the kernel, and the state from
// SO_ACCEPTCONN, getpeername and getsockname.
func (t *Table) Adopt(fd int) (*Socket, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, &OpError{Op: "setfd", Err: err}
	}
	fail := func(err error) (*Socket, error) {
		unix.Close(nfd)
		return nil, &OpError{Op: "setfd", Err: err}
	}
	family, err := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_DOMAIN)
	if err != nil {
		return fail(err) // ENOTSOCK for a file that is no socket
	}
	typ, err := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return fail(err)
	}
	proto, err := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_PROTOCOL)
	if err != nil {
		return fail(err)
	}
	if err := unix.SetNonblock(nfd, true); err != nil {
		return fail(err)
	}
	st := stCreated
	if v, _ := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN); v == 1 {
		st = stListening
	} else if _, err := unix.Getpeername(nfd); err == nil {
		st = stConnected
	} else if sa, err := unix.Getsockname(nfd); err == nil && boundName(sa) {
		st = stBound
	}
	s, err := newSocket(nfd, family, typ, proto, st)
	if err != nil {
		return fail(err)
	}
	t.add(s)
	return s, nil
}

// boundName reports whether a getsockname answer names a bound address (an
// unbound socket answers port 0 or an empty path).
func boundName(sa unix.Sockaddr) bool {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return a.Port != 0
	case *unix.SockaddrInet6:
		return a.Port != 0
	case *unix.SockaddrUnix:
		return a.Name != ""
	}
	return false
}
