package plugins_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// writePlugins writes files (name -> Lua source) into a new folder.
func writePlugins(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load runs LoadLuaPlugins and unregisters what it added when the test ends.
func load(t *testing.T, L *lua.LState, h plugins.Host, dirs ...string) ([]*plugins.Plugin, []error) {
	t.Helper()
	loaded, problems := plugins.LoadLuaPlugins(L, h, dirs)
	t.Cleanup(func() {
		for _, p := range loaded {
			plugins.Remove(p.Name)
		}
	})
	return loaded, problems
}

const goodPlugin = `
local M = {}
function M.greet(who) return "hello, " .. who end
return {
  name = "lp_greeter",
  version = "1.2.3",
  summary = "says hello",
  module = M,
  commands = {
    {name = "lp_greet", usage = ".lp_greet NAME", summary = "print a greeting",
     run = function(who, extra) print(M.greet(who or "nobody"), extra) end},
    {name = "lp_fail", run = function() return nil, "no luck" end},
    {name = "lp_raise", run = function() error("boom", 0) end},
  },
  help = {{name = "lp_greeter.greet", signature = "lp_greeter.greet(who) -> string", summary = "a greeting"}},
}
`

func TestLuaPluginGood(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	dir := writePlugins(t, map[string]string{"greeter.lua": goodPlugin, "README.txt": "not a plugin", "notes.lua.bak": "x"})
	loaded, problems := load(t, L, h, dir)
	if len(problems) != 0 || len(loaded) != 1 {
		t.Fatalf("loaded %d, problems %v", len(loaded), problems)
	}
	p, ok := plugins.Get("lp_greeter")
	if !ok || p.Kind != "lua" || p.Version != "1.2.3" || p.Summary != "says hello" || len(p.Help) != 1 {
		t.Fatalf("registry entry %+v", p)
	}
	if err := L.DoString(`assert(require("lp_greeter").greet("lua") == "hello, lua")`); err != nil {
		t.Fatal(err)
	}
	if L.GetGlobal("lp_greeter") != lua.LNil {
		t.Error("module set as a global without global=true")
	}
	cmd := p.Commands[0]
	if cmd.Name != "lp_greet" || cmd.Usage != ".lp_greet NAME" || cmd.Summary != "print a greeting" || p.Commands[1].Usage != ".lp_fail" {
		t.Errorf("commands %+v", p.Commands)
	}
	top := L.GetTop()
	if err := cmd.Run(L, h, []string{"you", "2"}); err != nil {
		t.Fatal(err)
	}
	if got := h.Out.String(); got != "hello, you\t2\n" {
		t.Errorf("command printed %q", got)
	}
	if err := p.Commands[1].Run(L, h, nil); err == nil || err.Error() != ".lp_fail: no luck" {
		t.Errorf("nil, msg return: %v", err)
	}
	if err := p.Commands[2].Run(L, h, nil); err == nil || err.Error() != ".lp_raise: boom" {
		t.Errorf("raised error: %v", err)
	}
	if L.GetTop() != top {
		t.Errorf("commands left %d values on the stack", L.GetTop()-top)
	}
}

func TestLuaPluginModuleFunctionAndGlobal(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	dir := writePlugins(t, map[string]string{
		"a.lua": `local n = 0
return {name = "lp_lazy", module = function() n = n + 1; return {opened = n} end}`,
		"b.lua": `return {name = "lp_glob", global = true, module = {x = 1}}`,
		"c.lua": `return {name = "lp_badmod", module = function() return 42 end}`,
	})
	_, problems := load(t, L, h, dir)
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if err := L.DoString(`
		assert(require("lp_lazy").opened == 1)
		assert(require("lp_lazy").opened == 1, "module function called twice")
		assert(lp_glob.x == 1)`); err != nil {
		t.Fatal(err)
	}
	err := L.DoString(`require("lp_badmod")`)
	if err == nil || !strings.Contains(err.Error(), "plugin lp_badmod: module function returned number, want a table") {
		t.Errorf("require of a bad module function: %v", err)
	}
}

func TestLuaPluginBroken(t *testing.T) {
	if err := plugins.Add(plugins.Plugin{Name: "lp_builtin", Open: func(L *lua.LState, h plugins.Host) *lua.LTable { return L.NewTable() },
		Commands: []plugins.Command{{Name: "lp_taken", Run: func(*lua.LState, plugins.Host, []string) error { return nil }}}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plugins.Remove("lp_builtin") })
	if err := plugins.ReserveCommand("the shell", "lp_shellcmd"); err != nil {
		t.Fatal(err)
	}
	old := plugins.LuaLoadTimeout
	plugins.LuaLoadTimeout = 200 * time.Millisecond
	t.Cleanup(func() { plugins.LuaLoadTimeout = old })

	tests := []struct{ file, src, reason string }{
		{"syntax.lua", `return {name = "x"`, "syntax.lua at EOF: syntax error"},
		{"syntax2.lua", "local = 1", "syntax error"},
		{"runtime.lua", `local t = nil; return t.x`, "run-time error: "},
		{"raise.lua", `error("cannot start")`, "cannot start"},
		{"loop.lua", `while true do end`, "still running after 200ms: gave up"},
		{"notable.lua", `return "plugin"`, "must return a table {name=, version=, summary=, module=, commands=}, returned string"},
		{"nothing.lua", ``, "returned nil"},
		{"noname.lua", `return {module = {}}`, "name must be a string, got nil"},
		{"badname.lua", `return {name = "Bad-Name", module = {}}`, `invalid plugin name "Bad-Name"`},
		{"modnum.lua", `return {name = "lp_m", module = 5}`, "module must be a table or a function returning one, got number"},
		{"norun.lua", `return {name = "lp_n", commands = {{name = "go"}}}`, `command "go": run must be a function, got nil`},
		{"cmdname.lua", `return {name = "lp_c", commands = {{run = print}}}`, "commands[1]: name must be a lower-case word"},
		{"cmddup.lua", `return {name = "lp_d", commands = {{name = "a", run = print}, {name = "a", run = print}}}`, `duplicate command name "a"`},
		{"cmdclash.lua", `return {name = "lp_e", commands = {{name = "lp_taken", run = print}}}`, "command .lp_taken is already offered by plugin lp_builtin"},
		{"shellclash.lua", `return {name = "lp_s", commands = {{name = "lp_shellcmd", run = print}}}`, "command .lp_shellcmd is one of the shell's own"},
		{"cmdsnottable.lua", `return {name = "lp_f", commands = "x"}`, "commands must be a list of tables, got string"},
		{"empty.lua", `return {name = "lp_g"}`, "offers nothing: give a module or commands"},
		{"typo.lua", `return {name = "lp_h", module = {}, comands = {}}`, "unknown field comands"},
		{"version.lua", `return {name = "lp_i", module = {}, version = 1}`, "version must be a string, got number"},
		{"builtin.lua", `return {name = "lp_builtin", module = {}}`, `duplicate plugin name "lp_builtin" (a built-in plugin has it)`},
		{"globalfails.lua", `return {name = "lp_k", global = true, module = function() error("no network", 0) end}`, "opening the module failed: no network"},
		{"help.lua", `return {name = "lp_j", module = {}, help = {{summary = "x"}}}`, "help[1]: name is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			h := plugintest.NewHost(t)
			L := plugintest.NewState(t, h)
			dir := writePlugins(t, map[string]string{tt.file: tt.src, "zz_good.lua": `return {name = "lp_good", module = {ok = true}}`})
			loaded, problems := load(t, L, h, dir)
			if len(problems) != 1 {
				t.Fatalf("problems %v, want one", problems)
			}
			want := "plugin " + filepath.Join(dir, tt.file) + ": "
			if msg := problems[0].Error(); !strings.HasPrefix(msg, want) || !strings.Contains(msg, tt.reason) {
				t.Errorf("problem %q, want %q...%q", msg, want, tt.reason)
			}
			if len(loaded) != 1 || loaded[0].Name != "lp_good" {
				t.Errorf("the good plugin after a broken one was not loaded: %v", loaded)
			}
			if _, still := plugins.Get("lp_k"); still {
				t.Error("a plugin whose global module failed to open stayed registered")
			}
			if L.GetTop() != 0 {
				t.Errorf("loading left %d values on the stack", L.GetTop())
			}
		})
	}
}

