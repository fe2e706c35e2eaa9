package perf

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestTableKeyOrder: the fork's nsh_tablekeys.go patch keeps next's order
// (the order keys were first set) for small tables without the key-to-
// position map, and for tables that grow past smallTableKeys with it.
func TestTableKeyOrder(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	err := L.DoString(`
		local function order(t)
			local ks = {}
			for k in pairs(t) do ks[#ks + 1] = tostring(k) end
			return table.concat(ks, " ")
		end
		local t = {}
		t.b = 1; t.a = 2; t[true] = 3; t.c = 4
		assert(order(t) == "b a true c", order(t))
		t.a = nil
		assert(order(t) == "b true c", order(t))
		t.a = 5 -- back in its first place, as before the patch
		assert(order(t) == "b a true c", order(t))
		assert(next(t, "c") == nil)
		for i = 1, 20 do t["k" .. i] = i end -- past 8 keys: indexed
		local want = "b a true c"
		for i = 1, 20 do want = want .. " k" .. i end
		assert(order(t) == want, order(t))
		t.k3 = nil
		assert(next(t, "k2") == "k4")
		t.z = 0
		assert(order(t):sub(-5) == "k20 z", order(t))
		-- traversal with assignment to existing fields, as Lua allows
		local n = 0
		for k in pairs(t) do t[k] = 1; n = n + 1 end
		assert(n == 24, n)
	`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSmallTableIsSmall: a table of four string fields, as a socket or an
// address is, holds no key-to-position map.
func TestSmallTableIsSmall(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	per := heapPer(2000, func() any {
		tb := L.CreateTable(0, 4)
		tb.RawSetString("family", lua.LNumber(2))
		tb.RawSetString("type", lua.LNumber(1))
		tb.RawSetString("proto", lua.LNumber(6))
		tb.RawSetString("host", lua.LString("127.0.0.1"))
		return tb
	})
	t.Logf("%.0f bytes per table", per)
	// Before the patch: 733 bytes; after: 541.
	if per > 700 {
		t.Errorf("a table of four fields holds %.0f bytes, want at most 700", per)
	}
}
