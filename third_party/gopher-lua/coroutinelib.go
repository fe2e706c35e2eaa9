package lua

func OpenCoroutine(L *LState) int {
	// TODO: Tie module name to contents of linit.go?
	mod := L.RegisterModule(CoroutineLibName, coFuncs)
	L.Push(mod)
	return 1
}

var coFuncs = map[string]LGFunction{
	"create":  coCreate,
	"yield":   coYield,
	"resume":  coResume,
	"running": coRunning,
	"status":  coStatus,
	"wrap":    coWrap,
}

func coCreate(L *LState) int {
	fn := L.CheckFunction(1)
	if fn.IsG {
		L.ArgError(1, "Lua function expected") // nsh patch: as Lua 5.1
	}
	newthread, _ := L.NewThread()
	base := 0
	newthread.stack.Push(callFrame{
		Fn:         fn,
		Pc:         0,
		Base:       base,
		LocalBase:  base + 1,
		ReturnBase: base,
		NArgs:      0,
		NRet:       MultRet,
		Parent:     nil,
		TailCall:   0,
	})
	L.Push(newthread)
	return 1
}

// coYield suspends the running coroutine. nsh patch: a yield from inside
// a Lua call made by Go (pcall, xpcall, a sort comparator, a gsub
// function, a plugin's callback such as recvfile's step) raises Lua 5.1's
// error, which that pcall catches, so the coroutine goes on, instead of
// returning into the Go code as if the call had finished (upstream: "invalid
// memory address or nil pointer dereference" on the next resume and a
// coroutine "running" for good).
func coYield(L *LState) int {
	if L.Parent == nil {
		L.RaiseError("attempt to yield from outside a coroutine")
	}
	if L.nCcalls > 0 {
		L.RaiseError("attempt to yield across metamethod/C-call boundary")
	}
	return -1
}

func coResume(L *LState) int {
	th := L.CheckThread(1)
	// nsh patch: th's own state, not G.CurrentThread, which every task of
	// the session shares
	if th == L || th.Parent != nil {
		msg := "cannot resume running coroutine"
		if th != L {
			msg = "cannot resume non-suspended coroutine" // it is "normal"
		}
		if th.wrapped {
			L.RaiseError(msg)
			return 0
		}
		L.Push(LFalse)
		L.Push(LString(msg))
		return 2
	}
	if th.Dead {
		msg := "cannot resume dead coroutine"
		if th.wrapped {
			L.RaiseError(msg)
			return 0
		}
		L.Push(LFalse)
		L.Push(LString(msg))
		return 2
	}
	th.Parent = L
	L.G.CurrentThread = th
	if !th.isStarted() {
		cf := th.stack.Last()
		th.currentFrame = cf
		th.SetTop(0)
		nargs := L.GetTop() - 1
		L.XMoveTo(th, nargs)
		cf.NArgs = nargs
		th.initCallFrame(cf)
		th.Panic = panicWithoutTraceback
	} else {
		nargs := L.GetTop() - 1
		base := th.reg.Top()
		L.XMoveTo(th, nargs)
		th.resumeValues(base)
	}
	top := L.GetTop()
	threadRun(th)
	return L.GetTop() - top
}

// coRunning is the running coroutine, nil outside one (Lua 5.1). nsh
// patch: L itself (upstream read G.CurrentThread, shared by every task).
func coRunning(L *LState) int {
	if L.G.MainThread == L || L.Parent == nil {
		L.Push(LNil)
		return 1
	}
	L.Push(L)
	return 1
}

func coStatus(L *LState) int {
	L.Push(LString(L.Status(L.CheckThread(1))))
	return 1
}

func wrapaux(L *LState) int {
	L.Insert(L.ToThread(UpvalueIndex(1)), 1)
	return coResume(L)
}

func coWrap(L *LState) int {
	coCreate(L)
	L.CheckThread(L.GetTop()).wrapped = true
	v := L.Get(L.GetTop())
	L.Pop(1)
	L.Push(L.NewClosure(wrapaux, v))
	return 1
}

//
