package packet

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "packet"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/packet_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

// TestHelpCoversModule checks that every field of the module has a help
// entry and every help entry names a field.
func TestHelpCoversModule(t *testing.T) {
	L, _ := newState(t)
	p, _ := plugins.Get("packet")
	mod := L.GetGlobal("packet").(*lua.LTable)
	documented := map[string]bool{}
	for _, e := range p.Help {
		documented[e.Name] = true
		if mod.RawGetString(strings.TrimPrefix(e.Name, "packet.")) == lua.LNil {
			t.Errorf("help entry %s names no field of the module", e.Name)
		}
	}
	mod.ForEach(func(k, _ lua.LValue) {
		if !documented["packet."+k.String()] {
			t.Errorf("packet.%s has no help entry", k)
		}
	})
}
