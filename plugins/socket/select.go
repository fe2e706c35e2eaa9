package socket

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// collect reads the array part of a LuaSocket select table into socks and
// vals (the Lua values, to hand back). Values that are not sockets are
// skipped, as LuaSocket skips objects without a descriptor. A closed socket
// is kept: netcore.Select reports it ready, so the loop's next call on it
// answers nil, "closed" (another task may close it at any moment, before
// select is called or while it waits).
func collect(L *lua.LState, idx, n int, vals map[*netcore.Socket]lua.LValue) []*netcore.Socket {
	var socks []*netcore.Socket
	switch t := L.Get(idx).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		for i := 1; ; i++ {
			v := t.RawGetInt(i)
			if v == lua.LNil {
				break
			}
			if s := sockOf(v); s != nil {
				socks = append(socks, s.ns)
				vals[s.ns] = v
			}
		}
	default:
		argError(L, "socket.select", n, "table or nil", idx)
	}
	return socks
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
	reads := collect(L, 1, 1, vals)
	writes := collect(L, 2, 2, vals)
	wait := time.Duration(-1)
	if sec, limited := checkSeconds(L, "socket.select", 3, 3); limited {
		wait = time.Duration(sec * float64(time.Second))
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
	L.Push(readySet(L, r, vals))
	L.Push(readySet(L, w, vals))
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
