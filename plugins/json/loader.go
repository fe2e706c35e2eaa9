// Package json is the json plugin: a hand-written JSON encoder and decoder
// for Lua values, with a json.null sentinel, arrays that stay arrays when
// empty, sorted keys by default, and Python-compatible output on request.
package json

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "json",
		Version: "1.0.0",
		Summary: "encode and decode JSON (json.null, arrays, indent, Python-compatible output)",
		Open:    Open,
		Global:  true,
		Help:    help,
	})
}

// Open builds the json module table for L.
func Open(L *lua.LState, _ plugins.Host) *lua.LTable {
	m := newModule(L)
	t := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"encode":  m.Encode,
		"decode":  m.Decode,
		"array":   m.Array,
		"isarray": m.IsArray,
	})
	t.RawSetString("null", m.null)
	t.RawSetString("array_mt", m.arrayMT)
	return t
}

var help = []plugins.Help{
	{Name: "json.encode", Signature: "json.encode(value[, {indent=, sort_keys=, ensure_ascii=, separators=, python=}]) -> string",
		Summary: "encode a Lua value as JSON (keys sorted by default; python=true matches Python's json.dumps spacing)",
		Example: `print(json.encode({name = "nsh", tags = {"a", "b"}}))  --> {"name":"nsh","tags":["a","b"]}`},
	{Name: "json.decode", Signature: "json.decode(text[, {bigint = \"round\"|\"string\"|\"error\"}]) -> value",
		Summary: "decode JSON text; arrays are marked with json.array_mt, null is json.null; integers beyond 2^53 round unless bigint says; errors give the byte position",
		Example: `local v = json.decode('{"size": 10, "name": null}')  print(v.size, v.name == json.null)`},
	{Name: "json.null", Signature: "json.null",
		Summary: "the value JSON null decodes to, and encodes from (nil in a table would vanish)",
		Example: `print(json.encode({a = json.null}))  --> {"a":null}`},
	{Name: "json.array", Signature: "json.array([t]) -> t",
		Summary: "mark t (or a new table) as a JSON array, so that it encodes as [] even when empty",
		Example: `print(json.encode({items = json.array()}))  --> {"items":[]}`},
	{Name: "json.isarray", Signature: "json.isarray(t) -> boolean",
		Summary: "whether t is marked as a JSON array (decoded arrays are)",
		Example: `print(json.isarray(json.decode("[]")))  --> true`},
	{Name: "json.array_mt", Signature: "json.array_mt",
		Summary: "the metatable that marks a table as a JSON array (setmetatable(t, json.array_mt))",
		Example: `local t = setmetatable({}, json.array_mt)  print(json.encode(t))  --> []`},
}
