package packet

import (
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// packet.decode(bytes[, first]) -> table: the layers gopacket decodes from
// bytes, starting with first ("ethernet" by default; "ip" picks ipv4 or
// ipv6 by the version nibble). A header that does not decode raises.
func decodeFn(L *lua.LState) int {
	const fn = "packet.decode"
	data, ok := L.Get(1).(lua.LString)
	if !ok {
		L.RaiseError("%s: bad argument #1 (string of bytes expected, got %s)", fn, typeName(L, 1))
	}
	if L.GetTop() > 2 {
		L.RaiseError("%s: too many arguments (bytes and the first layer's name)", fn)
	}
	name := "ethernet"
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LString:
		name = strings.ToLower(string(v))
	default:
		L.RaiseError("%s: bad argument #2 (layer name expected, got %s)", fn, typeName(L, 2))
	}
	if name == "ip" {
		name = "ipv4"
		if len(data) > 0 && data[0]>>4 == 6 {
			name = "ipv6"
		}
	}
	first, ok := firstLayers[name]
	if !ok {
		names := make([]string, 0, len(firstLayers)+1)
		for n := range firstLayers {
			names = append(names, `"`+n+`"`)
		}
		names = append(names, `"ip"`)
		sort.Strings(names)
		L.RaiseError("%s: bad argument #2 (unknown layer %q; one of %s)", fn, name, strings.Join(names, ", "))
	}
	if len(data) == 0 {
		L.RaiseError("%s: no bytes to decode", fn)
	}
	t, err := decode(L, []byte(data), first)
	if err != nil {
		L.RaiseError("%s: %v", fn, err)
	}
	L.Push(t)
	return 1
}
