package socket

import (
	lua "github.com/yuin/gopher-lua"
)

// sock:settimeout(seconds|nil[, mode]). mode is LuaSocket's, read by its
// first letter as LuaSocket's C does: "b"/"block" (the default) bounds a
// call's waits, "t"/"total" (or "r") bounds the whole call; nil or a
// negative number removes that limit. nsh applies the smaller of the two to
// the whole call (netcore's timeout), so a block timeout in nsh bounds the
// call where LuaSocket's bounds each wait inside it: a transfer that keeps
// moving but lasts longer than a block timeout ends with "timeout" here
// (docs/luasocket.md).
func (m *module) settimeout(L *lua.LState) int {
	s := lazySelf(L, "settimeout")
	maxArgs(L, "settimeout", 3)
	sec, limited := checkSeconds(L, "settimeout", 2, 1)
	if !limited {
		sec = -1
	}
	total := false
	if mode := L.Get(3); mode != lua.LNil {
		ms, isStr := mode.(lua.LString)
		if !isStr || len(ms) == 0 || (ms[0] != 'b' && ms[0] != 't' && ms[0] != 'r') {
			argError(L, "settimeout", 2, `mode "b" (block) or "t" (total)`, 3)
		}
		total = ms[0] != 'b'
	}
	if total {
		s.tmTotal = sec
	} else {
		s.tmBlock = sec
	}
	eff := s.tmBlock
	if eff < 0 || (s.tmTotal >= 0 && s.tmTotal < eff) {
		eff = s.tmTotal
	}
	s.setTimeout(L, eff)
	return ok(L)
}

// sock:gettimeout(): LuaSocket's sockets answer block, total (-1 where
// none is set), as LuaSocket does; Python's socket.socket() answers its one
// timeout, nil when blocking.
func (m *module) gettimeout(L *lua.LState) int {
	s := lazySelf(L, "gettimeout")
	maxArgs(L, "gettimeout", 1)
	if s.luasock {
		L.Push(lua.LNumber(s.tmBlock))
		L.Push(lua.LNumber(s.tmTotal))
		return 2
	}
	pushTimeout(L, s)
	return 1
}
