package hex

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
	L := plugintest.NewState(t, h, "hex")
	p, _ := plugins.Get("hex")
	mod, ok := L.GetGlobal("hex").(*lua.LTable)
	if !ok {
		t.Fatal("global hex is not a table")
	}
	documented := map[string]bool{}
	for _, e := range p.Help {
		documented[e.Name] = true
		if mod.RawGetString(e.Name[len("hex."):]) == lua.LNil {
			t.Errorf("help entry %s names no field of the module", e.Name)
		}
	}
	mod.ForEach(func(k, _ lua.LValue) {
		if !documented["hex."+k.String()] {
			t.Errorf("hex.%s has no help entry", k)
		}
	})
}
