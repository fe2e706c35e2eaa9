package bit

import (
	"os/exec"
	"strings"
	"testing"

	"nsh/plugins/plugintest"
)

// TestMatchesLuaJIT runs testdata/luajit_compare.lua under LuaJIT and here
// and compares every line.
func TestMatchesLuaJIT(t *testing.T) {
	luajit, err := exec.LookPath("luajit")
	if err != nil {
		t.Skip("luajit not found: cannot compare with LuaJIT's bit")
	}
	const script = "testdata/luajit_compare.lua"
	want, err := exec.Command(luajit, script).Output()
	if err != nil {
		t.Fatalf("luajit: %v", err)
	}
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "bit")
	if err := L.DoFile(script); err != nil {
		t.Fatal(err)
	}
	got := strings.Split(h.Out.String(), "\n")
	lines := strings.Split(string(want), "\n")
	if len(got) != len(lines) {
		t.Fatalf("%d lines here, %d from luajit", len(got), len(lines))
	}
	for i := range lines {
		if got[i] != lines[i] {
			t.Errorf("line %d: got %q, luajit %q", i+1, got[i], lines[i])
		}
	}
}
