package lua

// nsh patch: unpack, select, tonumber, string.byte and string.char by Lua
// 5.1's rules on bad input (see NSH-PATCH.md).

import (
	"math"
	"strconv"
	"strings"
)

// maxResults is the most values one call may return (Lua 5.4's
// LUAI_MAXSTACK); the registry's own limit may be lower.
const maxResults = 1000000

// checkResults raises msg unless n more values fit on the stack, and
// makes room for them at once.
func (ls *LState) checkResults(n int64, msg string) {
	free := int64(maxResults)
	if ls.reg.maxSize > 0 {
		free = min(free, int64(ls.reg.maxSize-ls.reg.top))
	}
	if n < 0 || n > free {
		ls.RaiseError("%s", msg)
	}
	if need := ls.reg.top + int(n); need > len(ls.reg.array) {
		ls.reg.resize(need)
	}
}

func baseUnpack(L *LState) int {
	tb := L.CheckTable(1)
	i := L.OptInt64(2, 1)
	e := int64(tb.Len())
	if L.Get(3) != LNil {
		e = L.CheckInt64(3)
	}
	if i > e {
		return 0
	}
	n := e - i + 1
	L.checkResults(n, "too many results to unpack")
	for k := i; k <= e; k++ {
		L.Push(tb.RawGetInt(int(k)))
	}
	return int(n)
}

func baseSelect(L *LState) int {
	n := L.GetTop()
	if s, ok := L.Get(1).(LString); ok && strings.HasPrefix(string(s), "#") {
		L.Push(LNumber(n - 1))
		return 1
	}
	i := int64(L.CheckNumber(1))
	if i < 0 {
		i = int64(n) + i
	} else if i > int64(n) {
		i = int64(n)
	}
	if i < 1 {
		L.ArgError(1, "index out of range")
	}
	return n - int(i)
}

// isCSpace is C's isspace.
func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func trimCSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isCSpace(s[i]) {
		i++
	}
	for j > i && isCSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func baseToNumber(L *LState) int {
	base := L.OptInt64(2, 10)
	if base == 10 {
		L.CheckAny(1)
		switch v := L.Get(1).(type) {
		case LNumber:
			L.Push(v)
		case LString:
			if f, err := parseNumber(string(v)); err == nil {
				L.Push(f)
			} else {
				L.Push(LNil)
			}
		default:
			L.Push(LNil)
		}
		return 1
	}
	s := L.CheckString(1)
	if base < 2 || base > 36 {
		L.ArgError(2, "base out of range")
	}
	if n, ok := strtoul(trimCSpace(s), int(base)); ok {
		L.Push(LNumber(n))
	} else {
		L.Push(LNil)
	}
	return 1
}

// strtoul is C's strtoul on a whole (trimmed) string: a sign, "0x" in
// base 16, at least one digit; it overflows to the largest unsigned long
// and negates modulo 2^64, as glibc does.
func strtoul(s string, base int) (float64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if base == 16 && len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digitValue(s[2]) < 16 {
		s = s[2:]
	}
	if s == "" {
		return 0, false
	}
	var n uint64
	over := false
	for i := 0; i < len(s); i++ {
		d := digitValue(s[i])
		if d >= base {
			return 0, false
		}
		hi, lo := mulAdd(n, uint64(base), uint64(d))
		if hi {
			over = true
		}
		n = lo
	}
	if over {
		n = math.MaxUint64
	} else if neg {
		n = -n
	}
	return float64(n), true
}

// mulAdd is n*b+d and whether it overflowed 64 bits.
func mulAdd(n, b, d uint64) (bool, uint64) {
	if n > (math.MaxUint64-d)/b {
		return true, 0
	}
	return false, n*b + d
}

// digitValue is the value of a digit in bases up to 36, or 99.
func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// str2number is Lua 5.1's luaO_str2d: C's strtod on the string (leading
// and trailing white space, a sign, decimal or hexadecimal digits with a
// fraction and an exponent, inf, infinity, nan), nothing else after it.
// Upstream took Go's ParseInt with base 0, so "017" was 15 and "1_000"
// was 1000.
func str2number(s string) (float64, bool) {
	t := trimCSpace(s)
	if t == "" {
		return 0, false
	}
	if len(t) <= 15 && allDigits(t) {
		n, _ := strconv.ParseInt(t, 10, 64)
		return float64(n), true
	}
	body, neg := t, false
	if body[0] == '+' || body[0] == '-' {
		body, neg = body[1:], body[0] == '-'
	}
	var f float64
	switch lower := strings.ToLower(body); {
	case lower == "inf" || lower == "infinity":
		f = math.Inf(1)
	case lower == "nan":
		f = math.NaN()
	case strings.HasPrefix(lower, "0x"):
		v, ok := parseHexFloat(lower[2:])
		if !ok {
			return 0, false
		}
		f = v
	default:
		if !isDecimalFloat(body) {
			return 0, false
		}
		v, err := strconv.ParseFloat(body, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return 0, false
		}
		f = v // out of range: ±Inf or 0, as strtod gives
	}
	if neg {
		f = -f
	}
	return f, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDecimalFloat: digits [. digits] [e [sign] digits], a digit somewhere
// in the mantissa; nothing Go takes beyond C (no underscores).
func isDecimalFloat(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// parseHexFloat reads hex digits [. hex digits] [p [sign] decimal digits].
func parseHexFloat(s string) (float64, bool) {
	mant, digits, exp := 0.0, 0, 0
	i := 0
	for ; i < len(s) && digitValue(s[i]) < 16; i++ {
		mant = mant*16 + float64(digitValue(s[i]))
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && digitValue(s[i]) < 16; i++ {
			mant = mant*16 + float64(digitValue(s[i]))
			exp -= 4
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && s[i] == 'p' {
		i++
		sign := 1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = -1
			}
			i++
		}
		start, e := i, 0
		for ; i < len(s) && isDigit(s[i]); i++ {
			if e < 100000 {
				e = e*10 + int(s[i]-'0')
			}
		}
		if i == start {
			return 0, false
		}
		exp += sign * e
	}
	if i != len(s) {
		return 0, false
	}
	return math.Ldexp(mant, exp), true
}

// posrelat is Lua 5.1's relative string position: negative counts from
// the end.
func posrelat(pos int64, l int) int64 {
	if pos >= 0 {
		return pos
	}
	return int64(l) + pos + 1
}

func strByte(L *LState) int {
	str := L.CheckString(1)
	posi := posrelat(L.OptInt64(2, 1), len(str))
	pose := posrelat(L.OptInt64(3, posi), len(str))
	if posi <= 0 {
		posi = 1
	}
	if pose > int64(len(str)) {
		pose = int64(len(str))
	}
	if posi > pose {
		return 0
	}
	n := pose - posi + 1
	L.checkResults(n, "string slice too long")
	for i := posi - 1; i < pose; i++ {
		L.Push(LNumber(str[i]))
	}
	return int(n)
}

func strChar(L *LState) int {
	top := L.GetTop()
	b := make([]byte, top)
	for i := 1; i <= top; i++ {
		c := cInt(float64(L.CheckNumber(i)))
		if c < 0 || c > 255 {
			L.ArgError(i, "invalid value")
		}
		b[i-1] = byte(c)
	}
	L.Push(LString(b))
	return 1
}
