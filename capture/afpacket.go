package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ErrNoPrivilege is what Start returns when the process may not open a
// packet socket (neither root nor CAP_NET_RAW over its network namespace).
var ErrNoPrivilege = errors.New("capturing packets needs root or CAP_NET_RAW")

// frame is one packet as the kernel handed it over.
type frame struct {
	data    []byte
	ts      time.Time
	ifindex int
	hatype  uint16
	pkttype uint8
	wire    int // length on the wire (longer than data when truncated)
}

// packetSocket is an AF_PACKET socket read through Go's poller, so that
// closing it wakes a pending read.
type packetSocket struct {
	f    *os.File
	rc   syscall.RawConn
	lo   int  // ifindex of lo
	all  bool // every interface (a network namespace of nsh's own)
	buf  []byte
	oob  []byte
	name map[int]string
	shut atomic.Bool // close was called: a failed read is the end, not an error
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// openPacketSocket opens the socket on lo, or on every interface when all.
// It is created with protocol 0 (receiving nothing) and then bound with
// ETH_P_ALL, so no packet of another interface slips in before the bind.
func openPacketSocket(all bool) (*packetSocket, error) {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if err == unix.EPERM || err == unix.EACCES {
			return nil, fmt.Errorf("%w (socket(AF_PACKET): %w)", ErrNoPrivilege, err)
		}
		return nil, fmt.Errorf("socket(AF_PACKET): %v", err)
	}
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("interface lo: %v", err)
	}
	ifindex := lo.Index
	if all {
		ifindex = 0
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifindex}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind(AF_PACKET, lo): %v", err)
	}
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
	// Room for bursts: lo carries every local process's traffic. Root may
	// pass net.core.rmem_max (FORCE); otherwise the kernel caps the size.
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 32<<20) != nil {
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 32<<20)
	}
	f := os.NewFile(uintptr(fd), "packet")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &packetSocket{f: f, rc: rc, lo: lo.Index, all: all, buf: make([]byte, 1<<17),
		oob: make([]byte, unix.CmsgSpace(int(unsafe.Sizeof(unix.Timespec{})))), name: map[int]string{lo.Index: "lo"}}, nil
}

// read returns the next frame, waiting until deadline (zero: no limit). The
// frame's data is valid until the next read.
func (s *packetSocket) read(deadline time.Time) (frame, error) {
	var fr frame
	if err := s.f.SetReadDeadline(deadline); err != nil {
		return fr, err
	}
	var n, oobn, flags int
	var from unix.Sockaddr
	var rerr error
	err := s.rc.Read(func(fd uintptr) bool {
		n, oobn, flags, from, rerr = unix.Recvmsg(int(fd), s.buf, s.oob, unix.MSG_TRUNC)
		return rerr != unix.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return fr, err
	}
	fr.wire = n
	if n > len(s.buf) || flags&unix.MSG_TRUNC != 0 {
		n = len(s.buf)
	}
	fr.data = s.buf[:n]
	if ll, ok := from.(*unix.SockaddrLinklayer); ok {
		fr.ifindex, fr.hatype, fr.pkttype = ll.Ifindex, ll.Hatype, ll.Pkttype
	}
	fr.ts = time.Now()
	if msgs, err := unix.ParseSocketControlMessage(s.oob[:oobn]); err == nil {
		for _, m := range msgs {
			if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SCM_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(unix.Timespec{})) {
				ts := (*unix.Timespec)(unsafe.Pointer(&m.Data[0]))
				fr.ts = time.Unix(ts.Unix())
			}
		}
	}
	return fr, nil
}

// duplicate reports the outgoing copy of a packet on lo: the kernel hands
// every loopback packet over twice, leaving and arriving.
func (s *packetSocket) duplicate(fr frame) bool {
	return fr.ifindex == s.lo && fr.pkttype == unix.PACKET_OUTGOING
}

// ifname is the name of an interface (for the pcapng interface block).
func (s *packetSocket) ifname(index int) string {
	if n, ok := s.name[index]; ok {
		return n
	}
	n := fmt.Sprintf("if%d", index)
	if ifc, err := net.InterfaceByIndex(index); err == nil {
		n = ifc.Name
	}
	s.name[index] = n
	return n
}

func (s *packetSocket) close() error {
	s.shut.Store(true)
	return s.f.Close()
}

// ownNamespace reports whether nsh runs in a network namespace other than
// the host's (ip netns exec, unshare -n): then every interface is nsh's to
// capture on. The host's is PID 1's; where that cannot be read (a
// container may hide it even from root), a namespace ip netns made
// (mounted under /run/netns) counts as nsh's own, and anything else gets
// lo only.
func ownNamespace() bool {
	var self, init unix.Stat_t
	if unix.Stat("/proc/self/ns/net", &self) != nil {
		return false
	}
	if unix.Stat("/proc/1/ns/net", &init) == nil {
		return self.Ino != init.Ino || self.Dev != init.Dev
	}
	names, _ := filepath.Glob("/run/netns/*")
	for _, n := range names {
		var st unix.Stat_t
		if unix.Stat(n, &st) == nil && st.Ino == self.Ino && st.Dev == self.Dev {
			return true
		}
	}
	return false
}
