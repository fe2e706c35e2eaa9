package codec

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
	L := plugintest.NewState(t, h, "codec")
	p, _ := plugins.Get("codec")
	mod, ok := L.GetGlobal("codec").(*lua.LTable)
	if !ok {
		t.Fatal("global codec is not a table")
	}
	documented := map[string]bool{}
	for _, e := range p.Help {
		documented[e.Name] = true
		if mod.RawGetString(e.Name[len("codec."):]) == lua.LNil {
			t.Errorf("help entry %s names no field of the module", e.Name)
		}
	}
	mod.ForEach(func(k, _ lua.LValue) {
		if !documented["codec."+k.String()] {
			t.Errorf("codec.%s has no help entry", k)
		}
	})
}
