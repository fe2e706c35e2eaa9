package lua

import (
	"sort"
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

func tableSort(L *LState) int {
	tbl := L.CheckTable(1)
	sorter := lValueArraySorter{L, nil, tbl.array}
	if L.GetTop() != 1 {
		sorter.Fn = L.CheckFunction(2)
	}
	sort.Sort(sorter)
	return 0
}

func tableGetN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).Len()))
	return 1
}

func tableMaxN(L *LState) int {
	L.Push(LNumber(L.CheckTable(1).MaxN()))
	return 1
}

func tableRemove(L *LState) int {
	tbl := L.CheckTable(1)
	if L.GetTop() == 1 {
		L.Push(tbl.Remove(-1))
	} else {
		L.Push(tbl.Remove(L.CheckInt(2)))
	}
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
	parts := make([]string, 0, min(j-i+1, 1<<16))
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

func tableInsert(L *LState) int {
	tbl := L.CheckTable(1)
	nargs := L.GetTop()
	if nargs == 1 {
		L.RaiseError("wrong number of arguments")
	}

	if L.GetTop() == 2 {
		tbl.Append(L.Get(2))
		return 0
	}
	tbl.Insert(int(L.CheckInt(2)), L.CheckAny(3))
	return 0
}

//
