package luastd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLuaPathDoubleSemicolon: LUA_PATH with ";;" puts the default path in
// its place (a module in the named folder is found, one on the default
// path is searched) and leaves no empty template for require to try.
func TestLuaPathDoubleSemicolon(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mymod.lua"), []byte(`return {hi = "found"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LUA_PATH", filepath.Join(dir, "?.lua")+";;")
	out := runNsh(t, `print(require("mymod").hi) print(select(2, pcall(require, "no_such_module_here")))`)
	if !strings.HasPrefix(out, "found\n") {
		t.Fatalf("the module in LUA_PATH's folder was not loaded:\n%s", out)
	}
	if strings.Contains(out, "stat :") {
		t.Errorf("require tried an empty path template:\n%s", out)
	}
	if !strings.Contains(out, "./no_such_module_here.lua") {
		t.Errorf(";; did not put the default path in place:\n%s", out)
	}
}
