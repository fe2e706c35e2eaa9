package socket

import (
	"encoding/binary"
	"net/netip"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// setConstants copies netcore's constants (AF_INET, SOCK_STREAM, SOL_SOCKET,
// SO_REUSEADDR, SHUT_RDWR...) into the module table.
func setConstants(mod *lua.LTable) {
	for name, v := range netcore.Constants {
		mod.RawSetString(name, lua.LNumber(v))
	}
}

// bigEndianHost reports whether host order is network order.
var bigEndianHost = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// socket.htons(x) / socket.ntohs(x): swap a 16-bit number's bytes on
// little-endian hosts.
func htons(L *lua.LState) int {
	v := checkInt(L, "socket.htons", 1, 1, "integer")
	if v < 0 || v > 0xffff {
		L.RaiseError("socket.htons: value out of range: %d", v)
	}
	x := uint16(v)
	if !bigEndianHost {
		x = x<<8 | x>>8
	}
	L.Push(lua.LNumber(x))
	return 1
}

// socket.htonl(x) / socket.ntohl(x): the same for 32 bits.
func htonl(L *lua.LState) int {
	v := checkInt(L, "socket.htonl", 1, 1, "integer")
	if v < 0 || v > 0xffffffff {
		L.RaiseError("socket.htonl: value out of range: %d", v)
	}
	x := uint32(v)
	if !bigEndianHost {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], x)
		x = binary.LittleEndian.Uint32(b[:])
	}
	L.Push(lua.LNumber(x))
	return 1
}

// socket.inet_aton("1.2.3.4") -> 4-byte string.
func inetAton(L *lua.LState) int {
	s := checkStr(L, "socket.inet_aton", 1, 1, "string")
	ip, err := netip.ParseAddr(s)
	if err != nil || !ip.Is4() {
		L.RaiseError("socket.inet_aton: illegal IP address string passed to inet_aton: %q", s)
	}
	b := ip.As4()
	L.Push(lua.LString(b[:]))
	return 1
}

// socket.inet_ntoa(bytes4) -> "1.2.3.4".
func inetNtoa(L *lua.LState) int {
	s := checkStr(L, "socket.inet_ntoa", 1, 1, "string")
	if len(s) != 4 {
		L.RaiseError("socket.inet_ntoa: packed IP wrong length for inet_ntoa: %d", len(s))
	}
	L.Push(lua.LString(netip.AddrFrom4([4]byte([]byte(s))).String()))
	return 1
}

// socket.inet_pton(family, text) -> packed bytes (4 or 16).
func inetPton(L *lua.LState) int {
	family := checkInt(L, "socket.inet_pton", 1, 1, "family")
	s := checkStr(L, "socket.inet_pton", 2, 2, "string")
	ip, err := netip.ParseAddr(s)
	switch {
	case family == syscall.AF_INET && err == nil && ip.Is4():
		b := ip.As4()
		L.Push(lua.LString(b[:]))
	case family == syscall.AF_INET6 && err == nil && ip.Zone() == "":
		b := ip.As16()
		L.Push(lua.LString(b[:]))
	case family != syscall.AF_INET && family != syscall.AF_INET6:
		L.RaiseError("socket.inet_pton: unknown address family %d", family)
	default:
		L.RaiseError("socket.inet_pton: illegal IP address string passed to inet_pton: %q", s)
	}
	return 1
}

// socket.inet_ntop(family, packed) -> text.
func inetNtop(L *lua.LState) int {
	family := checkInt(L, "socket.inet_ntop", 1, 1, "family")
	s := checkStr(L, "socket.inet_ntop", 2, 2, "string")
	switch {
	case family == syscall.AF_INET && len(s) == 4:
		L.Push(lua.LString(netip.AddrFrom4([4]byte([]byte(s))).String()))
	case family == syscall.AF_INET6 && len(s) == 16:
		L.Push(lua.LString(netip.AddrFrom16([16]byte([]byte(s))).String()))
	case family != syscall.AF_INET && family != syscall.AF_INET6:
		L.RaiseError("socket.inet_ntop: unknown address family %d", family)
	default:
		L.RaiseError("socket.inet_ntop: invalid length of packed IP address string: %d", len(s))
	}
	return 1
}
