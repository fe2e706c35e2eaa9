package queue

import (
	"context"
	"fmt"
	"math"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

const typeName = "nsh.queue"

// maxCap bounds queue.new's capacity: a capacity is a promise about memory
// nobody can keep beyond this.
const maxCap = 1 << 30

type api struct{ h plugins.Host }

var (
	_ plugins.Waitable    = (*Queue)(nil)
	_ plugins.ValueHolder = (*Queue)(nil)
)

func (a *api) installType(L *lua.LState) {
	mt := L.NewTypeMetatable(typeName)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"push":  a.push,
		"pop":   a.pop,
		"close": a.close,
		"len":   a.length,
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		q := check(L, "__index")
		switch key, _ := L.Get(2).(lua.LString); key {
		case "cap":
			if q.Cap() == 0 {
				L.Push(lua.LNil)
			} else {
				L.Push(lua.LNumber(q.Cap()))
			}
		case "closed":
			L.Push(lua.LBool(q.Closed()))
		default:
			L.Push(methods.RawGet(L.Get(2)))
		}
		return 1
	}))
	L.SetField(mt, "__len", L.NewFunction(a.length))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		q := check(L, "__tostring")
		state := "open"
		if q.Closed() {
			state = "closed"
		}
		size := fmt.Sprint(q.Len())
		if q.Cap() > 0 {
			size += fmt.Sprintf("/%d", q.Cap())
		}
		L.Push(lua.LString("<queue " + size + " " + state + ">"))
		return 1
	}))
}

// check returns the queue at 1, raising "queue:fn: bad self" otherwise.
func check(L *lua.LState, fn string) *Queue {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if q, ok := ud.Value.(*Queue); ok {
			return q
		}
	}
	L.RaiseError("queue:%s: bad self (queue expected, got %s; call it as q:%s(...))", fn, L.Get(1).Type().String(), fn)
	return nil
}

// new: queue.new([cap]) -> queue.
func (a *api) new(L *lua.LState) int {
	capacity := 0
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if v != v || v < 1 || v > maxCap || float64(v) != math.Floor(float64(v)) {
			L.RaiseError("queue.new: bad argument #1 (capacity must be a whole number from 1 to %d, got %v)", maxCap, v)
		}
		capacity = int(v)
	default:
		L.RaiseError("queue.new: bad argument #1 (capacity expected, got %s)", v.Type().String())
	}
	ud := L.NewUserData()
	ud.Value = New(capacity)
	ud.Metatable = L.GetTypeMetatable(typeName)
	L.Push(ud)
	return 1
}

// timeoutArg reads the optional timeout at 2 (push: 3): < 0 means none.
func timeoutArg(L *lua.LState, idx int, fn string) time.Duration {
	switch v := L.Get(idx).(type) {
	case *lua.LNilType:
		return -1
	case lua.LNumber:
		if v != v || v < 0 {
			L.RaiseError("queue:%s: bad argument #%d (timeout must be seconds >= 0, got %v)", fn, idx-1, v)
		}
		if v > 1e9 {
			v = 1e9
		}
		return time.Duration(float64(v) * float64(time.Second))
	}
	L.RaiseError("queue:%s: bad argument #%d (timeout in seconds expected, got %s)", fn, idx-1, L.Get(idx).Type().String())
	return 0
}

func fail(L *lua.LState, err error) int {
	L.Push(lua.LNil)
	L.Push(lua.LString(err.Error()))
	return 2
}

// push: q:push(v[, timeout]) -> true | nil, err. The fast path (room in
// the queue) keeps the session lock; a full queue waits inside Block.
func (a *api) push(L *lua.LState) int {
	q := check(L, "push")
	v := L.Get(2)
	if v == lua.LNil {
		L.RaiseError("queue:push: bad argument #1 (a value expected, got nil: pop returns nil for \"timeout\" and \"closed\")")
	}
	timeout := timeoutArg(L, 3, "push")
	ok, err := q.TryPush(v)
	if !ok && err == nil {
		if timeout == 0 {
			err = errTimeout
		} else {
			err = a.h.Block(L, func(ctx context.Context) error { return q.Push(ctx, v, timeout) })
		}
	}
	if err != nil {
		return fail(L, err)
	}
	L.Push(lua.LTrue)
	return 1
}

// pop: q:pop([timeout]) -> value | nil, err.
func (a *api) pop(L *lua.LState) int {
	q := check(L, "pop")
	timeout := timeoutArg(L, 2, "pop")
	v, ok, err := q.TryPop()
	if !ok && err == nil {
		if timeout == 0 {
			err = errTimeout
		} else {
			err = a.h.Block(L, func(ctx context.Context) error {
				var err error
				v, err = q.Pop(ctx, timeout)
				return err
			})
		}
	}
	if err != nil {
		return fail(L, err)
	}
	lv := v.(lua.LValue)
	// a socket handed on through a queue belongs to the task that took it
	// (as task:join's results do), so it closes when that task ends
	for _, ns := range plugins.SocketsOf(lv) {
		if to := a.h.Owner(L); to != nil && ns.Owner() != nil {
			ns.SetOwner(to)
		}
	}
	L.Push(lv)
	return 1
}

func (a *api) close(L *lua.LState) int {
	check(L, "close").Close()
	return 0
}

func (a *api) length(L *lua.LState) int {
	L.Push(lua.LNumber(check(L, "len").Len()))
	return 1
}

// HeldValues makes a queue a plugins.ValueHolder: the session's walk of
// what is alive sees the Lua values waiting in it.
func (q *Queue) HeldValues(fn func(lua.LValue)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, v := range q.items[q.head:] {
		if lv, ok := v.(lua.LValue); ok {
			fn(lv)
		}
	}
}
