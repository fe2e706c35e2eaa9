package socket

import (
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// LuaSocket's options whose values are no integer: getoption("error"),
// the multicast memberships ({multiaddr =, interface =}) and
// ip-multicast-if (an address). setoption and getoption try these first.

// specialSet handles setoption(name, value) for them; done says whether it did.
func (m *module) specialSet(L *lua.LState, s *sock, name string) (handled bool, n int) {
	switch name {
	case "ip-add-membership", "ip-drop-membership", "ipv6-add-membership", "ipv6-drop-membership":
		t, isTable := L.Get(3).(*lua.LTable)
		if !isTable {
			argError(L, "setoption", 2, "{multiaddr = ..., interface = ...}", 3)
		}
		group, isStr := t.RawGetString("multiaddr").(lua.LString)
		if !isStr {
			L.RaiseError("setoption: bad argument #2 (%s needs multiaddr, the group's address, got %s)", name, t.RawGetString("multiaddr").Type())
		}
		iface, index := "", 0
		switch v := t.RawGetString("interface").(type) {
		case lua.LString:
			iface = string(v)
		case lua.LNumber:
			index = int(v)
		case *lua.LNilType:
		default:
			L.RaiseError("setoption: bad argument #2 (%s: interface must be an address or an index, got %s)", name, v.Type())
		}
		join := name == "ip-add-membership" || name == "ipv6-add-membership"
		return true, done(L, s.ns.Membership(join, string(group), iface, index))
	case "ip-multicast-if":
		return true, done(L, s.ns.SetMulticastIf(checkStr(L, "setoption", 3, 2, "interface address")))
	case "error":
		L.RaiseError("setoption: \"error\" can only be read (getoption)")
	}
	return false, 0
}

// specialGet handles getoption(name) for them.
func (m *module) specialGet(L *lua.LState, s *sock, name string) (handled bool, n int) {
	switch name {
	case "error":
		// LuaSocket: the pending error (SO_ERROR, which reading clears) in
		// its words, nil when there is none.
		v, err := s.ns.GetOption(syscall.SOL_SOCKET, syscall.SO_ERROR)
		if err != nil {
			return true, fail(L, err)
		}
		if v == 0 {
			L.Push(lua.LNil)
			return true, 1
		}
		L.Push(lua.LString(netcore.Short(syscall.Errno(v))))
		return true, 1
	case "ip-multicast-if":
		a, err := s.ns.MulticastIf()
		if err != nil {
			return true, fail(L, err)
		}
		L.Push(lua.LString(a))
		return true, 1
	case "ip-add-membership", "ip-drop-membership", "ipv6-add-membership", "ipv6-drop-membership":
		L.RaiseError("getoption: %q can only be set (setoption)", name)
	}
	return false, 0
}
