// Package structlib is the struct plugin: Python's struct module for Lua
// (pack, unpack, unpack_from, calcsize, iter_unpack) with Python's format
// strings, sizes, alignment and error wording. The folder is plugins/struct;
// the package name avoids the Go keyword.
package structlib

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "struct",
		Version: "1.0.0",
		Summary: "pack and unpack binary data with Python's struct formats",
		Open:    Open,
		Global:  true,
		Help:    help,
	})
}

// Open builds the struct module table.
func Open(L *lua.LState, _ plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"pack":        Pack,
		"unpack":      Unpack,
		"unpack_from": UnpackFrom,
		"calcsize":    Calcsize,
		"iter_unpack": IterUnpack,
	})
}

var help = []plugins.Help{
	{Name: "struct.pack", Signature: "struct.pack(fmt, v1, ...) -> string",
		Summary: "pack values into bytes by a Python struct format (byte order first: @ = < > !)",
		Example: `local hdr = struct.pack(">HHI", 1, 2, 3000)`},
	{Name: "struct.unpack", Signature: "struct.unpack(fmt, data) -> v1, ...",
		Summary: "unpack exactly calcsize(fmt) bytes into values; 64-bit integers beyond 2^53 come back as decimal strings",
		Example: `local kind, len = struct.unpack(">HI", data:sub(1, 6))`},
	{Name: "struct.unpack_from", Signature: "struct.unpack_from(fmt, data[, offset]) -> v1, ...",
		Summary: "unpack from data at a 0-based offset (as in Python; negative counts from the end)",
		Example: `local len = struct.unpack_from(">I", packet, 2)`},
	{Name: "struct.calcsize", Signature: "struct.calcsize(fmt) -> n",
		Summary: "the number of bytes fmt packs to",
		Example: `print(struct.calcsize("@bhi"))  --> 8`},
	{Name: "struct.iter_unpack", Signature: "struct.iter_unpack(fmt, data) -> iterator",
		Summary: "iterate over records of fmt in data; each step returns a table of the record's values",
		Example: `for rec in struct.iter_unpack("<hh", data) do print(rec[1], rec[2]) end`},
}
