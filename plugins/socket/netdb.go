package socket

import (
	"context"
	"net"
	"net/netip"
	"os"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// socket.gethostname() -> this machine's host name.
func gethostname(L *lua.LState) int {
	maxArgs(L, "socket.gethostname", 0)
	name, err := os.Hostname()
	if err != nil {
		return fail(L, &netcore.OpError{Op: "gethostname", Err: err})
	}
	L.Push(lua.LString(name))
	return 1
}

// lookup resolves host to its addresses inside Block.
func (m *module) lookup(L *lua.LState, op, network, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	var ips []netip.Addr
	err := m.h.Block(L, func(ctx context.Context) error {
		var err error
		ips, err = net.DefaultResolver.LookupNetIP(ctx, network, host)
		switch {
		case ctx.Err() != nil:
			return &netcore.OpError{Op: op, Addr: host, Err: netcore.ErrInterrupted}
		case err != nil:
			return &netcore.OpError{Op: op, Addr: host, Err: netcore.ErrHostNotFound}
		}
		return nil
	})
	return ips, err
}

// socket.gethostbyname(host) -> "1.2.3.4" (IPv4, as Python's).
func (m *module) gethostbyname(L *lua.LState) int {
	maxArgs(L, "socket.gethostbyname", 1)
	host := checkStr(L, "socket.gethostbyname", 1, 1, "host")
	ips, err := m.lookup(L, "gethostbyname", "ip4", host)
	if err != nil {
		return fail(L, err)
	}
	for _, ip := range ips {
		if ip.Unmap().Is4() {
			L.Push(lua.LString(ip.Unmap().String()))
			return 1
		}
	}
	return fail(L, &netcore.OpError{Op: "gethostbyname", Addr: host, Err: netcore.ErrHostNotFound})
}

// socket.getaddrinfo(host, port[, family[, type]]) -> array of
// {family=, type=, proto=, canonname=, addr={host, port}}.
func (m *module) getaddrinfo(L *lua.LState) int {
	maxArgs(L, "socket.getaddrinfo", 4)
	host := checkStr(L, "socket.getaddrinfo", 1, 1, "host")
	port := 0
	if L.Get(2) != lua.LNil {
		port = checkPort(L, "socket.getaddrinfo", 2, 2)
	}
	family := optInt(L, "socket.getaddrinfo", 3, 3, "family", 0)
	typ := optInt(L, "socket.getaddrinfo", 4, 4, "type", 0)
	network := "ip"
	switch family {
	case syscall.AF_INET:
		network = "ip4"
	case syscall.AF_INET6:
		network = "ip6"
	case 0:
	default:
		L.RaiseError("socket.getaddrinfo: unsupported family %d", family)
	}
	ips, err := m.lookup(L, "getaddrinfo", network, host)
	if err != nil {
		return fail(L, err)
	}
	types := []int{syscall.SOCK_STREAM, syscall.SOCK_DGRAM}
	if typ != 0 {
		types = []int{typ}
	}
	out := L.NewTable()
	for _, ip := range ips {
		ip = ip.Unmap()
		fam := syscall.AF_INET
		if ip.Is6() {
			fam = syscall.AF_INET6
		}
		if family != 0 && fam != family {
			continue
		}
		for _, t := range types {
			e := L.CreateTable(0, 5)
			e.RawSetString("family", lua.LNumber(fam))
			e.RawSetString("type", lua.LNumber(t))
			e.RawSetString("proto", lua.LNumber(protoOf(t)))
			e.RawSetString("canonname", lua.LString(""))
			m.pushAddr(L, netcore.Addr{Family: fam, IP: ip, Port: port})
			e.RawSetString("addr", L.Get(-1))
			L.Pop(1)
			out.Append(e)
		}
	}
	L.Push(out)
	return 1
}

func protoOf(typ int) int {
	switch typ {
	case syscall.SOCK_STREAM:
		return syscall.IPPROTO_TCP
	case syscall.SOCK_DGRAM:
		return syscall.IPPROTO_UDP
	}
	return 0
}
