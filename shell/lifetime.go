package shell

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// Socket lifetime. Every socket belongs to whoever made or accepted it: a
// task ("task 3"), the line typed at the prompt ("prompt"), a script's main
// chunk ("script x.lua", which also holds what its tasks leave behind).
//
// When an owner ends — normally, by an error, Ctrl-C, task:cancel(), .kill,
// os.exit — the sockets it still has that nothing alive refers to close at
// once: a handler that returns without conn:close() still sends its FIN, a
// line cancelled by Ctrl-C frees its port. "Alive" is what a running program
// can still reach: the globals, the loaded modules, every other live task
// (its locals and its function's upvalues), the values a task returned. The
// sockets so reached stay open and pass to the owner's script (at the
// prompt: to the session). When a script ends by an error, Ctrl-C or
// os.exit, every socket it still has closes; when it ends normally they pass
// to the session (a script run with .run leaves its globals to the prompt).
//
// Ownership moves: spawn gives the new task the sockets its caller owns that
// it receives as arguments or captures as upvalues (so an accept loop's
// handler owns its connection); task:join gives the joiner what the task
// returned; task:adopt(sock) gives it to a task; sock:detach() to the session.
// A socket the session owns closes by close, .close, task:close() of no one,
// the end of the session, or when the garbage collector finds no value
// refers to it (plugins/socket/collect.go). task:close() and .close task ID
// close every socket a task owns, held or not.

// Owner implements plugins.Host: the owner of the sockets made on L.
func (s *Session) Owner(L *lua.LState) *netcore.Owner {
	if t := TaskOf(s.Context(L)); t != nil {
		return t.owner
	}
	return nil
}

// ownerFor names the owner of t's sockets; t has its id.
func ownerFor(t *Task, g *Group) *netcore.Owner {
	switch {
	case t.foreground:
		return netcore.NewOwner("prompt")
	case t.Name == MainTaskName && g.owner != nil:
		return g.owner // a script's main chunk owns what its tasks hand back
	}
	return netcore.NewOwner("task " + itoa(t.ID))
}

// handOnToSpawn gives the new task nt the sockets its caller owns that it
// receives as arguments or as its function's upvalues. The caller holds the
// lock.
func (s *Session) handOnToSpawn(from *netcore.Owner, nt *Task, fn *lua.LFunction, args []lua.LValue) {
	if from == nil {
		return
	}
	give := func(v lua.LValue) {
		for _, ns := range plugins.SocketsOf(v) {
			if ns.Owner() == from {
				ns.SetOwner(nt.owner)
			}
		}
	}
	for _, a := range args {
		give(a)
	}
	for _, uv := range fn.Upvalues {
		if uv != nil {
			give(uv.Value())
		}
	}
}

// endOwner applies the rule above when t ends; the caller holds the lock.
// A foreground line's sockets that only its results reach stay with the
// line until the REPL has printed them (then closeLine closes them).
func (s *Session) endOwner(t *Task) {
	if s.base.Err() != nil {
		return // the session is closing: Close closes (and counts) every socket
	}
	owned := s.sockets.Owned(t.owner)
	if len(owned) == 0 {
		return
	}
	heir := t.group.owner // a script's main chunk is its own heir, until endGroup
	w := newReachWalk(owned)
	w.fromSession(s, t)
	for _, ns := range owned {
		if w.found[ns] {
			if heir != t.owner {
				ns.SetOwner(heir)
			}
		}
	}
	if len(w.want) == 0 {
		return
	}
	rest := make([]*netcore.Socket, 0, len(w.want))
	for ns := range w.want {
		rest = append(rest, ns)
	}
	r := newReachWalk(rest)
	for _, v := range t.results {
		r.walk(v)
	}
	for _, ns := range rest {
		switch {
		case !r.found[ns]:
			if ns.Close() == nil {
				t.group.closed.Add(1)
			}
		case t.foreground:
			// printed, then closed by closeLine
		default:
			ns.SetOwner(t.group.owner) // task:join hands it to the joiner
		}
	}
}

// CloseLine closes what a prompt line's results alone held, once printed.
func (s *Session) CloseLine(t *Task) { s.sockets.CloseOwned(t.owner) }

// handOnResults gives the joiner the sockets among a joined task's results
// that passed to t's script (or the session) when t ended.
func (s *Session) handOnResults(L *lua.LState, t *Task) {
	to := s.Owner(L)
	for _, v := range t.results {
		for _, ns := range plugins.SocketsOf(v) {
			if ns.Owner() == t.group.owner && to != nil {
				ns.SetOwner(to)
			}
		}
	}
}

// EndGroup ends a script's ownership once all its tasks have ended: after an
// error, Ctrl-C or os.exit its sockets close; after a normal end the ones
// still held pass to the session (a script run with .run leaves its globals
// to the prompt). It returns how many sockets the script's tasks and its
// end closed.
func (s *Session) EndGroup(g *Group, abnormal bool) int {
	if g.owner == nil {
		return 0
	}
	if abnormal {
		g.closed.Add(int32(s.sockets.CloseOwned(g.owner)))
	} else {
		s.sockets.HandOver(g.owner, nil)
	}
	return int(g.closed.Load())
}

// installCollectGarbage makes collectgarbage(["collect"]) also wait, with
// the lock released, until the sockets nothing refers to are closed, so a
// descriptor count taken after it is exact; it returns 0 as Lua 5.1's does.
// Other options go to gopher-lua's function.
func (s *Session) installCollectGarbage() {
	orig, _ := s.L.GetGlobal("collectgarbage").(*lua.LFunction)
	s.L.SetGlobal("collectgarbage", s.L.NewFunction(func(L *lua.LState) int {
		if opt, ok := L.Get(1).(lua.LString); ok && opt != "collect" && orig != nil {
			L.Insert(orig, 1)
			L.Call(L.GetTop()-1, lua.MultRet)
			return L.GetTop()
		}
		s.Block(L, func(context.Context) error {
			netcore.CollectGarbage(time.Second)
			return nil
		})
		L.Push(lua.LNumber(0))
		return 1
	}))
}
