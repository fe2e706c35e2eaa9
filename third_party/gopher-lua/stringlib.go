package lua

import (
	"math"
	"strings"
)

const emptyLString LString = LString("")

func OpenString(L *LState) int {
	var mod *LTable
	//_, ok := L.G.builtinMts[int(LTString)]
	//if !ok {
	mod = L.RegisterModule(StringLibName, strFuncs).(*LTable)
	gmatch := L.NewClosure(strGmatch, L.NewFunction(strGmatchIter))
	mod.RawSetString("gmatch", gmatch)
	mod.RawSetString("gfind", gmatch)
	mod.RawSetString("__index", mod)
	L.G.builtinMts[int(LTString)] = mod
	//}
	L.Push(mod)
	return 1
}

var strFuncs = map[string]LGFunction{
	"byte":    strByte,
	"char":    strChar,
	"dump":    strDump,
	"find":    strFind,
	"format":  strFormat,
	"gsub":    strGsub,
	"len":     strLen,
	"lower":   strLower,
	"match":   strMatch,
	"rep":     strRep,
	"reverse": strReverse,
	"sub":     strSub,
	"upper":   strUpper,
}

func strDump(L *LState) int {
	L.RaiseError("GopherLua does not support the string.dump")
	return 0
}

func strLen(L *LState) int {
	str := L.CheckString(1)
	L.Push(LNumber(len(str)))
	return 1
}

func strLower(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(strings.ToLower(str)))
	return 1
}

func strRep(L *LState) int {
	str := L.CheckString(1)
	n := float64(L.CheckNumber(2))
	if !(n >= 1) || len(str) == 0 { // NaN, negative, zero (Lua: "")
		L.Push(emptyLString)
		return 1
	}
	if n >= math.MaxInt64 {
		L.CheckAlloc("string.rep", -1)
	}
	L.Push(LString(repeatString(L, str, int64(n))))
	return 1
}

// repeatString is strings.Repeat checked against the memory guard and
// built in steps with a Checkpoint between them (nsh patch): 2^40 copies
// raise an error instead of killing the process, and a long one can be
// interrupted and lets other tasks run.
func repeatString(L *LState, str string, n int64) string {
	size := sizeMul(int64(len(str)), n)
	L.CheckAlloc("string.rep", size)
	b := make([]byte, size)
	k := copy(b, str)
	for k < len(b) {
		step := k
		if step > checkpointEvery {
			step = checkpointEvery - checkpointEvery%len(str)
			if step == 0 {
				step = len(str)
			}
		}
		k += copy(b[k:], b[:step])
		if step >= checkpointEvery/2 {
			L.Checkpoint()
		}
	}
	return bytesToString(b)
}

func strReverse(L *LState) int {
	str := L.CheckString(1)
	bts := []byte(str)
	out := make([]byte, len(bts))
	for i, j := 0, len(bts)-1; j >= 0; i, j = i+1, j-1 {
		out[i] = bts[j]
	}
	L.Push(LString(string(out)))
	return 1
}

func strSub(L *LState) int {
	str := L.CheckString(1)
	start := luaIndex2StringIndex(str, L.CheckInt(2), true)
	end := luaIndex2StringIndex(str, L.OptInt(3, -1), false)
	l := len(str)
	if start >= l || end < start {
		L.Push(emptyLString)
	} else {
		L.Push(LString(str[start:end]))
	}
	return 1
}

func strUpper(L *LState) int {
	str := L.CheckString(1)
	L.Push(LString(strings.ToUpper(str)))
	return 1
}

func luaIndex2StringIndex(str string, i int, start bool) int {
	if start && i != 0 {
		i -= 1
	}
	l := len(str)
	if i < 0 {
		i = l + i + 1
	}
	i = intMax(0, i)
	if !start && i > l {
		i = l
	}
	return i
}

//
