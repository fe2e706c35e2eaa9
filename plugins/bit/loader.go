// Package bit is the bit plugin: LuaJIT's bit module (32-bit bitwise
// operations whose results are signed 32-bit numbers), since gopher-lua has
// no bit operators.
package bit

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "bit",
		Version: "1.0.0",
		Summary: "32-bit bitwise operations, as LuaJIT's bit module",
		Open:    Open,
		Global:  true,
		Help:    help,
	})
}

// Open builds the bit module table.
func Open(L *lua.LState, _ plugins.Host) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"tobit": Tobit, "tohex": Tohex, "bnot": Bnot, "band": Band, "bor": Bor, "bxor": Bxor,
		"lshift": Lshift, "rshift": Rshift, "arshift": Arshift, "rol": Rol, "ror": Ror, "bswap": Bswap,
	})
}

var help = []plugins.Help{
	{Name: "bit.tobit", Signature: "bit.tobit(x) -> y", Summary: "normalize a number to a signed 32-bit integer (wraps modulo 2^32)",
		Example: `print(bit.tobit(0xffffffff))  --> -1`},
	{Name: "bit.tohex", Signature: "bit.tohex(x[, n]) -> string", Summary: "the low n hex digits of x (default 8; negative n: upper case)",
		Example: `print(bit.tohex(255, 2), bit.tohex(255, -4))  --> ff	00FF`},
	{Name: "bit.bnot", Signature: "bit.bnot(x) -> y", Summary: "bitwise not",
		Example: `print(bit.bnot(0))  --> -1`},
	{Name: "bit.band", Signature: "bit.band(x1[, x2, ...]) -> y", Summary: "bitwise and of all arguments",
		Example: `print(bit.band(0x12345678, 0xff))  --> 120`},
	{Name: "bit.bor", Signature: "bit.bor(x1[, x2, ...]) -> y", Summary: "bitwise or of all arguments",
		Example: `print(bit.bor(1, 2, 4))  --> 7`},
	{Name: "bit.bxor", Signature: "bit.bxor(x1[, x2, ...]) -> y", Summary: "bitwise exclusive or of all arguments",
		Example: `print(bit.bxor(0xff, 0x0f))  --> 240`},
	{Name: "bit.lshift", Signature: "bit.lshift(x, n) -> y", Summary: "logical left shift by n (low 5 bits of n)",
		Example: `print(bit.lshift(1, 31))  --> -2147483648`},
	{Name: "bit.rshift", Signature: "bit.rshift(x, n) -> y", Summary: "logical right shift by n (zeros shifted in)",
		Example: `print(bit.rshift(-1, 28))  --> 15`},
	{Name: "bit.arshift", Signature: "bit.arshift(x, n) -> y", Summary: "arithmetic right shift by n (sign bit shifted in)",
		Example: `print(bit.arshift(-256, 4))  --> -16`},
	{Name: "bit.rol", Signature: "bit.rol(x, n) -> y", Summary: "rotate left by n",
		Example: `print(bit.tohex(bit.rol(0x12345678, 8)))  --> 34567812`},
	{Name: "bit.ror", Signature: "bit.ror(x, n) -> y", Summary: "rotate right by n",
		Example: `print(bit.tohex(bit.ror(0x12345678, 8)))  --> 78123456`},
	{Name: "bit.bswap", Signature: "bit.bswap(x) -> y", Summary: "swap the four bytes of x",
		Example: `print(bit.tohex(bit.bswap(0x12345678)))  --> 78563412`},
}
