package netcore

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Addr is a socket address: an IP address and port for AF_INET and AF_INET6,
// a path for AF_UNIX (an abstract name starts with "@"; "" is unnamed).
type Addr struct {
	Family int
	IP     netip.Addr
	Port   int
	Path   string
}

// String returns "127.0.0.1:8080", "[::1]:8080", or the path for AF_UNIX.
func (a Addr) String() string {
	if a.Family == unix.AF_UNIX {
		return a.Path
	}
	if !a.IP.IsValid() {
		return ""
	}
	return netip.AddrPortFrom(a.IP, uint16(a.Port)).String()
}

// Host returns the IP address as text ("127.0.0.1", "::1"), or the path for
// AF_UNIX.
func (a Addr) Host() string {
	if a.Family == unix.AF_UNIX {
		return a.Path
	}
	if !a.IP.IsValid() {
		return ""
	}
	return a.IP.String()
}

// IsZero reports whether a is the zero Addr.
func (a Addr) IsZero() bool { return a == Addr{} }

// unbound reports whether a is what getsockname gives an unbound socket.
func (a Addr) unbound() bool {
	if a.Family == unix.AF_UNIX {
		return a.Path == ""
	}
	return a.Port == 0 && (!a.IP.IsValid() || a.IP.IsUnspecified())
}

// UnixAddr returns the AF_UNIX address for path ("@name" is abstract).
func UnixAddr(path string) Addr { return Addr{Family: unix.AF_UNIX, Path: path} }

// IPAddr returns the address for ip and port, with the family of ip.
func IPAddr(ip netip.Addr, port int) Addr {
	fam := unix.AF_INET6
	if ip.Is4() {
		fam = unix.AF_INET
	}
	return Addr{Family: fam, IP: ip, Port: port}
}

// CheckPort returns a *PortRangeError when port is outside 0–65535.
func CheckPort(port int) error {
	if port < 0 || port > 65535 {
		return &PortRangeError{Port: port}
	}
	return nil
}

var broadcast4 = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// Resolve turns host and port into an address for a socket of the given
// family. host may be an IPv4 or IPv6 literal (brackets allowed), "" or "*"
// (the any address), "localhost" (127.0.0.1, or ::1 for AF_INET6),
// "<broadcast>" (255.255.255.255) or a host name, looked up with ctx and
// preferring family. For AF_UNIX, host is the path and port is ignored. A port
// outside 0–65535 gives a *PortRangeError; a host that does not parse or
// resolve gives an *OpError "resolve HOST: host not found".
func Resolve(ctx context.Context, family int, host string, port int) (Addr, error) {
	if family == unix.AF_UNIX {
		return UnixAddr(host), nil
	}
	if err := CheckPort(port); err != nil {
		return Addr{}, err
	}
	switch host {
	case "", "*":
		if family == unix.AF_INET6 {
			return Addr{Family: unix.AF_INET6, IP: netip.IPv6Unspecified(), Port: port}, nil
		}
		return Addr{Family: unix.AF_INET, IP: netip.IPv4Unspecified(), Port: port}, nil
	case "localhost":
		if family == unix.AF_INET6 {
			return Addr{Family: unix.AF_INET6, IP: netip.IPv6Loopback(), Port: port}, nil
		}
		return Addr{Family: unix.AF_INET, IP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), Port: port}, nil
	case "<broadcast>":
		return IPAddr(broadcast4, port), nil
	}
	lit := host
	if len(lit) > 2 && lit[0] == '[' && lit[len(lit)-1] == ']' {
		lit = lit[1 : len(lit)-1]
	}
	if ip, err := netip.ParseAddr(lit); err == nil {
		return IPAddr(ip, port), nil
	}
	network := "ip"
	if family == unix.AF_INET {
		network = "ip4"
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, network, host)
	if err != nil {
		if ctx.Err() != nil {
			return Addr{}, opErr("resolve", host, ErrInterrupted)
		}
		return Addr{}, opErr("resolve", host, resolveError(err))
	}
	for _, want6 := range []bool{family == unix.AF_INET6, family != unix.AF_INET6} {
		for _, ip := range ips {
			ip = ip.Unmap()
			if ip.Is6() == want6 {
				return IPAddr(ip, port), nil
			}
		}
	}
	return Addr{}, opErr("resolve", host, &ResolveError{Code: EAI_NONAME})
}

// errFamily is returned when an address cannot be used with a socket's family.
var errFamily = unix.EAFNOSUPPORT

// toSockaddr converts a to a unix.Sockaddr for a socket of family fam. An
// IPv4 address given to an AF_INET6 socket becomes IPv4-mapped (::ffff:a.b.c.d).
func (a Addr) toSockaddr(fam int) (unix.Sockaddr, error) {
	switch fam {
	case unix.AF_UNIX:
		if a.Family != unix.AF_UNIX {
			return nil, errFamily
		}
		// The kernel ends a path name at its first NUL, so "/tmp/a\x00b"
		// would silently be "/tmp/a"; abstract names ("@..." or "\x00...")
		// may hold any byte.
		if i := strings.IndexByte(a.Path, 0); i > 0 && a.Path[0] != '@' {
			return nil, unix.EINVAL
		}
		return &unix.SockaddrUnix{Name: a.Path}, nil
	case unix.AF_INET:
		if a.Family == unix.AF_UNIX || !a.IP.IsValid() {
			return nil, errFamily
		}
		ip := a.IP.Unmap()
		if !ip.Is4() {
			return nil, errFamily
		}
		if err := CheckPort(a.Port); err != nil {
			return nil, err
		}
		return &unix.SockaddrInet4{Port: a.Port, Addr: ip.As4()}, nil
	case unix.AF_INET6:
		if a.Family == unix.AF_UNIX || !a.IP.IsValid() {
			return nil, errFamily
		}
		if err := CheckPort(a.Port); err != nil {
			return nil, err
		}
		sa := &unix.SockaddrInet6{Port: a.Port, Addr: a.IP.As16()}
		if z := a.IP.Zone(); z != "" {
			if n, err := strconv.Atoi(z); err == nil {
				sa.ZoneId = uint32(n)
			} else if ifi, err := net.InterfaceByName(z); err == nil {
				sa.ZoneId = uint32(ifi.Index)
			}
		}
		return sa, nil
	}
	return nil, errFamily
}

// fromSockaddr converts a unix.Sockaddr to an Addr (zero Addr for nil).
func fromSockaddr(sa unix.Sockaddr) Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return Addr{Family: unix.AF_INET, IP: netip.AddrFrom4(sa.Addr), Port: sa.Port}
	case *unix.SockaddrInet6:
		ip := netip.AddrFrom16(sa.Addr)
		if sa.ZoneId != 0 {
			zone := strconv.Itoa(int(sa.ZoneId))
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				zone = ifi.Name
			}
			ip = ip.WithZone(zone)
		}
		return Addr{Family: unix.AF_INET6, IP: ip, Port: sa.Port}
	case *unix.SockaddrUnix:
		return Addr{Family: unix.AF_UNIX, Path: sa.Name}
	}
	return Addr{}
}

// SplitHostPort splits "host:port" or "[v6]:port" (a convenience for
// callers that take one string).
func SplitHostPort(s string) (host string, port int, err error) {
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, err
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, errors.New("bad port: " + strconv.Quote(p))
	}
	if err := CheckPort(n); err != nil {
		return "", 0, err
	}
	return strings.TrimSpace(h), n, nil
}
