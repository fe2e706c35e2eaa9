package cli

import (
	"bytes"
	"strings"
	"testing"

	"nsh/internal/memguard"
	"nsh/shell"
)

// TestMaxMemOption: --max-mem and NSH_MAX_MEM set the limit the errors
// quote; a bad size is a usage error.
func TestMaxMemOption(t *testing.T) {
	old, oldHow := memguard.Limit(), memguard.Source()
	memguard.Set(0, "")
	t.Cleanup(func() { memguard.Set(old, oldHow) })
	runNsh := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		st := run(args, &shell.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
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
