package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPTYTypeAheadDuringRun: lines typed while a foreground .run runs are
// not dropped: they run, in order, once the script has ended; a .run FILE &
// gives the prompt back while its script still runs.
func TestPTYTypeAheadDuringRun(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "slow.lua")
	if err := os.WriteFile(script, []byte("while not go_on do sleep(0.01) end\nprint('script done')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bg := filepath.Join(dir, "bg.lua")
	if err := os.WriteFile(bg, []byte("sleep(0.5)\ngo_on = true\nwhile not bg_go do sleep(0.01) end\nprint('bg done')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startNSH(t) // at the first prompt
	// the foreground script waits for a global the background one sets
	// after 0.5 s; the background one for a global the type-ahead sets
	p.run(".run " + bg + " &")
	p.send(".run " + script + "\r")
	p.send("print('typed ' .. 'one')\r")
	p.send("x = 40 + 2\r")
	p.send("print('typed', x); bg_go = true\r")
	out := p.expect("bg done")
	for _, want := range []string{"script done", "typed one", "typed\t42"} {
		if !strings.Contains(out, want) {
			t.Fatalf("type-ahead %q was dropped; output:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "script done"), strings.Index(out, "typed one"); i < 0 || j < i {
		t.Fatalf("type-ahead ran before the script ended:\n%s", out)
	}
}