func TestLuaPluginDuplicateAcrossFilesAndFolders(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	one := writePlugins(t, map[string]string{"a.lua": `return {name = "lp_same", module = {from = "a"}}`, "b.lua": `return {name = "lp_same", module = {from = "b"}}`})
	two := writePlugins(t, map[string]string{"c.lua": `return {name = "lp_same", module = {from = "c"}}`})
	loaded, problems := load(t, L, h, one, two)
	if len(loaded) != 1 || len(problems) != 2 {
		t.Fatalf("loaded %v, problems %v", loaded, problems)
	}
	for _, p := range problems {
		if !strings.Contains(p.Error(), `duplicate plugin name "lp_same" (already loaded from `+filepath.Join(one, "a.lua")) {
			t.Errorf("problem %v", p)
		}
	}
	if err := L.DoString(`assert(require("lp_same").from == "a")`); err != nil {
		t.Error(err)
	}
}

// Two sessions of one process load the same files; each gets its own module
// and its commands run its own functions.
func TestLuaPluginTwoSessions(t *testing.T) {
	dir := writePlugins(t, map[string]string{"count.lua": `
local n = 0
return {name = "lp_count", module = {get = function() return n end},
        commands = {{name = "lp_inc", run = function() n = n + 1 end}}}`})
	var states []*lua.LState
	for i := 0; i < 2; i++ {
		h := plugintest.NewHost(t)
		L := plugintest.NewState(t, h)
		_, problems := load(t, L, h, dir)
		if len(problems) != 0 {
			t.Fatalf("session %d: %v", i, problems)
		}
		states = append(states, L)
	}
	p, _ := plugins.Get("lp_count")
	p.Commands[0].Run(states[0], nil, nil)
	p.Commands[0].Run(states[0], nil, nil)
	p.Commands[0].Run(states[1], nil, nil)
	for i, want := range []int{2, 1} {
		if err := states[i].DoString(`n = require("lp_count").get()`); err != nil {
			t.Fatal(err)
		}
		if got := states[i].GetGlobal("n"); got != lua.LNumber(want) {
			t.Errorf("session %d counted %v, want %d", i, got, want)
		}
	}
	bare := lua.NewState()
	defer bare.Close()
	if err := p.Commands[0].Run(bare, nil, nil); err == nil || !strings.Contains(err.Error(), "not loaded in this session") {
		t.Errorf("command in a state that never loaded the plugin: %v", err)
	}
}

func TestLuaPluginFolders(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	loaded, problems := load(t, L, h, filepath.Join(t.TempDir(), "missing"), file)
	if len(loaded) != 0 || len(problems) != 1 || problems[0].Error() != "plugin path "+file+": not a directory" {
		t.Errorf("loaded %v, problems %v", loaded, problems)
	}
}

func TestPluginPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct {
		env  string
		set  bool
		want []string
	}{
		{"/a:/b::/c", true, []string{"/a", "/b", "/c"}},
		{"", true, nil},
		{"", false, []string{filepath.Join(home, ".config", "nsh", "plugins")}},
	}
	for _, tt := range tests {
		t.Setenv("NSH_PLUGIN_PATH", tt.env)
		if !tt.set {
			os.Unsetenv("NSH_PLUGIN_PATH")
		}
		if got := plugins.PluginPath(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NSH_PLUGIN_PATH=%q (set %v): %v, want %v", tt.env, tt.set, got, tt.want)
		}
	}
}
