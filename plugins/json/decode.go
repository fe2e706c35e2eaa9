package json

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
)

// decoder turns JSON text into Lua values: objects become tables, arrays
// become tables with the array metatable, null becomes json.null.
type decoder struct {
	L     *lua.LState
	m     *module
	s     string
	pos   int
	depth int
	// bigint is what an integer beyond 2^53 becomes: "round" (the nearest
	// float64), "string" (its digits) or "error".
	bigint string
	// vals and keys collect the members of the containers being parsed,
	// so that each table is made once at its final size.
	vals []lua.LValue
	keys []string
	// mem estimates the bytes of the Lua values made so far; the memory
	// guard is asked each time it passes next (every MiB), so a
	// gigabyte of "[[],[],..." stops before it becomes tens of gigabytes of
	// tables.
	mem, next int64
}

// Rough sizes of what decoding makes, for the memory guard.
const (
	tableCost  = 96 // an LTable
	memberCost = 40 // one array slot or object member
)

// charge adds n bytes to the estimate and raises the guard's error past
// the limit.
func (d *decoder) charge(n int) {
	d.mem += int64(n)
	if d.mem < d.next {
		return
	}
	d.next = d.mem + 1<<20
	if err := memguard.Check("json.decode", d.mem); err != nil {
		d.L.RaiseError("%s", err.Error())
	}
}

// decode parses s as one JSON value, with nothing but whitespace after it.
func (m *module) decode(L *lua.LState, s, bigint string) (lua.LValue, error) {
	d := &decoder{L: L, m: m, s: s, bigint: bigint}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.s) {
		return nil, d.unexpected("end of input (extra data after the value)")
	}
	return v, nil
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// unexpected reports the byte at d.pos (or the end of input).
func (d *decoder) unexpected(expected string) error {
	if d.pos >= len(d.s) {
		return fmt.Errorf("unexpected end of input after byte %d (expected %s)", len(d.s), expected)
	}
	c := d.s[d.pos]
	if c >= 0x20 && c < 0x7f {
		return fmt.Errorf("unexpected character '%c' at byte %d (expected %s)", c, d.pos+1, expected)
	}
	return fmt.Errorf("unexpected byte 0x%02x at byte %d (expected %s)", c, d.pos+1, expected)
}

func (d *decoder) value() (lua.LValue, error) {
	d.skipSpace()
	if d.pos >= len(d.s) {
		return nil, d.unexpected("a value")
	}
	switch c := d.s[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, err := d.str()
		return lua.LString(s), err
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	case strings.HasPrefix(d.s[d.pos:], "true"):
		d.pos += 4
		return lua.LTrue, nil
	case strings.HasPrefix(d.s[d.pos:], "false"):
		d.pos += 5
		return lua.LFalse, nil
	case strings.HasPrefix(d.s[d.pos:], "null"):
		d.pos += 4
		return d.m.null, nil
	}
	return nil, d.unexpected("a value")
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return fmt.Errorf("nesting deeper than %d levels at byte %d", maxDepth, d.pos+1)
	}
	return nil
}

func (d *decoder) object() (lua.LValue, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.charge(tableCost)
	defer func() { d.depth-- }()
	d.pos++ // {
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		return d.L.NewTable(), nil
	}
	base := len(d.vals)
	defer func() { d.vals, d.keys = d.vals[:base], d.keys[:base] }()
	for {
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			return nil, d.unexpected("'\"' to start an object key")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			return nil, d.unexpected("':' after an object key")
		}
		d.pos++
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.charge(memberCost + len(k))
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, v)
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == '}' {
			d.pos++
			t := d.L.CreateTable(0, len(d.vals)-base)
			for i := base; i < len(d.vals); i++ {
				t.RawSetString(d.keys[i], d.vals[i])
			}
			return t, nil
		}
		return nil, d.unexpected("',' or '}' in an object")
	}
}

func (d *decoder) array() (lua.LValue, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.charge(tableCost)
	defer func() { d.depth-- }()
	d.pos++ // [
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		t := d.L.NewTable()
		t.Metatable = d.m.arrayMT
		return t, nil
	}
	base := len(d.vals)
	defer func() { d.vals, d.keys = d.vals[:base], d.keys[:base] }()
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.charge(memberCost)
		d.vals = append(d.vals, v)
		d.keys = append(d.keys, "")
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == ']' {
			d.pos++
			t := d.L.CreateTable(len(d.vals)-base, 0)
			t.Metatable = d.m.arrayMT
			for i := base; i < len(d.vals); i++ {
				t.RawSetInt(i-base+1, d.vals[i])
			}
			return t, nil
		}
		return nil, d.unexpected("',' or ']' in an array")
	}
}

