package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nsh/plugins"
	"nsh/shell"
)

// TestLuaPluginCannotTakeAShellCommand: a Lua plugin offering .help (a
// command of the shell's) is reported with its file and skipped; one with
// a free name loads.
func TestLuaPluginCannotTakeAShellCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("takehelp.lua", `return {name = "takehelp", summary = "x", commands = {{name = "help", run = function() end}}}`)
	write("freecmd.lua", `return {name = "freecmd", summary = "y", commands = {{name = "freecmd_hi", run = function() end}}}`)
	s := shell.New(shell.Options{Stdin: strings.NewReader(""), PluginPath: []string{dir}})
	t.Cleanup(func() { s.Close(); plugins.Remove("freecmd"); plugins.Remove("takehelp") })
	var msgs []string
	for _, err := range s.PluginErrors() {
		msgs = append(msgs, err.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "takehelp.lua") || !strings.Contains(all, ".help") || !strings.Contains(all, "the shell") {
		t.Fatalf("plugin errors %q: want takehelp.lua refused for .help, reserved by the shell", all)
	}
	if strings.Contains(all, "freecmd") {
		t.Fatalf("freecmd.lua refused: %q", all)
	}
}
