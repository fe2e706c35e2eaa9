package plugins_test

import (
	"sort"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	_ "nsh/plugins/all"
)

func open(L *lua.LState, h plugins.Host) *lua.LTable { return L.NewTable() }

func TestAddRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "Fs", "1x", "_x", "a-b", "a b", "a.b", "ünï", "x\n"} {
		if err := plugins.Add(plugins.Plugin{Name: name, Open: open}); err == nil {
			plugins.Remove(name)
			t.Errorf("Add accepted the name %q", name)
		} else if !strings.Contains(err.Error(), "invalid plugin name") {
			t.Errorf("Add(%q): %v", name, err)
		}
	}
}

func TestAddRefusesDuplicatesAndEmptyPlugins(t *testing.T) {
	if err := plugins.Add(plugins.Plugin{Name: "rt_once", Open: open}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plugins.Remove("rt_once") })
	if err := plugins.Add(plugins.Plugin{Name: "rt_once", Open: open}); err == nil || !strings.Contains(err.Error(), `duplicate plugin name "rt_once"`) {
		t.Errorf("second Add: %v", err)
	}
	if err := plugins.Add(plugins.Plugin{Name: "fs", Open: open}); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("Add over the built-in fs: %v", err)
	}
	if err := plugins.Add(plugins.Plugin{Name: "rt_empty"}); err == nil || !strings.Contains(err.Error(), "offers nothing") {
		plugins.Remove("rt_empty")
		t.Errorf("Add of an empty plugin: %v", err)
	}
	p, _ := plugins.Get("rt_once")
	if p.Kind != "built-in" {
		t.Errorf("default kind %q", p.Kind)
	}
}

func TestRegisterPanics(t *testing.T) {
	for _, p := range []plugins.Plugin{{Name: "", Open: open}, {Name: "exec", Open: open}, {Name: "BAD", Open: open}} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					plugins.Remove(p.Name)
					t.Errorf("Register(%q) did not panic", p.Name)
				}
			}()
			plugins.Register(p)
		}()
	}
}

func TestAllIsSortedAndDescribed(t *testing.T) {
	all := plugins.All()
	if !sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Name < all[j].Name }) {
		t.Error("All() is not sorted by name")
	}
	if len(all) < 5 {
		t.Errorf("only %d plugins registered", len(all))
	}
	for _, p := range all {
		if p.Summary == "" || p.Version == "" {
			t.Errorf("plugin %s: summary %q, version %q: both are needed", p.Name, p.Summary, p.Version)
		}
		for _, c := range p.Commands {
			if c.Name == "" || c.Run == nil || c.Summary == "" {
				t.Errorf("plugin %s: command %+v needs a name, a summary and Run", p.Name, c)
			}
		}
	}
}

func noop(*lua.LState, plugins.Host, []string) error { return nil }

// TestCommandClashes: two plugins cannot offer the same dot-command, nor
// one plugin twice, nor a plugin one the shell reserved for itself; which
// command runs would otherwise depend on map order or be shadowed unseen.
func TestCommandClashes(t *testing.T) {
	cmd := func(name string) plugins.Command { return plugins.Command{Name: name, Run: noop} }
	if err := plugins.Add(plugins.Plugin{Name: "rt_cmds", Commands: []plugins.Command{cmd("rt_one")}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plugins.Remove("rt_cmds") })
	if err := plugins.Add(plugins.Plugin{Name: "rt_cmds2", Commands: []plugins.Command{cmd("rt_two"), cmd("rt_one")}}); err == nil || !strings.Contains(err.Error(), "command .rt_one is already offered by plugin rt_cmds") {
		plugins.Remove("rt_cmds2")
		t.Errorf("Add of a clashing command: %v", err)
	}
	if err := plugins.Add(plugins.Plugin{Name: "rt_cmds3", Commands: []plugins.Command{cmd("rt_three"), cmd("rt_three")}}); err == nil || !strings.Contains(err.Error(), `duplicate command name "rt_three"`) {
		plugins.Remove("rt_cmds3")
		t.Errorf("Add of a repeated command: %v", err)
	}
	if err := plugins.ReserveCommand("the shell", "rt_one"); err == nil || !strings.Contains(err.Error(), "already offered by plugin rt_cmds") {
		t.Errorf("reserving a plugin's command: %v", err)
	}
	if err := plugins.ReserveCommand("the shell", "rt_shellcmd"); err != nil {
		t.Fatal(err)
	}
	if err := plugins.ReserveCommand("the shell", "rt_shellcmd"); err != nil {
		t.Errorf("reserving again for the same owner: %v", err)
	}
	if err := plugins.ReserveCommand("someone else", "rt_shellcmd"); err == nil || !strings.Contains(err.Error(), "already reserved by the shell") {
		t.Errorf("reserving for another owner: %v", err)
	}
	if err := plugins.Add(plugins.Plugin{Name: "rt_cmds4", Commands: []plugins.Command{cmd("rt_shellcmd")}}); err == nil || !strings.Contains(err.Error(), "command .rt_shellcmd is one of the shell's own") {
		plugins.Remove("rt_cmds4")
		t.Errorf("Add of a reserved command: %v", err)
	}
}
