package socket

import (
	"context"
	"net"
	"net/netip"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// dnsTable builds LuaSocket's socket.dns: toip, tohostname, getaddrinfo,
// getnameinfo and gethostname.
func (m *module) dnsTable(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	t.RawSetString("toip", L.NewFunction(m.dnsToIP))
	t.RawSetString("tohostname", L.NewFunction(m.dnsToHostname))
	t.RawSetString("gethostname", L.NewFunction(gethostname))
	t.RawSetString("getaddrinfo", L.NewFunction(m.dnsGetaddrinfo))
	t.RawSetString("getnameinfo", L.NewFunction(m.dnsGetnameinfo))
	return t
}

// resolved is LuaSocket's second result of toip/tohostname:
// {name = canonical name, alias = {}, ip = {addresses}}.
func resolved(L *lua.LState, name string, ips []netip.Addr) *lua.LTable {
	t := L.CreateTable(0, 3)
	t.RawSetString("name", lua.LString(name))
	t.RawSetString("alias", L.NewTable())
	list := L.CreateTable(len(ips), 0)
	for _, ip := range ips {
		list.Append(lua.LString(ip.Unmap().String()))
	}
	t.RawSetString("ip", list)
	return t
}

// socket.dns.toip(host) -> first IPv4 address, {name, alias, ip} | nil, err, story.
func (m *module) dnsToIP(L *lua.LState) int {
	maxArgs(L, "socket.dns.toip", 1)
	host := checkStr(L, "socket.dns.toip", 1, 1, "host")
	ips, err := m.lookup(L, "toip", "ip4", host)
	if err != nil || len(ips) == 0 {
		if err == nil {
			err = &netcore.OpError{Op: "toip", Addr: host, Err: netcore.ErrHostNotFound}
		}
		return fail(L, err)
	}
	L.Push(lua.LString(ips[0].Unmap().String()))
	L.Push(resolved(L, host, ips))
	return 2
}

// socket.dns.tohostname(address) -> name, {name, alias, ip} | nil, err, story.
func (m *module) dnsToHostname(L *lua.LState) int {
	maxArgs(L, "socket.dns.tohostname", 1)
	addr := checkStr(L, "socket.dns.tohostname", 1, 1, "address")
	ip, perr := netip.ParseAddr(addr)
	if perr != nil {
		ips, err := m.lookup(L, "tohostname", "ip", addr)
		if err != nil {
			return fail(L, err)
		}
		ip = ips[0]
	}
	var names []string
	err := m.h.Block(L, func(ctx context.Context) error {
		var err error
		names, err = net.DefaultResolver.LookupAddr(ctx, ip.String())
		switch {
		case ctx.Err() != nil:
			return &netcore.OpError{Op: "tohostname", Addr: addr, Err: netcore.ErrInterrupted}
		case err != nil || len(names) == 0:
			return &netcore.OpError{Op: "tohostname", Addr: addr, Err: netcore.ErrHostNotFound}
		}
		return nil
	})
	if err != nil {
		return fail(L, err)
	}
	name := strings.TrimSuffix(names[0], ".")
	L.Push(lua.LString(name))
	L.Push(resolved(L, name, []netip.Addr{ip}))
	return 2
}

// socket.dns.getaddrinfo(host) -> {{family = "inet"|"inet6", addr = ip}, ...}.
func (m *module) dnsGetaddrinfo(L *lua.LState) int {
	maxArgs(L, "socket.dns.getaddrinfo", 1)
	host := checkStr(L, "socket.dns.getaddrinfo", 1, 1, "host")
	ips, err := m.lookup(L, "getaddrinfo", "ip", host)
	if err != nil {
		return fail(L, err)
	}
	out := L.CreateTable(len(ips), 0)
	for _, ip := range ips {
		ip = ip.Unmap()
		e := L.CreateTable(0, 2)
		fam := "inet"
		if ip.Is6() {
			fam = "inet6"
		}
		e.RawSetString("family", lua.LString(fam))
		e.RawSetString("addr", lua.LString(ip.String()))
		out.Append(e)
	}
	L.Push(out)
	return 1
}
