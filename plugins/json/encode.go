package json

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// maxDepth bounds nesting on encode and decode (Python's default recursion
// limit is about the same).
const maxDepth = 1000

// encodeOptions are the options of json.encode.
type encodeOptions struct {
	indent   string
	pretty   bool // indent given: newlines between items
	itemSep  string
	keySep   string
	sortKeys bool
	ascii    bool
}

func defaultOptions() encodeOptions {
	return encodeOptions{itemSep: ",", keySep: ":", sortKeys: true}
}

// encoder writes one value as JSON text.
type encoder struct {
	m    *module
	opt  encodeOptions
	buf  []byte
	seen map[*lua.LTable]bool
	path []step // where the encoder is, rendered only for errors
}

// step is one level of a path: an object key, or an array index when key
// is empty and index > 0.
type step struct {
	key   string
	index int
}

func (e *encoder) where() string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range e.path {
		if s.index > 0 {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		} else {
			b.WriteString(pathKey(s.key))
		}
	}
	return b.String()
}

func (e *encoder) fail(format string, args ...any) error {
	return fmt.Errorf("%s at %s", fmt.Sprintf(format, args...), e.where())
}

func (e *encoder) newline(depth int) {
	if !e.opt.pretty {
		return
	}
	e.buf = append(e.buf, '\n')
	for range depth {
		e.buf = append(e.buf, e.opt.indent...)
	}
}

func (e *encoder) value(v lua.LValue, depth int) error {
	switch x := v.(type) {
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	case lua.LBool:
		e.buf = strconv.AppendBool(e.buf, bool(x))
	case lua.LNumber:
		s, err := formatNumber(float64(x))
		if err != nil {
			return e.fail("%v", err)
		}
		e.buf = append(e.buf, s...)
	case lua.LString:
		return e.str(string(x))
	case *lua.LUserData:
		if x != e.m.null {
			return e.fail("cannot encode a userdata")
		}
		e.buf = append(e.buf, "null"...)
	case *lua.LTable:
		return e.table(x, depth)
	default:
		return e.fail("cannot encode a %s", v.Type())
	}
	return nil
}

// formatNumber writes f as Python's json.dumps writes it: integral values
// below 1e16 as integers, others as Python's repr of a float.
func formatNumber(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		name := "nan"
		if math.IsInf(f, 1) {
			name = "inf"
		} else if math.IsInf(f, -1) {
			name = "-inf"
		}
		return "", fmt.Errorf("cannot encode %s (out of range float values are not JSON compliant)", name)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e16 {
		return strconv.FormatInt(int64(f), 10), nil
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(s[strings.IndexByte(s, 'e')+1:])
	if exp >= -4 && exp < 16 {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	return s, nil
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string; s must be UTF-8.
func (e *encoder) str(s string) error {
	e.buf = append(e.buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				e.buf = append(e.buf, '\\', c)
			case c == '\n':
				e.buf = append(e.buf, '\\', 'n')
			case c == '\r':
				e.buf = append(e.buf, '\\', 'r')
			case c == '\t':
				e.buf = append(e.buf, '\\', 't')
			case c == '\b':
				e.buf = append(e.buf, '\\', 'b')
			case c == '\f':
				e.buf = append(e.buf, '\\', 'f')
			case c < 0x20 || (c == 0x7f && e.opt.ascii):
				e.buf = append(e.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			default:
				e.buf = append(e.buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return e.fail("string is not valid UTF-8 (byte 0x%02x at byte %d; encode binary data with codec.b64encode or hex.tohex first)", c, i+1)
		}
		if !e.opt.ascii {
			e.buf = append(e.buf, s[i:i+size]...)
		} else if r < 0x10000 {
			e.buf = appendU(e.buf, r)
		} else {
			r -= 0x10000
			e.buf = appendU(appendU(e.buf, 0xd800+(r>>10)), 0xdc00+(r&0x3ff))
		}
		i += size
	}
	e.buf = append(e.buf, '"')
	return nil
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
}

// pair is one key and value of an object.
type pair struct {
	key string
	val lua.LValue
}

func (e *encoder) table(t *lua.LTable, depth int) error {
	if e.seen[t] {
		return e.fail("circular reference")
	}
	if depth >= maxDepth {
		return e.fail("nesting deeper than %d levels", maxDepth)
	}
	e.seen[t] = true
	defer delete(e.seen, t)

	marked := t.Metatable == e.m.arrayMT
	n, maxIndex, allIndex := 0, 0, true
	t.ForEach(func(k, _ lua.LValue) {
		n++
		if num, ok := k.(lua.LNumber); ok && float64(num) == math.Trunc(float64(num)) && num >= 1 && num <= 1<<31 {
			maxIndex = max(maxIndex, int(num))
		} else {
			allIndex = false
		}
	})
	switch {
	case marked && !allIndex:
		return e.fail("table marked as a JSON array has a key that is not an index 1..n")
	case marked && maxIndex > 2*n+1000:
		return e.fail("array is too sparse (%d values, largest index %d)", n, maxIndex)
	case marked || (n > 0 && allIndex && maxIndex == n):
		return e.array(t, maxIndex, depth)
	}
	pairs := make([]pair, 0, n)
	var bad error
	add := func(k, v lua.LValue) {
		var key string
		switch x := k.(type) {
		case lua.LString:
			key = string(x)
		case lua.LNumber:
			s, err := formatNumber(float64(x))
			if err != nil && bad == nil {
				bad = e.fail("bad key: %v", err)
			}
			key = s
		default:
			if bad == nil {
				bad = e.fail("cannot use a %s as an object key (keys must be strings or numbers)", k.Type())
			}
		}
		pairs = append(pairs, pair{key, v})
	}
	if e.opt.sortKeys {
		t.ForEach(add) // order does not matter: sorted below
	} else {
		for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
			add(k, v) // insertion order
		}
	}
	if bad != nil {
		return bad
	}
	if e.opt.sortKeys {
		slices.SortFunc(pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	}
	e.buf = append(e.buf, '{')
	for i, p := range pairs {
		if i > 0 {
			e.buf = append(e.buf, e.opt.itemSep...)
		}
		e.newline(depth + 1)
		e.path = append(e.path, step{key: p.key})
		if err := e.str(p.key); err != nil {
			return err
		}
		e.buf = append(e.buf, e.opt.keySep...)
		if err := e.value(p.val, depth+1); err != nil {
			return err
		}
		e.path = e.path[:len(e.path)-1]
	}
	if len(pairs) > 0 {
		e.newline(depth)
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) array(t *lua.LTable, n, depth int) error {
	e.buf = append(e.buf, '[')
	for i := 1; i <= n; i++ {
		if i > 1 {
			e.buf = append(e.buf, e.opt.itemSep...)
		}
		e.newline(depth + 1)
		e.path = append(e.path, step{index: i})
		if err := e.value(t.RawGetInt(i), depth+1); err != nil {
			return err
		}
		e.path = e.path[:len(e.path)-1]
	}
	if n > 0 {
		e.newline(depth)
	}
	e.buf = append(e.buf, ']')
	return nil
}

// pathKey renders an object key in an error path: .name or ["odd key"].
func pathKey(k string) string {
	ident := k != ""
	for i, c := range k {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			ident = false
			break
		}
	}
	if ident {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}
