package shell

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// reachWalk finds which of a set of sockets the Lua values from some roots
// reach, following tables (keys, values, metatables), functions (upvalues,
// environments), userdata (metatables, environments; a plugins.SocketHolder
// reports its sockets, a plugins.ValueHolder the values it keeps) and
// threads (their stacks). It stops as soon as every
// socket is found. It is the "does anything alive still refer to it" test of
// lifetime.go, run under the session lock; it sees what Lua sees, not Lua
// values a plugin keeps only in Go.
type reachWalk struct {
	want   map[*netcore.Socket]bool // not found yet
	found  map[*netcore.Socket]bool
	seen   map[lua.LValue]struct{}
	todo   []lua.LValue
	pushKV func(k, v lua.LValue) // bound once: LTable.ForEach's callback
	// globals is the global table: a Go function whose environment it is
	// and which has no upvalues holds nothing else, so it is not visited
	// (most of a session's values are the modules' Go functions)
	globals *lua.LTable
}

// walkSizeHint sizes the seen set: a bare session has about 400 values.
const walkSizeHint = 512

func newReachWalk(socks []*netcore.Socket) *reachWalk {
	w := &reachWalk{want: make(map[*netcore.Socket]bool, len(socks)), found: map[*netcore.Socket]bool{},
		seen: make(map[lua.LValue]struct{}, walkSizeHint), todo: make([]lua.LValue, 0, 64)}
	w.pushKV = func(k, v lua.LValue) {
		w.push(k)
		w.push(v)
	}
	for _, ns := range socks {
		w.want[ns] = true
	}
	return w
}

// fromSession walks everything alive but the ending task t: the globals,
// the registry (loaded modules, metatables) and every other live task's
// stack (with the function and arguments of one not started yet).
func (w *reachWalk) fromSession(s *Session, t *Task) {
	w.globals = s.L.G.Global
	w.walk(s.L.G.Global)
	w.walk(s.L.G.Registry)
	w.walk(s.L)
	for _, other := range s.tasks.List() {
		if other != t && len(w.want) > 0 {
			w.walk(other.L)
		}
	}
}

// walk visits v and everything it reaches.
func (w *reachWalk) walk(v lua.LValue) {
	w.push(v)
	for len(w.todo) > 0 && len(w.want) > 0 {
		v := w.todo[len(w.todo)-1]
		w.todo = w.todo[:len(w.todo)-1]
		switch x := v.(type) {
		case *lua.LTable:
			x.ForEach(w.pushKV)
			w.push(x.Metatable)
		case *lua.LFunction:
			for _, uv := range x.Upvalues {
				if uv != nil {
					w.push(uv.Value())
				}
			}
			if x.Env != nil {
				w.push(x.Env)
			}
		case *lua.LUserData:
			if h, ok := x.Value.(plugins.SocketHolder); ok {
				for _, ns := range h.HeldSockets() {
					if w.want[ns] {
						delete(w.want, ns)
						w.found[ns] = true
					}
				}
			}
			if h, ok := x.Value.(plugins.ValueHolder); ok {
				h.HeldValues(w.push)
			}
			w.push(x.Metatable)
			if x.Env != nil {
				w.push(x.Env)
			}
		case *lua.LState:
			x.ForEachStackValue(w.push)
		}
	}
}

// push queues a value that can hold others, once.
func (w *reachWalk) push(v lua.LValue) {
	switch x := v.(type) {
	case *lua.LFunction:
		if x.IsG && len(x.Upvalues) == 0 && (x.Env == nil || x.Env == w.globals) {
			return
		}
	case *lua.LTable, *lua.LUserData, *lua.LState:
	default:
		return
	}
	if _, ok := w.seen[v]; ok {
		return
	}
	w.seen[v] = struct{}{}
	w.todo = append(w.todo, v)
}