// number parses a JSON number strictly; integers up to 2^53 are exact,
// larger ones round to the nearest float64.
func (d *decoder) number() (lua.LValue, error) {
	start := d.pos
	s := d.s
	digits := func() int {
		n := 0
		for d.pos < len(s) && s[d.pos] >= '0' && s[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if s[d.pos] == '-' {
		d.pos++
	}
	if d.pos < len(s) && s[d.pos] == '0' {
		d.pos++
	} else if digits() == 0 {
		return nil, d.unexpected("a digit in a number")
	}
	integral := true
	if d.pos < len(s) && s[d.pos] == '.' {
		integral = false
		d.pos++
		if digits() == 0 {
			return nil, d.unexpected("a digit after '.' in a number")
		}
	}
	if d.pos < len(s) && (s[d.pos] == 'e' || s[d.pos] == 'E') {
		integral = false
		d.pos++
		if d.pos < len(s) && (s[d.pos] == '+' || s[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.unexpected("a digit in a number's exponent")
		}
	}
	lit := s[start:d.pos]
	if integral && d.bigint != "round" && beyondExact(lit) {
		if d.bigint == "string" {
			return lua.LString(lit), nil
		}
		return nil, fmt.Errorf("integer %s at byte %d is beyond 2^53 and would lose digits (decode with {bigint = \"string\"})", lit, start+1)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil && err.(*strconv.NumError).Err != strconv.ErrRange {
		return nil, fmt.Errorf("invalid number at byte %d", start+1)
	}
	return lua.LNumber(f), nil
}

// beyondExact reports whether the integer literal lit is beyond ±2^53,
// where float64 (a Lua number) stops holding every integer.
func beyondExact(lit string) bool {
	digits := strings.TrimPrefix(lit, "-")
	if len(digits) < 16 {
		return false
	}
	u, err := strconv.ParseUint(digits, 10, 64)
	return err != nil || u > 1<<53
}

// str parses a JSON string at d.pos (the opening quote).
func (d *decoder) str() (string, error) {
	start := d.pos
	d.pos++
	// Fast path: no escapes.
	for i := d.pos; i < len(d.s); i++ {
		c := d.s[i]
		if c == '"' {
			d.pos = i + 1
			return d.s[start+1 : i], nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	var b strings.Builder
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		switch {
		case c == '"':
			d.pos++
			return b.String(), nil
		case c < 0x20:
			return "", fmt.Errorf("invalid control character 0x%02x in a string at byte %d", c, d.pos+1)
		case c != '\\':
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.s) {
			break
		}
		esc := d.s[d.pos+1]
		d.pos += 2
		switch esc {
		case '"', '\\', '/':
			b.WriteByte(esc)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, err := d.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if r < 0xdc00 && strings.HasPrefix(d.s[d.pos:], "\\u") {
					save := d.pos
					d.pos += 2
					if r2, err = d.hex4(); err != nil {
						return "", err
					}
					if r2 < 0xdc00 || r2 > 0xdfff {
						d.pos, r2 = save, -1
					}
				}
				r = utf16.DecodeRune(r, r2) // U+FFFD for a lone surrogate
			}
			b.WriteRune(r)
		default:
			return "", fmt.Errorf("invalid escape '\\%s' in a string at byte %d", printable(esc), d.pos-1)
		}
	}
	return "", fmt.Errorf("unterminated string starting at byte %d", start+1)
}

// hex4 reads the four hex digits of a \u escape at d.pos.
func (d *decoder) hex4() (rune, error) {
	if d.pos+4 > len(d.s) {
		return 0, fmt.Errorf("invalid \\u escape at byte %d (expected four hex digits)", d.pos-1)
	}
	v, err := strconv.ParseUint(d.s[d.pos:d.pos+4], 16, 32)
	if err != nil || strings.ContainsAny(d.s[d.pos:d.pos+4], "+-_") {
		return 0, fmt.Errorf("invalid \\u escape at byte %d (expected four hex digits)", d.pos-1)
	}
	d.pos += 4
	return rune(v), nil
}

func printable(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return string(rune(c))
	}
	return fmt.Sprintf("x%02x", c)
}
