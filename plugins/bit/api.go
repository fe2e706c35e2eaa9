package bit

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// tobit normalizes x to a signed 32-bit integer exactly as LuaJIT does: it
// adds 2^52+2^51 and keeps the low 32 bits, so fractions round to nearest
// even and integers wrap modulo 2^32. NaN gives 0, as LuaJIT's canonical
// NaN does on x86-64.
func tobit(x float64) int32 {
	if x != x {
		return 0
	}
	return int32(uint32(math.Float64bits(x + 6755399441055744.0)))
}

// checkBit returns argument n as a 32-bit value; numbers and numeric strings
// are accepted, as in LuaJIT.
func checkBit(L *lua.LState, fn string, n int) int32 {
	v := L.Get(n)
	switch x := v.(type) {
	case lua.LNumber:
		return tobit(float64(x))
	case lua.LString:
		if f, ok := parseNumber(string(x)); ok {
			return tobit(f)
		}
	}
	tn := "no value"
	if v != lua.LNil || n <= L.GetTop() {
		tn = v.Type().String()
	}
	L.RaiseError("bit.%s: bad argument #%d (number expected, got %s)", fn, n, tn)
	return 0
}

// parseNumber converts a numeric string as Lua does (decimal or 0x hex,
// surrounding spaces allowed).
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "_pP") {
		return f, true
	}
	neg := strings.HasPrefix(s, "-")
	t := strings.TrimPrefix(s, "-")
	if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
		if u, err := strconv.ParseUint(t[2:], 16, 64); err == nil {
			if neg {
				return -float64(u), true
			}
			return float64(u), true
		}
	}
	return 0, false
}

func push(L *lua.LState, v int32) int {
	L.Push(lua.LNumber(v))
	return 1
}

// Tobit is bit.tobit(x) -> y: x normalized to a signed 32-bit integer.
func Tobit(L *lua.LState) int { return push(L, checkBit(L, "tobit", 1)) }

// Bnot is bit.bnot(x) -> y: bitwise not.
func Bnot(L *lua.LState) int { return push(L, ^checkBit(L, "bnot", 1)) }

// Bswap is bit.bswap(x) -> y: x with its four bytes reversed.
func Bswap(L *lua.LState) int {
	u := uint32(checkBit(L, "bswap", 1))
	return push(L, int32(u>>24|u>>8&0xff00|u<<8&0xff0000|u<<24))
}

// fold applies op across all (at least one) arguments.
func fold(fn string, op func(a, b int32) int32) lua.LGFunction {
	return func(L *lua.LState) int {
		r := checkBit(L, fn, 1)
		for i := 2; i <= L.GetTop(); i++ {
			r = op(r, checkBit(L, fn, i))
		}
		return push(L, r)
	}
}

// Band is bit.band(x1 [, x2...]) -> y: bitwise and.
var Band = fold("band", func(a, b int32) int32 { return a & b })

// Bor is bit.bor(x1 [, x2...]) -> y: bitwise or.
var Bor = fold("bor", func(a, b int32) int32 { return a | b })

// Bxor is bit.bxor(x1 [, x2...]) -> y: bitwise exclusive or.
var Bxor = fold("bxor", func(a, b int32) int32 { return a ^ b })

// shift builds a shift or rotate; the count uses its low 5 bits, as LuaJIT.
func shift(fn string, op func(x uint32, n uint) uint32) lua.LGFunction {
	return func(L *lua.LState) int {
		x := checkBit(L, fn, 1)
		n := uint(checkBit(L, fn, 2) & 31)
		return push(L, int32(op(uint32(x), n)))
	}
}

// Lshift is bit.lshift(x, n) -> y: logical left shift.
var Lshift = shift("lshift", func(x uint32, n uint) uint32 { return x << n })

// Rshift is bit.rshift(x, n) -> y: logical right shift.
var Rshift = shift("rshift", func(x uint32, n uint) uint32 { return x >> n })

// Arshift is bit.arshift(x, n) -> y: arithmetic right shift.
var Arshift = shift("arshift", func(x uint32, n uint) uint32 { return uint32(int32(x) >> n) })

// Rol is bit.rol(x, n) -> y: left rotate.
var Rol = shift("rol", func(x uint32, n uint) uint32 { return x<<n | x>>(32-n) })

// Ror is bit.ror(x, n) -> y: right rotate.
var Ror = shift("ror", func(x uint32, n uint) uint32 { return x>>n | x<<(32-n) })

// Tohex is bit.tohex(x[, n]) -> string: the low |n| hex digits of x (default
// 8; up to 254 as in LuaJIT 2.1, the digits past the 8th being 0); a
// negative n gives upper-case digits.
func Tohex(L *lua.LState) int {
	x := uint32(checkBit(L, "tohex", 1))
	n := int32(8)
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		n = checkBit(L, "tohex", 2)
	}
	digits := "0123456789abcdef"
	if n < 0 {
		n, digits = -n, "0123456789ABCDEF"
	}
	if n > 254 || n < 0 {
		n = 254
	}
	buf := make([]byte, n)
	u := uint64(x)
	for i := int(n) - 1; i >= 0; i-- {
		buf[i] = digits[u&15]
		u >>= 4
	}
	L.Push(lua.LString(buf))
	return 1
}
