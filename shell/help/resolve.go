package help

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// ResolveName maps a name typed for help that nothing documents to a
// documented one through the value it names at the prompt: "srv:accept"
// or "srv.accept" (srv a socket) is "sock:accept", "srv" is "sock:",
// "c.send" of a connection is "sock:send". It returns name unchanged when
// it is documented or names nothing documented. The caller holds the lock.
func ResolveName(L *lua.LState, name string) string {
	if Documented(name) {
		return name
	}
	if i := strings.LastIndexAny(name, ".:"); i > 0 {
		if prefix := methodPrefix(L, ResolvePath(L, name[:i])); prefix != "" && Documented(prefix+name[i+1:]) {
			return prefix + name[i+1:]
		}
	}
	if strings.Contains(name, ":") {
		return name
	}
	if n := NameOf(L, ResolvePath(L, name)); n != "" {
		return n
	}
	return name
}

func Documented(name string) bool {
	if found := findHelp(name); len(found) == 1 && found[0].Name == name {
		return true
	}
	_, ok := pluginHelp(name)
	return ok
}

// NameOf returns the help name of a value: a documented function, a
// plugin's module, or the method prefix of an object ("sock:").
func NameOf(L *lua.LState, v lua.LValue) string {
	switch x := v.(type) {
	case *lua.LFunction:
		return FunctionNames(L)[x]
	case *lua.LTable:
		if n := moduleName(L, x); n != "" {
			return n
		}
		return methodPrefix(L, x)
	case *lua.LUserData:
		return methodPrefix(L, x)
	}
	return ""
}

// luaStdTables are the standard library's modules, which nsh's help does
// not document: help points at the Lua manual instead.
var luaStdTables = []string{"string", "table", "math", "io", "os", "coroutine", "debug", "package"}

// StdName returns the standard library name of v ("print",
// "string.format"), or "".
func StdName(L *lua.LState, v lua.LValue) string {
	fn, ok := v.(*lua.LFunction)
	if !ok || !fn.IsG {
		return ""
	}
	for _, mod := range luaStdTables {
		t, ok := L.G.Global.RawGetString(mod).(*lua.LTable)
		if !ok {
			continue
		}
		name := ""
		t.ForEach(func(k, f lua.LValue) {
			if ks, ok := k.(lua.LString); ok && f == fn && name == "" {
				name = mod + "." + string(ks)
			}
		})
		if name != "" {
			return name
		}
	}
	for _, name := range luaBaseFunctions {
		if L.G.Global.RawGetString(name) == fn {
			return name
		}
	}
	return ""
}

// luaBaseFunctions are Lua 5.1's global functions.
var luaBaseFunctions = []string{"assert", "collectgarbage", "dofile", "error", "getfenv", "getmetatable",
	"ipairs", "load", "loadfile", "loadstring", "module", "next", "pairs", "pcall", "print", "rawequal",
	"rawget", "rawset", "require", "select", "setfenv", "setmetatable", "tonumber", "tostring", "type",
	"unpack", "xpcall"}

// ManualNote says where the manual documents a standard function.
func ManualNote(name string) string {
	return name + " is Lua 5.1's own (nsh documents only its additions): https://www.lua.org/manual/5.1/manual.html#pdf-" + name
}

// ResolvePath evaluates a name path ("socket", "a.b", "srv") without
// calling anything but userdata __index functions (protected).
func ResolvePath(L *lua.LState, path string) lua.LValue {
	if path == "" || strings.Contains(path, ":") {
		return lua.LNil
	}
	var cur lua.LValue = L.G.Global
	for _, part := range strings.Split(path, ".") {
		if part == "" {
			return lua.LNil
		}
		switch x := cur.(type) {
		case *lua.LTable:
			v := x.RawGetString(part)
			if v == lua.LNil {
				v = IndexValue(L, x, part)
			}
			cur = v
		case *lua.LUserData:
			cur = IndexValue(L, x, part)
		default:
			return lua.LNil
		}
	}
	return cur
}
