package lua

// Yield across pcall (nsh patch, NSH-PATCH.md). Upstream ran pcall and
// xpcall as Go functions calling back into a nested VM loop (PCall), so a
// coroutine.yield inside had Go frames to cross that a yield cannot save.
// Inside a coroutine, where nothing but Lua lies between the coroutine's
// loop and the pcall (nCcalls == 0), the VM now runs the protected function
// as an ordinary frame marked protect; a yield saves it with the rest of
// the Lua stack, and an error (a Lua error or a Go panic) that reaches the
// coroutine's loop unwinds to the innermost marked frame, which returns
// false and the error there, as Lua 5.2+ and LuaJIT do. Everywhere else
// (the main thread, tasks, Lua called from Go) pcall is upstream's.

// protectedCall is what a protected frame must do on error.
type protectedCall struct {
	nret    int        // results pcall's caller wants (MultRet: all)
	errfunc *LFunction // xpcall's handler; nil for pcall
}

const (
	protectPcall  = 1
	protectXpcall = 2
)

// markProtectedCalls marks the base library's pcall and xpcall for the VM.
func markProtectedCalls(global *LTable) {
	if fn, ok := global.RawGetString("pcall").(*LFunction); ok {
		fn.nshProtect = protectPcall
	}
	if fn, ok := global.RawGetString("xpcall").(*LFunction); ok {
		fn.nshProtect = protectXpcall
	}
}

// vmProtectedCall starts pcall(f, ...) or xpcall(f, h), the function pfn
// in register ra, as a protected frame: ra gets true, f's results go from
// ra+1. handled is false when the arguments are bad (pfn then runs as a Go
// function and raises or answers as upstream); stop is true when the loop
// must return (f was a Go function that yielded).
func vmProtectedCall(L *LState, cf *callFrame, ra, nargs, nret int, pfn *LFunction) (handled, stop bool) {
	reg := L.reg
	pc := &protectedCall{nret: nret}
	lv := reg.Get(ra + 1)
	switch pfn.nshProtect {
	case protectPcall:
		if nargs < 1 {
			return false, false
		}
		nargs--
	case protectXpcall:
		h, ok := reg.Get(ra + 2).(*LFunction)
		if _, isfn := lv.(*LFunction); nargs < 2 || !ok || !isfn {
			return false, false
		}
		pc.errfunc = h
		nargs = 0 // Lua 5.1: xpcall(f, h) calls f with no arguments
		reg.SetTop(ra + 2)
	default:
		return false, false
	}
	fn, meta := L.metaCall(lv)
	if fn == nil {
		return false, false // "attempt to call a nil value" as upstream
	}
	fnret := MultRet
	if nret != MultRet {
		fnret = nret - 1
		if fnret < 0 {
			fnret = 0
		}
	}
	reg.Set(ra, LTrue)
	L.pushCallFrame(callFrame{
		Fn:         fn,
		Base:       ra + 1,
		LocalBase:  ra + 2,
		ReturnBase: ra + 1,
		NArgs:      nargs,
		NRet:       fnret,
		Parent:     cf,
		protect:    pc,
	}, lv, meta)
	if fn.IsG {
		return true, callGFunction(L, false)
	}
	return true, false
}

// vmRunCatching runs the coroutine's loop; true when an error was caught
// by a protected frame and the loop goes on from the pcall's caller.
func vmRunCatching(L *LState) (again bool) {
	defer func() {
		if rcv := recover(); rcv != nil {
			if !vmCatch(L, rcv) {
				panic(rcv)
			}
			again = true
		}
	}()
	L.mainLoop(L, nil)
	return false
}

// vmCatch unwinds to the innermost protected frame, if there is one: its
// upvalues closed, its frames dropped, false and the error (xpcall: what
// the handler made of it, called where the error was raised) put where
// pcall's results go.
func vmCatch(L *LState, rcv interface{}) bool {
	idx := -1
	for i := L.stack.Sp() - 1; i > 0; i-- {
		if L.stack.At(i).protect != nil {
			idx = i
			break
		}
	}
	if idx < 0 {
		return false
	}
	var lv LValue
	if e, ok := rcv.(*ApiError); ok {
		lv = e.Object
	} else {
		lv = LString(L.goPanicMessage(rcv))
	}
	frame := L.stack.At(idx)
	pc, ra := frame.protect, frame.ReturnBase-1
	if pc.errfunc != nil {
		L.Push(pc.errfunc)
		L.Push(lv)
		if err := L.PCall(1, 1, nil); err != nil {
			if e, ok := err.(*ApiError); ok {
				lv = e.Object
			} else {
				lv = LString(err.Error())
			}
		} else {
			lv = L.Get(-1)
		}
	}
	L.closeUpvalues(ra + 1)
	L.stack.SetSp(idx)
	L.currentFrame = L.stack.Last()
	n := pc.nret
	if n == MultRet {
		n = 2
	}
	L.reg.SetTop(ra + n)
	if n > 0 {
		L.reg.Set(ra, LFalse)
	}
	if n > 1 {
		L.reg.Set(ra+1, lv)
	}
	return true
}

// resumeValues makes the values a resume passed (from register base) the
// number of results the yield's call wants, nil for the missing ones (nsh
// patch: upstream left the registers beyond them unset).
func (ls *LState) resumeValues(base int) {
	if ls.yieldNRet != MultRet && ls.yieldNRet >= 0 {
		ls.reg.SetTop(base + ls.yieldNRet)
	}
}
