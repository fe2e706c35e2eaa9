package lua

// nsh patch: string.format by Lua 5.1's rules (lstrlib.c str_format), not
// Go's fmt.Sprintf with Lua values (see NSH-PATCH.md). Upstream let Go's
// "%!s(MISSING)" and "%!(NOVERB)" text into the result, took any width,
// printed %c as UTF-8 and %x of a negative number with a minus sign. Here a
// missing argument is "bad argument #2 to 'format' (no value)", a width or
// precision of three digits "invalid format (width or precision too long)",
// an unknown conversion "invalid option '%y' to 'format'", and each
// conversion prints what C's printf prints for Lua 5.1 on 64-bit Linux.

import (
	"fmt"
	"math"
	"strings"
)

// formatFlags are the flags a conversion may carry (Lua 5.1's FLAGS).
const formatFlags = "-+ #0"

// fmtArgError raises "bad argument #n to 'format' (msg)".
func fmtArgError(L *LState, n int, msg string) {
	L.RaiseError("bad argument #%d to 'format' (%s)", n, msg)
}

// fmtNumber is argument n as a number (a string that reads as one is
// taken, as luaL_checknumber does).
func fmtNumber(L *LState, n int) float64 {
	switch v := L.Get(n).(type) {
	case LNumber:
		return float64(v)
	case LString:
		if f, err := parseNumber(string(v)); err == nil {
			return float64(f)
		}
	}
	fmtArgError(L, n, "number expected, got "+L.argTypeName(n))
	return 0
}

// fmtString is argument n as a string: a string or a number as Lua 5.1
// takes them; nsh also takes any other value but nil through tostring
// (its __tostring), as Lua 5.2+ and LuaJIT do, so an address or a socket
// formats with %s.
func fmtString(L *LState, n int, strict bool) string {
	switch v := L.Get(n).(type) {
	case LString:
		return string(v)
	case LNumber:
		return v.String()
	case *LNilType:
	default:
		if !strict {
			return L.ToStringMeta(v).String()
		}
	}
	fmtArgError(L, n, "string expected, got "+L.argTypeName(n))
	return ""
}

// cInt is the C cast (long)x of Lua 5.1 on x86-64: out of range and NaN
// give the smallest long.
func cInt(x float64) int64 {
	if x != x || x >= 9223372036854775808.0 || x < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(x)
}

func strFormat(L *LState) int {
	format := L.CheckString(1)
	top := L.GetTop()
	var b strings.Builder
	arg := 1
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		arg++
		if arg > top {
			fmtArgError(L, arg, "no value")
		}
		// scanformat: flags, two width digits, '.', two precision digits.
		j := i + 1
		for j < len(format) && strings.IndexByte(formatFlags, format[j]) >= 0 {
			j++
		}
		if j-(i+1) >= len(formatFlags)+1 {
			L.RaiseError("invalid format (repeated flags)")
		}
		j = skipDigits(format, j, 2)
		if j < len(format) && format[j] == '.' {
			j = skipDigits(format, j+1, 2)
		}
		if j < len(format) && isDigit(format[j]) {
			L.RaiseError("invalid format (width or precision too long)")
		}
		spec := format[i:j] // "%-5.2"
		conv := byte(0)
		if j < len(format) {
			conv = format[j]
		}
		i = j
		formatOne(L, &b, spec, conv, arg)
		if b.Len() > 1<<20 {
			L.CheckAlloc("string.format", int64(b.Len()))
		}
	}
	L.Push(LString(b.String()))
	return 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipDigits skips at most n digits of s from i.
func skipDigits(s string, i, n int) int {
	for ; n > 0 && i < len(s) && isDigit(s[i]); n-- {
		i++
	}
	return i
}

// formatOne writes one conversion of argument arg.
func formatOne(L *LState, b *strings.Builder, spec string, conv byte, arg int) {
	switch conv {
	case 'c':
		x := byte(cInt(fmtNumber(L, arg)))
		b.WriteString(padBytes(spec, string([]byte{x})))
	case 'd', 'i':
		b.WriteString(fmt.Sprintf(spec+"d", cInt(fmtNumber(L, arg))))
	case 'o', 'u', 'x', 'X':
		u := uint64(cInt(fmtNumber(L, arg)))
		verb := string(conv)
		if conv == 'u' {
			verb = "d"
		}
		if u == 0 && strings.IndexByte(spec, '#') >= 0 && conv != 'o' {
			spec = strings.ReplaceAll(spec, "#", "") // C prints 0, not 0x0
		}
		b.WriteString(fmt.Sprintf(spec+verb, u))
	case 'e', 'E', 'f', 'g', 'G':
		b.WriteString(formatFloat(spec, conv, fmtNumber(L, arg)))
	case 'q':
		writeQuoted(b, fmtString(L, arg, true))
	case 's':
		s := fmtString(L, arg, false)
		if !strings.Contains(spec, ".") && len(s) >= 100 {
			b.WriteString(s) // Lua 5.1: a long string is kept as is, width and all
		} else {
			if dot := strings.IndexByte(spec, '.'); dot >= 0 {
				p := 0
				for _, d := range spec[dot+1:] {
					p = p*10 + int(d-'0')
				}
				s = s[:min(p, len(s))] // bytes, as C counts
			}
			b.WriteString(padBytes(spec, s))
		}
	default:
		opt := "%"
		if conv != 0 {
			opt += string(rune(conv))
			if conv >= 0x80 {
				opt = "%" + string([]byte{conv})
			}
		}
		L.RaiseError("invalid option '%s' to 'format'", opt)
	}
}

// formatFloat prints x as C's printf does for %e, %f, %g: Go's fmt with
// C's default precision for %g and C's words for infinities and NaN.
func formatFloat(spec string, conv byte, x float64) string {
	if math.IsInf(x, 0) || x != x {
		s := "inf"
		if x != x {
			s = "nan"
		}
		if conv == 'E' || conv == 'G' {
			s = strings.ToUpper(s)
		}
		if math.Signbit(x) {
			s = "-" + s
		} else if strings.IndexByte(spec, '+') >= 0 {
			s = "+" + s
		} else if strings.IndexByte(spec, ' ') >= 0 {
			s = " " + s
		}
		return padBytes(strings.ReplaceAll(spec, "0", ""), s)
	}
	if (conv == 'g' || conv == 'G') && !strings.Contains(spec, ".") {
		spec += ".6"
	}
	return fmt.Sprintf(spec+string(conv), x)
}

// padBytes pads s to the width of spec (left-justified with '-'), as
// %5c and %-7s pad: byte-wise, never as UTF-8.
func padBytes(spec string, s string) string {
	w := 0
	k := 1
	for k < len(spec) && strings.IndexByte(formatFlags, spec[k]) >= 0 {
		k++
	}
	for ; k < len(spec) && isDigit(spec[k]); k++ {
		w = w*10 + int(spec[k]-'0')
	}
	if len(s) >= w {
		return s
	}
	pad := strings.Repeat(" ", w-len(s))
	if strings.IndexByte(spec, '-') >= 0 {
		return s + pad
	}
	return pad + s
}

// writeQuoted is %q: Lua 5.1's addquoted.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\', '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\000`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
