package socket

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// waitEntry is a value socket.select watches that is not a socket: a
// plugins.Waitable (a queue) and the Lua value to hand back.
type waitEntry struct {
	v lua.LValue
	w plugins.Waitable
}

// waitables lists the Waitable userdata in the array part of the select
// table at idx (collect takes the sockets of the same table).
func waitables(L *lua.LState, idx int) []waitEntry {
	t, ok := L.Get(idx).(*lua.LTable)
	if !ok {
		return nil
	}
	var out []waitEntry
	for i := 1; ; i++ {
		v := t.RawGetInt(i)
		if v == lua.LNil {
			return out
		}
		if ud, ok := v.(*lua.LUserData); ok {
			if w, ok := ud.Value.(plugins.Waitable); ok {
				out = append(out, waitEntry{v, w})
			}
		}
	}
}

// readyWaitables returns the entries of list ready now, and the channels
// that signal a change of the others.
func readyWaitables(list []waitEntry, write bool, changed []<-chan struct{}) ([]lua.LValue, []<-chan struct{}) {
	var ready []lua.LValue
	for _, e := range list {
		ok, ch := e.w.Ready(write)
		if ok {
			ready = append(ready, e.v)
		} else {
			changed = append(changed, ch)
		}
	}
	return ready, changed
}

// selectWaitables is socket.select when the tables hold queues beside
// sockets: it waits (inside Block, unless wait is 0) until a socket or a
// queue is ready, the timeout passes or the task is interrupted. A queue
// change cancels the sockets' wait, which is then looked at again.
func (m *module) selectWaitables(L *lua.LState, reads, writes []*netcore.Socket, rq, wq []waitEntry,
	wait time.Duration, vals map[*netcore.Socket]lua.LValue) int {
	var r, w []*netcore.Socket
	var qr, qw []lua.LValue
	var deadline time.Time
	if wait > 0 {
		deadline = time.Now().Add(wait)
	}
	run := func(ctx context.Context) error {
		for {
			var changed []<-chan struct{}
			qr, changed = readyWaitables(rq, false, nil)
			qw, changed = readyWaitables(wq, true, changed)
			if len(qr)+len(qw) > 0 || wait == 0 {
				r, w, _ = netcore.Select(ctx, reads, writes, 0)
				if len(qr)+len(qw)+len(r)+len(w) == 0 {
					return &netcore.OpError{Op: "select", Err: netcore.ErrTimeout}
				}
				return nil
			}
			left := time.Duration(-1)
			if wait > 0 {
				if left = time.Until(deadline); left <= 0 {
					return &netcore.OpError{Op: "select", Err: netcore.ErrTimeout}
				}
			}
			wctx, cancel := context.WithCancel(ctx)
			for _, ch := range changed {
				go func() {
					select {
					case <-ch:
						cancel()
					case <-wctx.Done():
					}
				}()
			}
			var err error
			r, w, err = netcore.Select(wctx, reads, writes, left)
			cancel()
			switch {
			case err == nil:
				qr, _ = readyWaitables(rq, false, nil)
				qw, _ = readyWaitables(wq, true, nil)
				return nil
			case ctx.Err() != nil:
				return &netcore.OpError{Op: "select", Err: netcore.ErrInterrupted}
			case wctx.Err() == nil:
				return err // the sockets' own timeout or failure
			}
			// a queue changed: look again
		}
	}
	var err error
	if wait == 0 {
		err = run(m.h.Context(L))
	} else {
		err = m.h.Block(L, run)
	}
	rt, wt := readySet(L, r, vals), readySet(L, w, vals)
	for _, v := range qr {
		rt.Append(v)
		rt.RawSet(v, lua.LTrue)
	}
	for _, v := range qw {
		wt.Append(v)
		wt.RawSet(v, lua.LTrue)
	}
	L.Push(rt)
	L.Push(wt)
	if err != nil {
		L.Push(lua.LString(netcore.Short(err)))
		return 3
	}
	return 2
}
