package bit

import (
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// TestHelpCoversModule checks that every field of the module has a help
// entry and every help entry names a field.
func TestHelpCoversModule(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "bit")
	p, _ := plugins.Get("bit")
	mod, ok := L.GetGlobal("bit").(*lua.LTable)
	if !ok {
		t.Fatal("global bit is not a table")
	}
	documented := map[string]bool{}
	for _, e := range p.Help {
		documented[e.Name] = true
		if mod.RawGetString(e.Name[len("bit."):]) == lua.LNil {
			t.Errorf("help entry %s names no field of the module", e.Name)
		}
	}
	mod.ForEach(func(k, _ lua.LValue) {
		if !documented["bit."+k.String()] {
			t.Errorf("bit.%s has no help entry", k)
		}
	})
}
