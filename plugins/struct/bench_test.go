package structlib

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func BenchmarkPackUnpack(b *testing.B) {
	f, err := parseFormat("!HHIQ8s")
	if err != nil {
		b.Fatal(err)
	}
	vals := []lua.LValue{lua.LNumber(1), lua.LNumber(2), lua.LNumber(3000), lua.LNumber(1 << 40), lua.LString("filename")}
	for b.Loop() {
		data, err := f.pack(vals)
		if err != nil {
			b.Fatal(err)
		}
		f.unpack(data)
	}
}

// BenchmarkLuaPackUnpack measures the round trip as Lua code pays for it,
// format parsing included.
func BenchmarkLuaPackUnpack(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	L.SetGlobal("struct", Open(L, nil))
	fn, err := L.LoadString(`return function(n) for i = 1, n do local a, b, c = struct.unpack("!HHI", struct.pack("!HHI", 1, 2, i)) end end`)
	if err != nil {
		b.Fatal(err)
	}
	L.Push(fn)
	L.Call(0, 1)
	loop := L.Get(-1)
	b.ResetTimer()
	if err := L.CallByParam(lua.P{Fn: loop, Protect: true}, lua.LNumber(b.N)); err != nil {
		b.Fatal(err)
	}
}
