package plugins_test

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// TestGoPanicBecomesNamedError opens a plugin whose Go functions panic — a
// module function, a method of its userdata type, a global — and checks
// that each call raises a Lua error naming the function, with no Go panic
// text, while a Lua error raised on purpose passes through unchanged.
func TestGoPanicBecomesNamedError(t *testing.T) {
	p := &plugins.Plugin{
		Name: "panicky",
		Open: func(L *lua.LState, h plugins.Host) *lua.LTable {
			mt := L.NewTypeMetatable("panicky.thing")
			L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
				"poke": func(L *lua.LState) int { var m map[string]int; m["x"] = 1; return 0 },
			}))
			return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
				"index": func(L *lua.LState) int { s := []int{1}; return s[L.GetTop()+5] },
				"raise": func(L *lua.LState) int { L.RaiseError("panicky.raise: on purpose"); return 0 },
				"fine":  func(L *lua.LState) int { L.Push(lua.LNumber(42)); return 1 },
				"thing": func(L *lua.LState) int {
					ud := L.NewUserData()
					L.SetMetatable(ud, L.GetTypeMetatable("panicky.thing"))
					L.Push(ud)
					return 1
				},
			})
		},
		Global: true,
		Globals: func(L *lua.LState, h plugins.Host) {
			L.SetGlobal("panicky_global", L.NewFunction(func(L *lua.LState) int { var p *int; return *p }))
		},
	}
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	plugintest.Load(L, h, p)
	for _, c := range []struct{ code, want string }{
		{`panicky.index()`, "panicky.index: internal error"},
		{`panicky.thing():poke()`, "panicky.thing:poke: internal error"},
		{`panicky_global()`, "panicky_global: internal error"},
		{`panicky.raise()`, "panicky.raise: on purpose"},
	} {
		err := L.DoString(`local ok, err = pcall(function() ` + c.code + ` end); assert(not ok); error(err, 0)`)
		if err == nil {
			t.Fatalf("%s: no error", c.code)
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q, want %q", c.code, msg, c.want)
		}
		for _, goText := range []string{"runtime error", "index out of range", "nil pointer", "assignment to entry in nil map", "goroutine"} {
			if strings.Contains(msg, goText) {
				t.Errorf("%s: Go panic text %q reached the user: %q", c.code, goText, msg)
			}
		}
	}
	if err := L.DoString(`assert(panicky.fine() == 42)`); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkGuardedCall measures what the guard adds to one call of a
// trivial Go function from Lua: compare guarded with plain in the same run.
func BenchmarkGuardedCall(b *testing.B) {
	for _, guard := range []bool{false, true} {
		name := "plain"
		if guard {
			name = "guarded"
		}
		b.Run(name, func(b *testing.B) {
			p := &plugins.Plugin{Name: "bench", Global: true, Open: func(L *lua.LState, h plugins.Host) *lua.LTable {
				return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{"f": func(L *lua.LState) int { return 0 }})
			}}
			h := plugintest.NewHost(b)
			L := plugintest.NewState(b, h)
			if guard {
				plugintest.Load(L, h, p)
			} else {
				L.SetGlobal("bench", p.Open(L, h))
			}
			fn, err := L.LoadString(`local f = bench.f for i = 1, 1000 do f() end`)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				L.Push(fn)
				L.Call(0, 0)
			}
		})
	}
}
