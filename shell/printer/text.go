package printer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// naturalLess orders strings with their digit runs compared as numbers:
// key2 before key10.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func formatNumber(n lua.LNumber) string {
	f := float64(n)
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return n.String()
}

func IsIdentifier(s string) bool {
	if s == "" || LuaKeywords[s] {
		return false
	}
	for i, c := range s {
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}

var LuaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "goto": true, "if": true, "in": true,
	"local": true, "nil": true, "not": true, "or": true, "repeat": true, "return": true,
	"then": true, "true": true, "until": true, "while": true,
}

// isBinary reports bytes that are not text: control characters other than
// tab, newline and carriage return, or invalid UTF-8.
func isBinary(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return true
		}
		i += size
	}
	return false
}

// isLinesOfText reports text of several lines that reads better as a Lua
// long string (a hex.dump, a file, a page) than quoted on one line: a
// newline before the end, no other control characters but colour escapes
// (hex.dump colours at a terminal), at most printMaxString bytes. A \r or
// a tab keeps the quotes, so a protocol's CRLF and tabs stay visible.
func isLinesOfText(s string) bool {
	if len(s) > printMaxString || !strings.Contains(strings.TrimSuffix(s, "\n"), "\n") {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0x1b:
			// an SGR colour escape: ESC [ digits and semicolons m
			j := i + 1
			if j >= len(s) || s[j] != '[' {
				return false
			}
			for j++; j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';'); j++ {
			}
			if j >= len(s) || s[j] != 'm' {
				return false
			}
			i = j
		case c == '\r' || c == '\t' || c == 0x7f || c < 0x20 && c != '\n':
			return false
		}
	}
	return utf8.ValidString(s)
}

// longString writes s as a Lua long string, [[ then a newline (which Lua
// skips) then the text, with as many = as it takes to not end early.
func longString(s string) string {
	eq := ""
	for strings.Contains(s, "]"+eq+"]") || strings.HasSuffix(s, "]"+eq) {
		eq += "="
	}
	return "[" + eq + "[\n" + s + "]" + eq + "]"
}

// QuoteLua quotes s as a Lua string literal: \n \r \t \\ \" and \xNN for
// other control bytes and invalid UTF-8; once the quoted text reaches max
// bytes (escapes count as printed, so binary data is cut as short as text)
// it is cut with a note of the full length.
func QuoteLua(s string, max int) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		if b.Len() > max {
			b.WriteByte('"')
			fmt.Fprintf(&b, "...(%d bytes)", len(s))
			return b.String()
		}
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		default:
			b.WriteByte(c)
		}
		i++
	}
	b.WriteByte('"')
	return b.String()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
