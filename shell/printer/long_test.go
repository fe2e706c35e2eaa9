package printer

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestLinesOfTextPrintAsLongStrings: a result of several lines of text (a
// hex.dump, a file) prints as a Lua long string that reads back as the
// same string; one with \r, binary bytes or a single line stays quoted.
func TestLinesOfTextPrintAsLongStrings(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	p := New(L, false, nil)
	for _, s := range []string{
		"line one\nline two\n",
		"00000000: 6162 630a  abc.\n00000010: 6465  de",
		"x]]y\nz]",
		"and ]=] too\nyes\n",
		"\x1b[2m00000000:\x1b[22m 6162\n\x1b[33m01\x1b[0m",
	} {
		out := p.Format(lua.LString(s))
		if !strings.HasPrefix(out, "[") || !strings.Contains(out, "[\n") {
			t.Errorf("format(%q) = %q, want a long string", s, out)
			continue
		}
		if err := L.DoString("got = " + out); err != nil {
			t.Errorf("format(%q) = %q does not read back: %v", s, out, err)
			continue
		}
		if got := L.GetGlobal("got").String(); got != s {
			t.Errorf("format(%q) = %q reads back as %q", s, out, got)
		}
	}
	for _, s := range []string{"one line", "one line\n", "crlf\r\nlines\r\n", "tab\there\nx\n", "bin\x00\nary\n", "\x1bXnot sgr\nx"} {
		if out := p.Format(lua.LString(s)); strings.HasPrefix(out, "[[") || strings.HasPrefix(out, "[=") {
			t.Errorf("format(%q) = %q, want it quoted (or dumped)", s, out)
		}
	}
}
