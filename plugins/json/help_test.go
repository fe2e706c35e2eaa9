package json

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
	L := plugintest.NewState(t, h, "json")
	p, _ := plugins.Get("json")
	mod, ok := L.GetGlobal("json").(*lua.LTable)
	if !ok {
		t.Fatal("global json is not a table")
	}
	documented := map[string]bool{}
	for _, e := range p.Help {
		documented[e.Name] = true
		if mod.RawGetString(e.Name[len("json."):]) == lua.LNil {
			t.Errorf("help entry %s names no field of the module", e.Name)
		}
	}
	mod.ForEach(func(k, _ lua.LValue) {
		if !documented["json."+k.String()] {
			t.Errorf("json.%s has no help entry", k)
		}
	})
}
