package socket

import (
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// optionValue reads an option value: a number or a boolean (true = 1).
func optionValue(L *lua.LState, fn string, idx, n int) int {
	switch v := L.Get(idx).(type) {
	case lua.LBool:
		if v {
			return 1
		}
		return 0
	case lua.LNumber:
		return checkInt32(L, fn, idx, n, "value")
	}
	argError(L, fn, n, "number or boolean", idx)
	return 0
}

func isLinger(level, opt int) bool { return level == syscall.SOL_SOCKET && opt == syscall.SO_LINGER }

// sock:setsockopt(level, opt, value); SO_LINGER takes {onoff, seconds}.
func (m *module) setsockopt(L *lua.LState) int {
	s := open(L, "setsockopt")
	maxArgs(L, "setsockopt", 4)
	level := checkInt32(L, "setsockopt", 2, 1, "level")
	opt := checkInt32(L, "setsockopt", 3, 2, "option")
	if isLinger(level, opt) {
		on, sec := lingerValue(L, "setsockopt", 4, 3)
		return done(L, s.ns.SetLinger(on, sec))
	}
	v := optionValue(L, "setsockopt", 4, 3)
	checkOptionValue(L, "setsockopt", 3, level, opt, v)
	return done(L, s.ns.SetOption(level, opt, v))
}

// done pushes 1 on success or the run-time failure.
func done(L *lua.LState, err error) int {
	if err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// sock:getsockopt(level, opt) -> number ({onoff, seconds} for SO_LINGER).
func (m *module) getsockopt(L *lua.LState) int {
	s := open(L, "getsockopt")
	maxArgs(L, "getsockopt", 3)
	level := checkInt32(L, "getsockopt", 2, 1, "level")
	opt := checkInt32(L, "getsockopt", 3, 2, "option")
	if isLinger(level, opt) {
		on, sec, err := s.ns.GetLinger()
		if err != nil {
			return fail(L, err)
		}
		t := L.CreateTable(2, 0)
		t.RawSetInt(1, lua.LNumber(b2i(on)))
		t.RawSetInt(2, lua.LNumber(sec))
		L.Push(t)
		return 1
	}
	v, err := s.ns.GetOption(level, opt)
	if err != nil {
		return fail(L, err)
	}
	L.Push(lua.LNumber(v))
	return 1
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// lookupOption finds a LuaSocket option name ("reuseaddr", "tcp-nodelay"...).
func lookupOption(L *lua.LState, fn string) (name string, level, opt int) {
	name = checkStr(L, fn, 2, 1, "option name")
	o, found := netcore.Options[name]
	if !found {
		L.RaiseError("%s: unknown option %q", fn, name)
	}
	return name, o.Level, o.Name
}

// flagOptions are answered as booleans by getoption, as LuaSocket does.
var flagOptions = map[string]bool{
	"reuseaddr": true, "reuseport": true, "keepalive": true, "broadcast": true,
	"tcp-nodelay": true, "ipv6-v6only": true, "dontroute": true, "ip-multicast-loop": true,
	"ipv6-multicast-loop": true, "tcp-quickack": true,
}

// sock:setoption(name, value) in LuaSocket's vocabulary.
func (m *module) setoption(L *lua.LState) int {
	s := open(L, "setoption")
	maxArgs(L, "setoption", 3)
	name, level, opt := lookupOption(L, "setoption")
	if handled, n := m.specialSet(L, s, name); handled {
		return n
	}
	if isLinger(level, opt) {
		on, sec := lingerValue(L, "setoption", 3, 2)
		return done(L, s.ns.SetLinger(on, sec))
	}
	if L.GetTop() < 3 && !flagOptions[name] {
		argError(L, "setoption", 2, "value", 3)
	}
	v := 1 // LuaSocket: a missing value for a flag means true
	if L.GetTop() >= 3 {
		v = optionValue(L, "setoption", 3, 2)
	}
	checkOptionValue(L, "setoption", 2, level, opt, v)
	return done(L, s.ns.SetOption(level, opt, v))
}

// sock:getoption(name) -> boolean for flags, number otherwise, {on, timeout} for linger.
func (m *module) getoption(L *lua.LState) int {
	s := open(L, "getoption")
	maxArgs(L, "getoption", 2)
	name, level, opt := lookupOption(L, "getoption")
	if handled, n := m.specialGet(L, s, name); handled {
		return n
	}
	if isLinger(level, opt) {
		on, sec, err := s.ns.GetLinger()
		if err != nil {
			return fail(L, err)
		}
		t := L.CreateTable(0, 2)
		t.RawSetString("on", lua.LBool(on))
		t.RawSetString("timeout", lua.LNumber(sec))
		L.Push(t)
		return 1
	}
	v, err := s.ns.GetOption(level, opt)
	if err != nil {
		return fail(L, err)
	}
	if flagOptions[name] {
		L.Push(lua.LBool(v != 0))
	} else {
		L.Push(lua.LNumber(v))
	}
	return 1
}
