// Package hex is the hex plugin: xxd-style dumps (coloured at a terminal),
// bytes to hex and back, and the .hexdump dot-command.
package hex

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "hex",
		Version: "1.0.0",
		Summary: "hex dumps like xxd, bytes to hex and back",
		Open:    Open,
		Global:  true,
		Commands: []plugins.Command{{
			Name:    "hexdump",
			Usage:   ".hexdump FILE",
			Summary: "print a hex dump of a file (the first 64 KiB)",
			Run:     hexdumpCommand,
		}},
		Help: help,
	})
}

// Open builds the hex module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"dump":    Dump(h),
		"tohex":   Tohex,
		"fromhex": Fromhex,
	})
}

var help = []plugins.Help{
	{Name: "hex.dump", Signature: "hex.dump(data[, {width=16, group=2, offset=0, color=}]) -> string",
		Summary: "an xxd-style dump: offsets, hex groups, ASCII column (coloured in the REPL)",
		Example: `print(hex.dump("Hello, world!\n"))`},
	{Name: "hex.tohex", Signature: "hex.tohex(data[, sep]) -> string",
		Summary: "the bytes of data as lower-case hex, with sep between bytes (Python's bytes.hex)",
		Example: `print(hex.tohex("\1\2\255", " "))  --> 01 02 ff`},
	{Name: "hex.fromhex", Signature: "hex.fromhex(text) -> string",
		Summary: "the bytes written as hex pairs in text; whitespace may separate pairs (Python's bytes.fromhex)",
		Example: `local magic = hex.fromhex("89 50 4e 47")`},
}
