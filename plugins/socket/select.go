package socket

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// setSize is socket._SETSIZE: the most entries socket.select takes in one
// table; more raise, as LuaSocket's select does past FD_SETSIZE (1024).
// nsh waits with poll(2), which has no such limit; the bound keeps
// LuaSocket's contract (its test suite checks it) at a size no select loop
// of a script reaches.
const setSize = 16384

// collect reads the array part of a LuaSocket select table into socks and
// vals (the Lua values, to hand back). Entries may be nsh sockets or, as
// LuaSocket allows, any table with a getfd method (copas and ltn12's
// socket.sink/source wrap sockets so) whose descriptor is one of the
// session's sockets; a wrapper whose dirty() says true is ready at once
// (dirty gets it). Other values, and sockets with no descriptor (getfd -1:
// socket.tcp() not yet bound or connected) are skipped, as LuaSocket skips
// them. A closed socket is kept: netcore.Select reports it ready, so the
// loop's next call on it answers nil, "closed" (another task may close it
// at any moment, before select is called or while it waits).
func (m *module) collect(L *lua.LState, idx, n int, vals map[*netcore.Socket]lua.LValue, dirty *[]lua.LValue) []*netcore.Socket {
	var socks []*netcore.Socket
	switch t := L.Get(idx).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		for i := 1; ; i++ {
			v := t.RawGetInt(i)
			if v == lua.LNil {
				break
			}
			if i > setSize {
				L.RaiseError("socket.select: too many sockets in argument #%d (more than socket._SETSIZE, %d)", n, setSize)
			}
			if s := sockOf(v); s != nil {
				if s.ns != nil {
					socks = append(socks, s.ns)
					vals[s.ns] = v
				}
				continue
			}
			if ns := m.wrapped(L, v, dirty); ns != nil {
				socks = append(socks, ns)
				vals[ns] = v
			}
		}
	default:
		argError(L, "socket.select", n, "table or nil", idx)
	}
	return socks
}

// wrapped resolves a LuaSocket-style wrapper (a table with getfd) to the
// session socket behind it; when dirty is non-nil and v:dirty() is true, v
// goes to *dirty.
func (m *module) wrapped(L *lua.LState, v lua.LValue, dirty *[]lua.LValue) *netcore.Socket {
	if _, isTable := v.(*lua.LTable); !isTable {
		if _, isUD := v.(*lua.LUserData); !isUD {
			return nil
		}
	}
	getfd := L.GetField(v, "getfd")
	if getfd.Type() != lua.LTFunction {
		return nil
	}
	L.Push(getfd)
	L.Push(v)
	L.Call(1, 1)
	fd, isNum := L.Get(-1).(lua.LNumber)
	L.Pop(1)
	if !isNum || fd < 0 {
		return nil
	}
	ns := m.h.Sockets().ByFd(int(fd))
	if ns == nil {
		return nil
	}
	if dirty != nil {
		if d := L.GetField(v, "dirty"); d.Type() == lua.LTFunction {
			L.Push(d)
			L.Push(v)
			L.Call(1, 1)
			if lua.LVAsBool(L.Get(-1)) {
				*dirty = append(*dirty, v)
			}
			L.Pop(1)
		}
	}
	return ns
}

// socket.select(recvt, sendt[, timeout]) -> readable, writable[, err].
// Both result tables list the ready sockets as array entries and as keys
// (set[s] = true). err is "timeout" when nothing became ready in time. A
// socket with data already in its read buffer is readable at once. The wait
// is netcore.Select (poll(2) and the runtime poller) inside Block. Queues
// (any plugins.Waitable) may stand beside the sockets: see selectWaitables.
func (m *module) selectFn(L *lua.LState) int {
	maxArgs(L, "socket.select", 3)
	vals := map[*netcore.Socket]lua.LValue{}
	var dirty []lua.LValue
	reads := m.collect(L, 1, 1, vals, &dirty)
	writes := m.collect(L, 2, 2, vals, nil)
	wait := time.Duration(-1)
	if sec, limited := checkSeconds(L, "socket.select", 3, 3); limited {
		wait = time.Duration(sec * float64(time.Second))
	}
	if len(dirty) > 0 {
		wait = 0 // a wrapper with buffered data is readable now
	}
	if rq, wq := waitables(L, 1), waitables(L, 2); len(rq)+len(wq) > 0 {
		return m.selectWaitables(L, reads, writes, rq, wq, wait, vals)
	}
	var r, w []*netcore.Socket
	var err error
	if wait == 0 {
		r, w, err = netcore.Select(m.h.Context(L), reads, writes, 0)
	} else {
		err = m.h.Block(L, func(ctx context.Context) error {
			var err error
			r, w, err = netcore.Select(ctx, reads, writes, wait)
			return err
		})
	}
	rt := readySet(L, r, vals)
	for _, v := range dirty {
		if rt.RawGet(v) == lua.LNil {
			rt.Append(v)
			rt.RawSet(v, lua.LTrue)
		}
	}
	L.Push(rt)
	L.Push(readySet(L, w, vals))
	if len(dirty) > 0 {
		return 2
	}
	if err != nil {
		L.Push(lua.LString(netcore.Short(err)))
		return 3
	}
	return 2
}

func readySet(L *lua.LState, ready []*netcore.Socket, vals map[*netcore.Socket]lua.LValue) *lua.LTable {
	t := L.CreateTable(len(ready), len(ready))
	for _, s := range ready {
		v := vals[s]
		t.Append(v)
		t.RawSet(v, lua.LTrue)
	}
	return t
}
