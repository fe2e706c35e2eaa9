package shell

import (
	"bytes"
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

// TestMaxMemOption: --max-mem and NSH_MAX_MEM set the limit the errors
// quote; a bad size is a usage error.
func TestMaxMemOption(t *testing.T) {
	withMemLimit(t, 0, "")
	runNsh := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		st := run(args, &CLIEnv{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		return st, out.String() + errb.String()
	}
	const src = `print(pcall(string.rep, "x", 3e6))`
	if st, got := runNsh("--max-mem", "2M", "-e", src); st != 0 || !strings.Contains(got, "result of 3 MB exceeds the memory limit (2 MB; --max-mem)") {
		t.Errorf("--max-mem 2M: %d %q", st, got)
	}
	if st, got := runNsh("--max-mem=4MiB", "-e", src); st != 0 || !strings.HasPrefix(got, "true") {
		t.Errorf("--max-mem=4MiB: %d %q", st, got)
	}
	t.Setenv("NSH_MAX_MEM", "1.5MB")
	if st, got := runNsh("-e", src); st != 0 || !strings.Contains(got, "(1.5 MB; NSH_MAX_MEM)") {
		t.Errorf("NSH_MAX_MEM=1.5MB: %d %q", st, got)
	}
	if st, got := runNsh("--max-mem", "2M", "-e", src); st != 0 || !strings.Contains(got, "(2 MB; --max-mem)") {
		t.Errorf("--max-mem beats NSH_MAX_MEM: %d %q", st, got)
	}
	t.Setenv("NSH_MAX_MEM", "lots")
	if st, got := runNsh("-e", "print(1)"); st != 2 || !strings.Contains(got, `NSH_MAX_MEM: bad size "lots"`) {
		t.Errorf("bad NSH_MAX_MEM: %d %q", st, got)
	}
	if st, got := runNsh("--max-mem"); st != 2 || !strings.Contains(got, "--max-mem needs a size") {
		t.Errorf("--max-mem without a size: %d %q", st, got)
	}
}
