package shell

import (
	"strings"
	"testing"

	"nsh/internal/memguard"
)

// withMemLimit sets the memory guard's limit for one test.
func withMemLimit(t *testing.T, n int64, how string) {
	t.Helper()
	old, oldHow := memguard.Limit(), memguard.Source()
	memguard.Set(n, how)
	t.Cleanup(func() { memguard.Set(old, oldHow) })
}

// TestMemGuardStdlib: what a script sizes in the string and table
// libraries is checked before it is made; the error names the function and
// the sizes, and the shell goes on (the next line runs).
func TestMemGuardStdlib(t *testing.T) {
	withMemLimit(t, 1e6, "--max-mem")
	cases := []struct{ src, want string }{
		{`string.rep("x", 2^40)`, "string.rep: result of 1.1 TB exceeds the memory limit (1 MB; --max-mem)"},
		{`string.rep("x", 2^62)`, "string.rep: result of 4.6 EB exceeds the memory limit"},
		{`string.rep("xx", 2^62)`, "string.rep: resulting string too large"},
		{`string.rep("x", 2^70)`, "string.rep: resulting string too large"},
		{`string.rep("ab", 6e5)`, "string.rep: result of 1.2 MB exceeds the memory limit (1 MB; --max-mem)"},
		{`table.concat({string.rep("x", 6e5), "y"}, string.rep(",", 6e5))`, "table.concat: result of 1.2 MB exceeds"},
		{`string.gsub(string.rep("x", 1e5), "x", "0123456789abc")`, "string.gsub: result of"},
		{`("x"):rep(1e5):gsub(".", function() return "0123456789ab" end)`, "string.gsub: result of"},
	}
	for _, c := range cases {
		s, out, errb := newTestSession(t, "")
		if st := s.RunSource("guard.lua", "print(pcall(function() return "+c.src+" end))\nprint('next')", nil); st != 0 {
			t.Fatalf("%s: status %d: %s", c.src, st, errb)
		}
		if got := out.String(); !strings.HasPrefix(got, "false\t") || !strings.Contains(got, c.want) || !strings.HasSuffix(got, "next\n") {
			t.Errorf("%s:\n got %q\nwant false, %q, then next", c.src, got, c.want)
		}
	}
	s, out, errb := newTestSession(t, "")
	src := `print(#string.rep("ab", 4e5), #table.concat({string.rep("x", 4e5), "y"}, ","), (#string.gsub(string.rep("x", 1e5), "x", "abc")))`
	if st := s.RunSource("under.lua", src, nil); st != 0 || out.String() != "800000\t400002\t300000\n" {
		t.Errorf("under the limit: status %d, %q %s", st, out, errb)
	}
}
