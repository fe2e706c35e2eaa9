package json

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// module holds one Lua state's json.null and array metatable.
type module struct {
	null    *lua.LUserData
	arrayMT *lua.LTable
}

func newModule(L *lua.LState) *module {
	m := &module{null: L.NewUserData(), arrayMT: L.NewTable()}
	mt := L.NewTable()
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("json.null"))
		return 1
	}))
	mt.RawSetString("__metatable", lua.LString("json.null"))
	m.null.Metatable = mt
	m.arrayMT.RawSetString("__jsontype", lua.LString("array"))
	return m
}

func argError(L *lua.LState, fn string, n int, msg string, args ...any) {
	L.RaiseError("json.%s: bad argument #%d (%s)", fn, n, fmt.Sprintf(msg, args...))
}

func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

// Encode is json.encode(value[, opts]) -> string. opts: indent (a number of
// spaces or a string), sort_keys (default true), ensure_ascii (default
// false), separators ({item, key}), python (Python's json.dumps spacing and
// ensure_ascii).
func (m *module) Encode(L *lua.LState) int {
	if L.GetTop() < 1 {
		argError(L, "encode", 1, "value expected")
	}
	opt := m.checkOptions(L, 2)
	e := &encoder{m: m, opt: opt, seen: map[*lua.LTable]bool{}}
	if err := e.value(L.Get(1), 0); err != nil {
		L.RaiseError("json.encode: %v", err)
	}
	L.Push(lua.LString(e.buf))
	return 1
}

func (m *module) checkOptions(L *lua.LState, n int) encodeOptions {
	opt := defaultOptions()
	v := L.Get(n)
	if v == lua.LNil {
		return opt
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		argError(L, "encode", n, "options table expected, got %s", typeName(L, n))
	}
	bad := func(name, want string) {
		argError(L, "encode", n, "option %s must be %s", name, want)
	}
	flag := func(name string, dst *bool) {
		switch x := t.RawGetString(name).(type) {
		case *lua.LNilType:
		case lua.LBool:
			*dst = bool(x)
		default:
			bad(name, "a boolean")
		}
	}
	var python bool
	flag("python", &python)
	if python {
		opt.itemSep, opt.keySep, opt.ascii = ", ", ": ", true
	}
	flag("sort_keys", &opt.sortKeys)
	flag("ensure_ascii", &opt.ascii)
	switch x := t.RawGetString("indent").(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if x < 0 || x > 64 || float64(x) != float64(int(x)) {
			bad("indent", "a whole number from 0 to 64 or a string")
		}
		opt.pretty, opt.indent = true, strings.Repeat(" ", int(x))
	case lua.LString:
		opt.pretty, opt.indent = true, string(x)
	default:
		bad("indent", "a number or a string")
	}
	if opt.pretty {
		opt.itemSep = strings.TrimRight(opt.itemSep, " ")
		opt.keySep = ": "
	}
	switch x := t.RawGetString("separators").(type) {
	case *lua.LNilType:
	case *lua.LTable:
		item, ok1 := x.RawGetInt(1).(lua.LString)
		key, ok2 := x.RawGetInt(2).(lua.LString)
		if !ok1 || !ok2 {
			bad("separators", "a table of two strings {item, key}")
		}
		opt.itemSep, opt.keySep = string(item), string(key)
	default:
		bad("separators", "a table of two strings {item, key}")
	}
	t.ForEach(func(k, _ lua.LValue) {
		switch k.String() {
		case "python", "sort_keys", "ensure_ascii", "indent", "separators":
		default:
			argError(L, "encode", n, "unknown option '%s'", k.String())
		}
	})
	return opt
}

// Decode is json.decode(text[, {bigint=}]) -> value: objects become tables,
// arrays become tables marked with json.array_mt, null becomes json.null;
// bigint says what an integer beyond 2^53 becomes: "round" (default),
// "string" or "error".
func (m *module) Decode(L *lua.LState) int {
	s, ok := L.Get(1).(lua.LString)
	if !ok {
		argError(L, "decode", 1, "string expected, got %s", typeName(L, 1))
	}
	bigint := "round"
	switch o := L.Get(2).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		o.ForEach(func(k, v lua.LValue) {
			if k.String() != "bigint" {
				argError(L, "decode", 2, "unknown option '%s'", k.String())
			}
			switch v {
			case lua.LString("round"), lua.LString("string"), lua.LString("error"):
				bigint = v.String()
			default:
				argError(L, "decode", 2, "option bigint must be \"round\", \"string\" or \"error\"")
			}
		})
	default:
		argError(L, "decode", 2, "options table expected, got %s", typeName(L, 2))
	}
	v, err := m.decode(L, string(s), bigint)
	if err != nil {
		L.RaiseError("json.decode: %v", err)
	}
	L.Push(v)
	return 1
}

// Array is json.array([t]) -> t: marks t (or a new table) as a JSON array,
// so that it encodes as [] even when empty.
func (m *module) Array(L *lua.LState) int {
	var t *lua.LTable
	switch x := L.Get(1).(type) {
	case *lua.LNilType:
		t = L.NewTable()
	case *lua.LTable:
		t = x
	default:
		argError(L, "array", 1, "table expected, got %s", typeName(L, 1))
	}
	t.Metatable = m.arrayMT
	L.Push(t)
	return 1
}

// IsArray is json.isarray(t) -> boolean: whether t is marked as an array.
func (m *module) IsArray(L *lua.LState) int {
	t, ok := L.Get(1).(*lua.LTable)
	L.Push(lua.LBool(ok && t.Metatable == m.arrayMT))
	return 1
}
