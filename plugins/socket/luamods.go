package socket

import (
	"embed"
	"strings"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// luaFiles are LuaSocket's own Lua modules, unmodified (lua/NOTICE.md).
//
//go:embed lua/*.lua
var luaFiles embed.FS

// luaModules maps a module name to its file in luaFiles.
var luaModules = map[string]string{
	"ltn12": "ltn12.lua", "mime": "mime.lua",
	"socket.url": "url.lua", "socket.headers": "headers.lua", "socket.tp": "tp.lua",
	"socket.http": "http.lua", "socket.smtp": "smtp.lua", "socket.ftp": "ftp.lua",
	"ssl.https": "ssl_https.lua", // LuaSec's (lua/LUASEC-NOTICE.md), over the ssl module
}

// installLuaHalf makes the names LuaSocket's C core and its socket.lua give:
// socket.core (this module), socket.unix, mime.core in package.preload, the
// vendored Lua modules behind package.path (so a script's own url.lua or
// ltn12.lua wins, as with C LuaSocket), and socket.lua's additions (sink,
// source, sinkt, sourcet, choose, try, BLOCKSIZE) by running LuaSocket's
// socket.lua over this module. socket.lua's Lua bind/connect4/connect6 are
// dropped for nsh's Go ones, which say more when they fail.
func (m *module) installLuaHalf(L *lua.LState, mod *lua.LTable) {
	L.PreloadModule("socket.core", func(L *lua.LState) int { L.Push(mod); return 1 })
	unix := m.unixTable(L)
	mod.RawSetString("unix", unix)
	L.PreloadModule("socket.unix", func(L *lua.LState) int { L.Push(unix); return 1 })
	L.PreloadModule("mime.core", func(L *lua.LState) int { L.Push(mimeCore(L)); return 1 })

	keep := map[string]lua.LValue{}
	for _, name := range []string{"bind", "connect4", "connect6"} {
		keep[name] = mod.RawGetString(name)
	}
	src, err := luaFiles.ReadFile("lua/socket.lua")
	if err != nil {
		panic("socket: socket.lua is not embedded: " + err.Error())
	}
	fn, err := L.Load(strings.NewReader(string(src)), "@socket.lua")
	if err != nil {
		panic("socket: LuaSocket's socket.lua does not compile: " + err.Error())
	}
	L.Push(fn)
	L.Call(0, 0)
	for name, v := range keep {
		mod.RawSetString(name, v)
	}

	if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
		if loaders, ok := pkg.RawGetString("loaders").(*lua.LTable); ok {
			loaders.Append(L.NewFunction(searchVendored))
		}
	}
}

// searchVendored is the package.loaders searcher of the vendored modules,
// after the path searchers.
func searchVendored(L *lua.LState) int {
	name := L.CheckString(1)
	file, ok := luaModules[name]
	if !ok {
		L.Push(lua.LString("\n\tno module '" + name + "' among LuaSocket's bundled with nsh"))
		return 1
	}
	src, err := luaFiles.ReadFile("lua/" + file)
	if err != nil {
		L.Push(lua.LString("\n\t" + err.Error()))
		return 1
	}
	fn, err := L.Load(strings.NewReader(string(src)), "@"+name)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	L.Push(fn)
	return 1
}

// unixTable is LuaSocket's socket.unix module: socket.unix.stream(),
// .dgram(), .seqpacket(), and socket.unix() itself (a stream socket, or
// nsh's socket.unix("dgram") form).
func (m *module) unixTable(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	for name, typ := range map[string]int{"stream": syscall.SOCK_STREAM, "dgram": syscall.SOCK_DGRAM, "seqpacket": syscall.SOCK_SEQPACKET} {
		typ := typ
		fname := "socket.unix." + name
		t.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			maxArgs(L, fname, 0)
			return m.create(L, syscall.AF_UNIX, typ, 0, true)
		}))
	}
	mt := L.NewTable()
	mt.RawSetString("__call", L.NewFunction(func(L *lua.LState) int {
		L.Remove(1) // the table itself
		return m.newUnix(L)
	}))
	L.SetMetatable(t, mt)
	return t
}
