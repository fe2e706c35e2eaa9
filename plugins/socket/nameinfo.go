package socket

import (
	"bufio"
	"context"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// socket.dns.getnameinfo(host[, port]) -> {names}, service | nil, err,
// story: LuaSocket's reverse lookup. Each address host resolves to gives one
// name (its address when it has none, as getnameinfo(3) without
// NI_NAMEREQD); port (a number or a service name) comes back as its service
// name from /etc/services, or as the number. Both nil raises, as in C.
func (m *module) dnsGetnameinfo(L *lua.LState) int {
	const fn = "socket.dns.getnameinfo"
	maxArgs(L, fn, 2)
	host, port := L.Get(1), L.Get(2)
	if host == lua.LNil && port == lua.LNil {
		L.RaiseError("%s: host and port cannot both be nil", fn)
	}
	names := L.NewTable()
	if host != lua.LNil {
		h := checkStr(L, fn, 1, 1, "host")
		ips, err := m.lookup(L, "getnameinfo", "ip", h)
		if err != nil {
			return fail(L, err)
		}
		var found []string
		err = m.h.Block(L, func(ctx context.Context) error {
			for _, ip := range ips {
				n, err := net.DefaultResolver.LookupAddr(ctx, ip.Unmap().String())
				if ctx.Err() != nil {
					return &netcore.OpError{Op: "getnameinfo", Addr: h, Err: netcore.ErrInterrupted}
				}
				if err != nil || len(n) == 0 {
					found = append(found, ip.Unmap().String())
					continue
				}
				found = append(found, strings.TrimSuffix(n[0], "."))
			}
			return nil
		})
		if err != nil {
			return fail(L, err)
		}
		for _, n := range found {
			names.Append(lua.LString(n))
		}
	}
	L.Push(names)
	if port == lua.LNil {
		return 1
	}
	var num int
	switch v := port.(type) {
	case lua.LNumber:
		num = checkPort(L, fn, 2, 2)
	case lua.LString:
		p, err := net.LookupPort("tcp", string(v))
		if err != nil {
			L.Pop(1)
			return fail(L, &netcore.OpError{Op: "getnameinfo", Addr: string(v), Err: netcore.ErrHostNotFound})
		}
		num = p
	default:
		argError(L, fn, 2, "port or service name", 2)
	}
	L.Push(lua.LString(serviceName(num)))
	return 2
}

var (
	servicesOnce sync.Once
	services     map[int]string
)

// serviceName is the first /etc/services name of a TCP port, or the number.
func serviceName(port int) string {
	servicesOnce.Do(func() {
		services = map[int]string{}
		f, err := os.Open("/etc/services")
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			num, proto, ok := strings.Cut(fields[1], "/")
			p, err := strconv.Atoi(num)
			if !ok || err != nil || proto != "tcp" {
				continue
			}
			if _, seen := services[p]; !seen {
				services[p] = fields[0]
			}
		}
	})
	if name, ok := services[port]; ok {
		return name
	}
	return strconv.Itoa(port)
}
