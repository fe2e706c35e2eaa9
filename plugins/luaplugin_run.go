package plugins

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"
)

// stateTable returns the table under key in L's registry, making it.
func stateTable(L *lua.LState, key string) *lua.LTable {
	reg := L.G.Registry
	if t, ok := reg.RawGetString(key).(*lua.LTable); ok {
		return t
	}
	t := L.NewTable()
	reg.RawSetString(key, t)
	return t
}

// install records spec in L, preloads the module for require and sets the
// global when the plugin asks for one (opening the module now, in a
// protected call).
func install(L *lua.LState, name string, spec *lua.LTable) error {
	stateTable(L, specsKey).RawSetString(name, spec)
	stateTable(L, modulesKey).RawSetString(name, lua.LNil)
	if spec.RawGetString("module") == lua.LNil {
		return nil
	}
	open := openLuaModule(name)
	L.PreloadModule(name, func(L *lua.LState) int {
		L.Push(open(L, nil))
		return 1
	})
	if spec.RawGetString("global") != lua.LTrue {
		return nil
	}
	top := L.GetTop()
	defer L.SetTop(top)
	err := L.CallByParam(lua.P{Fn: L.NewFunction(func(L *lua.LState) int {
		L.Push(open(L, nil))
		return 1
	}), NRet: 1, Protect: true})
	if err != nil {
		stateTable(L, specsKey).RawSetString(name, lua.LNil)
		if pkg, ok := L.GetGlobal("package").(*lua.LTable); ok {
			if preload, ok := pkg.RawGetString("preload").(*lua.LTable); ok {
				preload.RawSetString(name, lua.LNil)
			}
		}
		return fmt.Errorf("opening the module failed: %s", luaErrorText(err))
	}
	L.SetGlobal(name, L.Get(-1))
	return nil
}

// specOf returns the spec plugin name left in L, raising a Lua error when
// this state never loaded it.
func specOf(L *lua.LState, name string) *lua.LTable {
	spec, ok := stateTable(L, specsKey).RawGetString(name).(*lua.LTable)
	if !ok {
		L.RaiseError("plugin %s is not loaded in this session", name)
	}
	return spec
}

// openLuaModule returns the Open of a Lua plugin: the module table, or what
// the module function returns (called once per state).
func openLuaModule(name string) func(L *lua.LState, h Host) *lua.LTable {
	return func(L *lua.LState, _ Host) *lua.LTable {
		mods := stateTable(L, modulesKey)
		if m, ok := mods.RawGetString(name).(*lua.LTable); ok {
			return m
		}
		var mod *lua.LTable
		switch v := specOf(L, name).RawGetString("module").(type) {
		case *lua.LTable:
			mod = v
		case *lua.LFunction:
			L.Push(v)
			L.Call(0, 1)
			ret := L.Get(-1)
			L.Pop(1)
			t, ok := ret.(*lua.LTable)
			if !ok {
				L.RaiseError("plugin %s: module function returned %s, want a table", name, ret.Type())
			}
			mod = t
		default:
			L.RaiseError("plugin %s has no module", name)
		}
		mods.RawSetString(name, mod)
		return mod
	}
}

// runLuaCommand returns the Run of command i of a Lua plugin: it calls the
// command's run function with the arguments as strings. The caller holds
// the session lock. A raised error, or a `nil, message` return, is the
// command's error.
func runLuaCommand(plugin string, i int) func(L *lua.LState, h Host, args []string) error {
	return func(L *lua.LState, h Host, args []string) (err error) {
		spec, ok := stateTable(L, specsKey).RawGetString(plugin).(*lua.LTable)
		if !ok {
			return fmt.Errorf("plugin %s is not loaded in this session", plugin)
		}
		cmds, _ := spec.RawGetString("commands").(*lua.LTable)
		var ct *lua.LTable
		if cmds != nil {
			ct, _ = cmds.RawGetInt(i).(*lua.LTable)
		}
		var fn *lua.LFunction
		if ct != nil {
			fn, _ = ct.RawGetString("run").(*lua.LFunction)
		}
		if fn == nil {
			return fmt.Errorf("plugin %s: command %d lost its run function", plugin, i)
		}
		name := lua.LVAsString(ct.RawGetString("name"))
		largs := make([]lua.LValue, len(args))
		for k, a := range args {
			largs[k] = lua.LString(a)
		}
		top := L.GetTop()
		defer L.SetTop(top)
		if err := L.CallByParam(lua.P{Fn: fn, NRet: 2, Protect: true}, largs...); err != nil {
			return fmt.Errorf(".%s: %s", name, luaErrorText(err))
		}
		if L.Get(-2) == lua.LNil && L.Get(-1) != lua.LNil {
			return fmt.Errorf(".%s: %s", name, L.ToStringMeta(L.Get(-1)).String())
		}
		return nil
	}
}
