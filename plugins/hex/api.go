package hex

import (
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
	"nsh/plugins"
)

func argError(L *lua.LState, fn string, n int, msg string, args ...any) {
	L.RaiseError("hex.%s: bad argument #%d (%s)", fn, n, fmt.Sprintf(msg, args...))
}

func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	return L.Get(n).Type().String()
}

func checkString(L *lua.LState, fn string, n int) string {
	s, ok := L.Get(n).(lua.LString)
	if !ok {
		argError(L, fn, n, "string expected, got %s", typeName(L, n))
	}
	return string(s)
}

// Dump returns hex.dump(data[, {width=16, group=2, offset=0, color=}]) ->
// string: an xxd-style dump, coloured when a person is at a terminal
// (or when color=true).
func Dump(h plugins.Host) lua.LGFunction {
	return func(L *lua.LState) int {
		data := checkString(L, "dump", 1)
		o := defaultDump()
		color := h.Interactive()
		if v := L.Get(2); v != lua.LNil {
			t, ok := v.(*lua.LTable)
			if !ok {
				argError(L, "dump", 2, "options table expected, got %s", typeName(L, 2))
			}
			num := func(name string, lo, hi float64, dst *int) {
				switch x := t.RawGetString(name).(type) {
				case *lua.LNilType:
				case lua.LNumber:
					if float64(x) < lo || float64(x) > hi || float64(x) != float64(int64(x)) {
						argError(L, "dump", 2, "option %s must be a whole number from %.0f to %.0f", name, lo, hi)
					}
					*dst = int(x)
				default:
					argError(L, "dump", 2, "option %s must be a number", name)
				}
			}
			num("width", 1, 256, &o.Width)
			num("group", 0, 256, &o.Group)
			var off int
			num("offset", 0, 1<<53, &off)
			o.Offset = uint64(off)
			switch x := t.RawGetString("color").(type) {
			case *lua.LNilType:
			case lua.LBool:
				color = bool(x)
			default:
				argError(L, "dump", 2, "option color must be a boolean")
			}
			t.ForEach(func(k, _ lua.LValue) {
				switch k.String() {
				case "width", "group", "offset", "color":
				default:
					argError(L, "dump", 2, "unknown option '%s'", k.String())
				}
			})
		}
		if o.Group == 0 || o.Group > o.Width {
			o.Group = o.Width
		}
		if color {
			o.Style = h.Style
		}
		// a line: offset, hex pairs with group spaces, the text column;
		// colour roughly triples it
		lines, line := int64(len(data)/o.Width+1), int64(20+4*o.Width)
		if color {
			line *= 3
		}
		if err := memguard.Check("hex.dump", memguard.Mul(lines, line)); err != nil {
			L.RaiseError("%s", err.Error())
		}
		L.Push(lua.LString(dump([]byte(data), o)))
		return 1
	}
}

// Tohex is hex.tohex(data[, sep]) -> string: the bytes of data as lower-case
// hex pairs, with sep between them (Python's bytes.hex(sep)).
func Tohex(L *lua.LState) int {
	data := checkString(L, "tohex", 1)
	sep := ""
	if L.Get(2) != lua.LNil {
		sep = checkString(L, "tohex", 2)
	}
	n := int64(len(data))
	if err := memguard.Check("hex.tohex", memguard.Add(memguard.Mul(n, 2), memguard.Mul(max(n-1, 0), int64(len(sep))))); err != nil {
		L.RaiseError("%s", err.Error())
	}
	var b strings.Builder
	b.Grow(len(data) * (2 + len(sep)))
	for i := 0; i < len(data); i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteByte(hexDigits[data[i]>>4])
		b.WriteByte(hexDigits[data[i]&15])
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// Fromhex is hex.fromhex(text) -> string: the bytes written as hex pairs in
// text; whitespace may separate pairs (Python's bytes.fromhex).
func Fromhex(L *lua.LState) int {
	text := checkString(L, "fromhex", 1)
	b, err := fromhex(text)
	if err != nil {
		argError(L, "fromhex", 1, "%v", err)
	}
	L.Push(lua.LString(b))
	return 1
}

// fromhex decodes hex pairs, skipping ASCII whitespace between pairs.
// Positions in errors are 1-based byte positions in text.
func fromhex(text string) ([]byte, error) {
	out := make([]byte, 0, len(text)/2)
	for i := 0; i < len(text); {
		c := text[i]
		if isSpace(c) {
			i++
			continue
		}
		hi, ok := unhex(c)
		if !ok {
			return nil, fmt.Errorf("invalid hex digit %s at byte %d", quote(c), i+1)
		}
		if i+1 >= len(text) {
			return nil, fmt.Errorf("odd number of hex digits (the digit at byte %d has no pair)", i+1)
		}
		lo, ok := unhex(text[i+1])
		if !ok {
			if isSpace(text[i+1]) {
				return nil, fmt.Errorf("the hex digit at byte %d has no pair (whitespace may only separate bytes)", i+1)
			}
			return nil, fmt.Errorf("invalid hex digit %s at byte %d", quote(text[i+1]), i+2)
		}
		out = append(out, hi<<4|lo)
		i += 2
	}
	return out, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func quote(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("0x%02x", c)
}
