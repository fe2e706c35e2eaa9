package progress

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

const barType = "progress.bar"

// clock and isTerminal are replaced by tests.
var (
	clock      = time.Now
	isTerminal = func(f *os.File) bool { return isatty.IsTerminal(f.Fd()) }
)

// Open builds the progress module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	mt := L.NewTypeMetatable(barType)
	L.SetField(mt, "__index", L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"add":  add,
		"set":  set,
		"done": done,
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		b := checkBar(L, "tostring")
		L.Push(lua.LString(fmt.Sprintf("progress bar %q at %s", b.label, Bytes(b.Count()))))
		return 1
	}))
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"new": func(L *lua.LState) int { return newBar(L, h) },
	})
}

// newBar is progress.new(total | nil, label[, {out="stderr"|"stdout"}]) -> bar.
func newBar(L *lua.LState, h plugins.Host) int {
	total := int64(-1)
	switch v := L.Get(1).(type) {
	case *lua.LNilType:
	case lua.LNumber:
		if v < 0 || math.IsNaN(float64(v)) || float64(v) > 1<<62 {
			L.RaiseError("progress.new: argument #1 (total) must be a byte count >= 0 or nil, got %v", v)
		}
		total = int64(v)
	default:
		L.RaiseError("progress.new: argument #1 (total) must be a number or nil, got %s", v.Type())
	}
	label := ""
	switch v := L.Get(2).(type) {
	case *lua.LNilType:
	case lua.LString:
		label = string(v)
	default:
		L.RaiseError("progress.new: argument #2 (label) must be a string, got %s", v.Type())
	}
	out, file := h.Stderr(), os.Stderr
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		switch o := v.RawGetString("out"); o {
		case lua.LNil, lua.LString("stderr"):
		case lua.LString("stdout"):
			out, file = h.Stdout(), os.Stdout
		default:
			L.RaiseError("progress.new: option out must be \"stderr\" or \"stdout\", got %s", L.ToStringMeta(o))
		}
	default:
		L.RaiseError("progress.new: argument #3 (opts) must be a table, got %s", v.Type())
	}
	tty := h.Interactive() && isTerminal(file)
	ud := L.NewUserData()
	ud.Value = New(total, label, out, tty, clock)
	L.SetMetatable(ud, L.GetTypeMetatable(barType))
	L.Push(ud)
	return 1
}

func checkBar(L *lua.LState, op string) *Bar {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if b, ok := ud.Value.(*Bar); ok {
			return b
		}
	}
	L.RaiseError("%s: method called without a progress bar (use bar:method(), not bar.method())", op)
	return nil
}

func checkCount(L *lua.LState, op string) int64 {
	v, ok := L.Get(2).(lua.LNumber)
	if !ok || v < 0 || math.IsNaN(float64(v)) || float64(v) > 1<<62 {
		L.RaiseError("%s: argument #1 (n) must be a byte count >= 0, got %s", op, L.ToStringMeta(L.Get(2)))
	}
	return int64(v)
}

// add is bar:add(n) -> bar.
func add(L *lua.LState) int {
	b := checkBar(L, "bar:add")
	b.Add(checkCount(L, "bar:add"))
	L.Push(L.Get(1))
	return 1
}

// set is bar:set(n) -> bar.
func set(L *lua.LState) int {
	b := checkBar(L, "bar:set")
	b.Set(checkCount(L, "bar:set"))
	L.Push(L.Get(1))
	return 1
}

// done is bar:done() -> count.
func done(L *lua.LState) int {
	b := checkBar(L, "bar:done")
	b.Done()
	L.Push(lua.LNumber(b.Count()))
	return 1
}
