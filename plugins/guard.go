package plugins

import (
	lua "github.com/yuin/gopher-lua"
)

// OpenModule opens p's module in L as a session does (p.Open), then guards
// every Go function the plugin made — in the module table and its
// sub-tables, in the type metatables it registered, and in the globals its
// Globals installed — so that a Go panic inside one (a bug) becomes the Lua
// error "<name>: internal error ..." naming the function, instead of Go's
// panic text ("runtime error: index out of range [3] with length 3")
// reaching the user. Lua errors raised on purpose pass through untouched.
func OpenModule(p *Plugin, L *lua.LState, h Host) *lua.LTable {
	reg, _ := L.Get(lua.RegistryIndex).(*lua.LTable)
	before := tableKeys(reg)
	mod := p.Open(L, h)
	seen := &guardSeen{tables: map[*lua.LTable]bool{}, fns: map[*lua.LFunction]bool{}}
	guardTable(mod, p.Name+".", seen, 0)
	if reg != nil {
		reg.ForEach(func(k, v lua.LValue) {
			name, isStr := k.(lua.LString)
			mt, isTable := v.(*lua.LTable)
			if isStr && isTable && !before[k] {
				guardTable(mt, string(name)+":", seen, 0)
			}
		})
	}
	return mod
}

// OpenGlobals runs p.Globals, then guards the Go functions among the
// globals it added (see OpenModule).
func OpenGlobals(p *Plugin, L *lua.LState, h Host) {
	before := tableKeys(L.G.Global)
	p.Globals(L, h)
	seen := &guardSeen{tables: map[*lua.LTable]bool{}, fns: map[*lua.LFunction]bool{}}
	L.G.Global.ForEach(func(k, v lua.LValue) {
		if before[k] {
			return
		}
		name := lua.LVAsString(k)
		switch x := v.(type) {
		case *lua.LFunction:
			guardFunction(x, name, seen)
		case *lua.LTable:
			guardTable(x, name+".", seen, 0)
		}
	})
}

func tableKeys(t *lua.LTable) map[lua.LValue]bool {
	keys := map[lua.LValue]bool{}
	if t != nil {
		t.ForEach(func(k, _ lua.LValue) { keys[k] = true })
	}
	return keys
}

// guardTable guards the Go functions of t, named prefix+key, and those of
// its sub-tables (an __index table of methods, socket.dns) a few levels down.
func guardTable(t *lua.LTable, prefix string, seen *guardSeen, depth int) {
	if t == nil || seen.tables[t] || depth > 3 {
		return
	}
	seen.tables[t] = true
	t.ForEach(func(k, v lua.LValue) {
		key, isStr := k.(lua.LString)
		if !isStr {
			return
		}
		switch x := v.(type) {
		case *lua.LFunction:
			guardFunction(x, prefix+string(key), seen)
		case *lua.LTable:
			if string(key) == "__index" {
				guardTable(x, prefix, seen, depth+1) // methods: "fs.atomic:write"
			} else {
				guardTable(x, prefix+string(key)+".", seen, depth+1)
			}
		}
	})
}

// guardSeen are the tables walked and the functions wrapped by one open:
// a function reachable twice is wrapped once.
type guardSeen struct {
	tables map[*lua.LTable]bool
	fns    map[*lua.LFunction]bool
}

// guardFunction wraps a Go function so a Go panic in it raises a Lua error
// naming it. The function keeps its identity (help looks functions up by
// value), only its body changes.
func guardFunction(f *lua.LFunction, name string, seen *guardSeen) {
	if !f.IsG || f.GFunction == nil || seen.fns[f] {
		return
	}
	seen.fns[f] = true
	inner := f.GFunction
	f.GFunction = func(L *lua.LState) int {
		defer func() {
			if r := recover(); r != nil {
				if _, isLuaError := r.(*lua.ApiError); isLuaError {
					panic(r) // a Lua error raised on purpose
				}
				L.RaiseError("%s: internal error (a bug in nsh: a Go panic; please report the call that caused it)", name)
			}
		}()
		return inner(L)
	}
}
