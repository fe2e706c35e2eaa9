package netcore

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// BSD states of a Socket, as State reports them.
const (
	StateCreated   = "created"
	StateBound     = "bound"
	StateListening = "listening"
	StateConnected = "connected"
	StateClosed    = "closed"
)

type state int32

const (
	stCreated state = iota
	stBound
	stListening
	stConnected
	stClosed
)

var stateNames = [...]string{StateCreated, StateBound, StateListening, StateConnected, StateClosed}

func (st state) String() string { return stateNames[st] }

// tcpStates are the kernel's TCP states (include/net/tcp_states.h).
var tcpStates = [...]string{
	0:  "UNKNOWN",
	1:  "ESTABLISHED",
	2:  "SYN_SENT",
	3:  "SYN_RECV",
	4:  "FIN_WAIT1",
	5:  "FIN_WAIT2",
	6:  "TIME_WAIT",
	7:  "CLOSE",
	8:  "CLOSE_WAIT",
	9:  "LAST_ACK",
	10: "LISTEN",
	11: "CLOSING",
	12: "NEW_SYN_RECV",
}

// State returns the BSD state netcore tracks: "created", "bound",
// "listening", "connected" or "closed".
func (s *Socket) State() string { return state(s.state.Load()).String() }

// KernelState returns the state the kernel reports. For TCP it is TCP_INFO's
// tcpi_state ("ESTABLISHED", "LISTEN", "SYN_SENT", "CLOSE_WAIT",
// "FIN_WAIT1", ...). For other sockets it is "LISTEN" (SO_ACCEPTCONN),
// "CONNECTED" (the socket has a peer) or "UNCONN". A closed socket is
// "CLOSED".
func (s *Socket) KernelState() string {
	if s.closed.Load() {
		return "CLOSED"
	}
	res := "CLOSED"
	_ = s.control(func(fd int) error {
		if s.isTCP() {
			if info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO); err == nil {
				if int(info.State) < len(tcpStates) {
					res = tcpStates[info.State]
				} else {
					res = "UNKNOWN"
				}
				return nil
			}
		}
		if v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN); err == nil && v != 0 {
			res = "LISTEN"
			return nil
		}
		if _, err := unix.Getpeername(fd); err == nil {
			res = "CONNECTED"
		} else {
			res = "UNCONN"
		}
		return nil
	})
	return res
}

func (s *Socket) isTCP() bool {
	return s.typ == unix.SOCK_STREAM && (s.family == unix.AF_INET || s.family == unix.AF_INET6) &&
		(s.proto == 0 || s.proto == unix.IPPROTO_TCP)
}

func (s *Socket) isStream() bool {
	return s.typ == unix.SOCK_STREAM || s.typ == unix.SOCK_SEQPACKET
}

// FamilyName returns "AF_INET", "AF_INET6", "AF_UNIX" or "AF_<n>".
func FamilyName(family int) string {
	switch family {
	case unix.AF_INET:
		return "AF_INET"
	case unix.AF_INET6:
		return "AF_INET6"
	case unix.AF_UNIX:
		return "AF_UNIX"
	case unix.AF_PACKET:
		return "AF_PACKET"
	}
	return "AF_" + strconv.Itoa(family)
}

// TypeName returns the short kind of a socket: "tcp", "tcp6", "udp",
// "udp6", "unix", "unixgram", "unixpacket", "icmp", "icmp6", "raw", "raw6",
// or "sock" for anything else.
func TypeName(family, typ, proto int) string {
	six := ""
	if family == unix.AF_INET6 {
		six = "6"
	}
	switch family {
	case unix.AF_UNIX:
		switch typ {
		case unix.SOCK_STREAM:
			return "unix"
		case unix.SOCK_DGRAM:
			return "unixgram"
		case unix.SOCK_SEQPACKET:
			return "unixpacket"
		}
	case unix.AF_INET, unix.AF_INET6:
		switch {
		case typ == unix.SOCK_RAW:
			return "raw" + six
		case typ == unix.SOCK_STREAM:
			return "tcp" + six
		case typ == unix.SOCK_DGRAM && (proto == unix.IPPROTO_ICMP || proto == unix.IPPROTO_ICMPV6):
			return "icmp" + six
		case typ == unix.SOCK_DGRAM:
			return "udp" + six
		}
	}
	return "sock"
}
