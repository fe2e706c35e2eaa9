package lua

import (
	"strings"
)

func OpenTable(L *LState) int {
	tabmod := L.RegisterModule(TabLibName, tableFuncs)
	L.Push(tabmod)
	return 1
}

var tableFuncs = map[string]LGFunction{
	"getn":   tableGetN,
	"concat": tableConcat,
	"insert": tableInsert,
	"maxn":   tableMaxN,
	"remove": tableRemove,
	"sort":   tableSort,
}

func tableGetN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).Len()))
	return 1
}

func tableMaxN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).MaxN()))
	return 1
}

// tableConcat is Lua 5.1's table.concat (nsh patch): t[i]..sep..t[j] with
// i, j defaulting to 1, #t, every element a string or a number, the result
// checked against the memory guard before it is built. Upstream pushed
// every element on the stack and clamped i and j to #t.
func tableConcat(L *LState) int {
	tbl := L.CheckTable(1)
	sep := L.OptString(2, "")
	i := L.OptInt64(3, 1)
	j := L.OptInt64(4, int64(tbl.Len()))
	if i > j {
		L.Push(emptyLString)
		return 1
	}
	hint := j - i + 1 // may overflow (i = -2^63 from a NaN)
	if hint <= 0 || hint > 1<<16 {
		hint = 1 << 16
	}
	parts := make([]string, 0, hint)
	size := int64(0)
	for k := i; ; k++ {
		v := tbl.RawGetInt(int(k))
		switch v.(type) {
		case LString, LNumber:
		default:
			L.RaiseError("invalid value (%s) at index %d in table for 'concat'", v.Type().String(), k)
		}
		s := LVAsString(v)
		parts = append(parts, s)
		size = sizeAdd(size, int64(len(s)))
		if k == j {
			break
		}
		size = sizeAdd(size, int64(len(sep)))
	}
	L.CheckAlloc("table.concat", size)
	L.Push(LString(strings.Join(parts, sep)))
	return 1
}

//

// tableInsert is Lua 5.1's table.insert (nsh patch): two or three
// arguments ("wrong number of arguments to 'insert'"), and a position
// below 1 is refused as Lua 5.3+ refuses it (5.1 would shift the table
// down to it: table.insert(t, -1e9, x) ran a billion steps).
func tableInsert(L *LState) int {
	tbl := L.CheckTable(1)
	e := tbl.Len() + 1
	switch L.GetTop() {
	case 2:
		tbl.RawSetInt(e, L.Get(2))
	case 3:
		pos := L.CheckInt64(2)
		if pos < 1 {
			L.ArgError(2, "position out of bounds")
		}
		if pos >= int64(e) {
			tbl.RawSetInt(int(pos), L.Get(3))
			return 0
		}
		tbl.Insert(int(pos), L.Get(3))
	default:
		L.RaiseError("wrong number of arguments to 'insert'")
	}
	return 0
}

// tableRemove is Lua 5.1's table.remove (nsh patch): a position outside
// 1..#t removes nothing (upstream removed the last element for any
// negative position).
func tableRemove(L *LState) int {
	tbl := L.CheckTable(1)
	e := tbl.Len()
	pos := L.OptInt64(2, int64(e))
	if pos < 1 || pos > int64(e) {
		return 0
	}
	L.Push(tbl.Remove(int(pos)))
	return 1
}
