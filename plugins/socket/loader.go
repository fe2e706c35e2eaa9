// Package socket is nsh's built-in Lua socket module: Python's socket
// vocabulary, LuaSocket's core vocabulary and protocol helpers over the
// netcore engine. Every call that can wait runs inside Host.Block so other
// tasks run meanwhile; run-time failures return nil, short, story and misuse
// raises a Lua error (see DESIGN.md, "The Lua socket API").
package socket

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/capture"
	"nsh/netcore"
	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:     "socket",
		Version:  "1.0",
		Summary:  "BSD sockets: Python's socket vocabulary, LuaSocket's, and protocol helpers",
		Open:     Open,
		Global:   true,
		Help:     help,
		Commands: []plugins.Command{traceCommand},
		// a second Ctrl-C exits at once: the capture files are completed first
		Exit: func() { capture.StopAll() },
	})
}

// module is one session's socket module.
type module struct {
	h       plugins.Host
	sockMT  *lua.LTable
	methods *lua.LTable
	addrMT  *lua.LTable
	// The ssl module's metatables (ssl.go): TLS sockets share the socket
	// methods and add their own.
	sslMT, sslMethods, ctxMT, certMT *lua.LTable
	// addrs hands out one table per address (see pushAddr); the session
	// lock guards it, as every Lua call holds it.
	addrs map[netcore.Addr]cachedAddr
}

// Open builds the socket module table for one session.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	m := &module{h: h}
	m.addrMT = L.NewTypeMetatable("socket.address")
	m.addrMT.RawSetString("__tostring", L.NewFunction(addrToString))

	m.methods = L.NewTable()
	for name, fn := range m.methodFuncs() {
		m.methods.RawSetString(name, L.NewFunction(fn))
	}
	m.sockMT = L.NewTypeMetatable(sockType)
	m.sockMT.RawSetString("__index", m.methods)
	m.sockMT.RawSetString("__tostring", L.NewFunction(m.tostring))
	m.sockMT.RawSetString("__name", lua.LString("socket"))
	m.initSSL(L)

	mod := L.NewTable()
	for name, fn := range m.moduleFuncs() {
		mod.RawSetString(name, L.NewFunction(fn))
	}
	setConstants(mod)
	mod.RawSetString("_VERSION", lua.LString("LuaSocket 3.0 (nsh)"))
	mod.RawSetString("_SETSIZE", lua.LNumber(setSize))
	mod.RawSetString("_DATAGRAMSIZE", lua.LNumber(8192)) // LuaSocket's default receive size; nsh's is 65535
	mod.RawSetString("dns", m.dnsTable(L))
	m.addLuaHelpers(L, mod)
	m.installLuaHalf(L, mod)
	return mod
}

// methodFuncs lists every socket method.
func (m *module) methodFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		// Python vocabulary.
		"bind": m.bind, "listen": m.listen, "accept": m.accept,
		"connect": m.connect, "connect_ex": m.connectEx,
		"send": m.send, "sendall": m.sendall, "recv": m.recv,
		"sendto": m.sendto, "recvfrom": m.recvfrom,
		"setsockopt": m.setsockopt, "getsockopt": m.getsockopt,
		"settimeout": m.settimeout, "gettimeout": m.gettimeout, "setblocking": m.setblocking,
		"shutdown": m.shutdown, "getsockname": m.getsockname, "getpeername": m.getpeername,
		"fileno": m.fileno, "close": m.close, "detach": m.detach,
		// LuaSocket vocabulary.
		"receive": m.receive, "receivefrom": m.receivefrom,
		"setpeername": m.setpeername, "setsockname": m.setsockname,
		"setoption": m.setoption, "getoption": m.getoption,
		"getstats": m.getstats, "setstats": m.setstats, "dirty": m.dirty,
		"getfd": m.fileno, "setfd": m.setfd, "getfamily": m.getfamily,
		// Protocol helpers and fast paths.
		"recvexactly": m.recvexactly, "recvuntil": m.recvuntil,
		"recvline": m.recvline, "sendline": m.sendline,
		"sendfile": m.sendfile, "recvfile": m.recvfile,
		"setbuffer": m.setbuffer, "flush": m.flush,
		"starttls": m.starttls,
		"trace":    m.traceMethod,
	}
}

// moduleFuncs lists every function of the module table.
func (m *module) moduleFuncs() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"socket": m.newPython, "tcp": m.newTCP, "tcp4": m.newTCP4, "tcp6": m.newTCP6,
		"udp": m.newUDP, "udp4": m.newUDP4, "udp6": m.newUDP6,
		"bind": m.luaBind, "connect": m.luaConnect,
		"connect4": m.luaConnect4, "connect6": m.luaConnect6,
		"select": m.selectFn, "gettime": gettime, "sleep": m.sleep, "skip": skip,
		"gethostname": gethostname, "gethostbyname": m.gethostbyname,
		"getaddrinfo": m.getaddrinfo, "trace": m.traceFn,
		"htons": htons, "ntohs": htons, "htonl": htonl, "ntohl": htonl,
		"inet_aton": inetAton, "inet_ntoa": inetNtoa,
		"inet_pton": inetPton, "inet_ntop": inetNtop,
		"capture": m.captureFn,
	}
}
