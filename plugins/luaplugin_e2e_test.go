package plugins_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// runNSH runs the built nsh with NSH_PLUGIN_PATH set to dir.
func runNSH(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the built binary; skipped with -short")
	}
	bin := nshtest.Binary(t) // built before the run's clock starts
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "NSH_PLUGIN_PATH="+dir)
	cmd.Stdin = strings.NewReader("")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("nsh %v did not exit\nstdout: %s\nstderr: %s", args, out.String(), errb.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestLuaPluginsInTheBinary drops a good Lua plugin and broken ones into a
// plugin folder: `nsh plugins` lists the good one among the built-in
// plugins, reports each broken file with its reason, and nsh still starts
// and can require the good one. (shell's TestPTYLuaPluginCommand runs a Lua
// plugin's dot-command at the prompt.)
func TestLuaPluginsInTheBinary(t *testing.T) {
	dir := writePlugins(t, map[string]string{
		"greet.lua": `return {
  name = "e2e_greet", version = "0.1.0", summary = "says hello",
  module = {hello = function(who) return "hello, " .. who end},
  commands = {{name = "e2e_greet", usage = ".e2e_greet NAME", summary = "print a greeting",
    run = function(who) print("hello, " .. who) end}},
}`,
		"syntax.lua":  `return {name = "e2e_bad"`,
		"runtime.lua": `error("cannot start here")`,
		"dup.lua":     `return {name = "json", module = {}}`,
		"shape.lua":   `return 42`,
		"notes.txt":   `not a plugin`,
	})
	out, errOut, code := runNSH(t, dir, "plugins")
	if code != 0 {
		t.Fatalf("nsh plugins exited %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"e2e_greet  lua       0.1.0   says hello\n           .e2e_greet NAME  print a greeting\n",
		"struct     built-in", "socket     built-in", ".hexdump FILE"} {
		if !strings.Contains(out, want) {
			t.Errorf("nsh plugins does not list %q:\n%s", want, out)
		}
	}
	for file, reason := range map[string]string{
		"syntax.lua":  "syntax error",
		"runtime.lua": "run-time error: " + filepath.Join(dir, "runtime.lua") + ":1: cannot start here",
		"dup.lua":     `duplicate plugin name "json" (a built-in plugin has it)`,
		"shape.lua":   "must return a table",
	} {
		if want := "plugin " + filepath.Join(dir, file) + ": "; !strings.Contains(errOut, want) || !strings.Contains(errOut, reason) {
			t.Errorf("stderr does not report %s (%s):\n%s", file, reason, errOut)
		}
	}
	if strings.Contains(out+errOut, "notes.txt") {
		t.Errorf("a file that is not .lua was looked at:\n%s%s", out, errOut)
	}
	out, errOut, code = runNSH(t, dir, "-e", `print(require("e2e_greet").hello("lua"))`)
	if code != 0 || out != "hello, lua\n" || !strings.Contains(errOut, "syntax.lua") {
		t.Errorf("nsh -e with broken plugins around: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
