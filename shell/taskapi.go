package shell

import (
	"context"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

const taskTypeName = "nsh.task"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "tasks",
		Version: "1.0.0",
		Summary: "concurrent tasks: spawn, join, cancel, tasks, sleep (built into the shell)",
		Globals: func(L *lua.LState, h plugins.Host) {
			if s, ok := h.(*Session); ok {
				s.installTaskAPI()
			}
		},
		Help: taskHelp,
	})
}

var taskHelp = []plugins.Help{
	{Name: "spawn", Signature: "spawn(fn, ...) -> task", Summary: "run fn(...) as a background task; blocking calls in it let other tasks run; the sockets you own that you pass to it (as arguments or as its function's upvalues) become its own, and close when it ends",
		Example: "local t = spawn(function(a, b) sleep(0.1) return a + b end, 1, 2)\nprint(t:join()) --> true 3"},
	{Name: "task:join", Signature: "task:join([timeout]) -> true, results... | false, err | nil, \"timeout\"", Summary: "wait for a task to end and get what it returned (like pcall); sockets it returned become the joiner's",
		Example: "local ok, v = spawn(function() return 42 end):join(1)"},
	{Name: "task:cancel", Signature: "task:cancel()", Summary: "interrupt a task: its blocking call returns nil, \"interrupted\" and it ends",
		Example: "local t = spawn(function() sleep(60) end)\nt:cancel()"},
	{Name: "task:close", Signature: "task:close() -> n", Summary: "close every socket the task owns now (its calls on them return nil, \"closed\"); the task goes on",
		Example: "local t = spawn(function() local c = socket.bind(\"127.0.0.1\", 0); c:accept() end)\nsleep(0.1); print(t:close()) --> 1"},
	{Name: "task:adopt", Signature: "task:adopt(sock, ...) -> task", Summary: "make the task the owner of the sockets: they close when it ends, unless handed on",
		Example: "local conn = srv:accept()\nspawn(function() sleep(60) end):adopt(conn)"},
	{Name: "task.id", Signature: "task.id, task.name, task.state", Summary: "a task's number, name and state (running, waiting, done, failed, cancelled)",
		Example: "print(spawn(function() end).id)"},
	{Name: "tasks", Signature: "tasks() -> {task...}", Summary: "the live tasks of the session, by id",
		Example: "for _, t in ipairs(tasks()) do print(t.id, t.state) end"},
	{Name: "sleep", Signature: "sleep(seconds) -> true | nil, \"interrupted\"", Summary: "pause this task; other tasks run meanwhile",
		Example: "sleep(0.5)"},
	{Name: "input", Signature: "input([prompt]) -> line | nil", Summary: "read one line of standard input without its newline; nil at end of input",
		Example: "local line = input(\">>>>:\")"},
	{Name: "os.exit", Signature: "os.exit([code])", Summary: "end the running script (all its tasks) with an exit code; in the REPL the shell stays",
		Example: "os.exit(0)"},
}

// installTaskAPI sets the task globals: spawn, tasks, sleep.
func (s *Session) installTaskAPI() {
	L := s.L
	mt := L.NewTypeMetatable(taskTypeName)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"join":   s.luaJoin,
		"cancel": s.luaCancel,
		"close":  s.luaTaskClose,
		"adopt":  s.luaAdopt,
	})
	L.SetField(mt, "__index", L.NewFunction(func(L *lua.LState) int {
		t := checkTask(L, 1, "__index")
		key, _ := L.Get(2).(lua.LString) // t[1] is nil, not an error
		switch key {
		case "id":
			L.Push(lua.LNumber(t.ID))
		case "name":
			L.Push(lua.LString(t.Name))
		case "state":
			L.Push(lua.LString(t.State()))
		default:
			L.Push(methods.RawGet(L.Get(2)))
		}
		return 1
	}))
	L.SetField(mt, "__tostring", L.NewFunction(func(L *lua.LState) int {
		t := checkTask(L, 1, "__tostring")
		L.Push(lua.LString("<task " + itoa(t.ID) + " " + t.Name + " " + t.State() + ">"))
		return 1
	}))
	L.SetGlobal("spawn", L.NewFunction(s.luaSpawn))
	L.SetGlobal("tasks", L.NewFunction(func(L *lua.LState) int {
		tb := L.NewTable()
		for _, t := range s.tasks.List() {
			if t.foreground {
				continue // the line typed at the REPL
			}
			tb.Append(s.pushTask(t))
		}
		L.Push(tb)
		return 1
	}))
	L.SetGlobal("sleep", L.NewFunction(s.luaSleep))
}

func (s *Session) pushTask(t *Task) *lua.LUserData {
	ud := s.L.NewUserData()
	ud.Value = t
	ud.Metatable = s.L.GetTypeMetatable(taskTypeName)
	return ud
}

// checkTask returns the task at n, raising "fn: bad self (task expected,
// got ...)" otherwise: gopher-lua's own ArgError cannot name a method and
// says "(anonymous)".
func checkTask(L *lua.LState, n int, fn string) *Task {
	if ud, ok := L.Get(n).(*lua.LUserData); ok {
		if t, ok := ud.Value.(*Task); ok {
			return t
		}
	}
	L.RaiseError("%s: bad self (task expected, got %s; call it as task:%s(...))", fn, L.Get(n).Type().String(), fn)
	return nil
}

// luaSpawn: spawn(fn, ...) -> task. The new task joins the caller's group,
// so a script waits for the tasks it started and os.exit ends them all.
func (s *Session) luaSpawn(L *lua.LState) int {
	fn, isFn := L.Get(1).(*lua.LFunction)
	if !isFn {
		L.RaiseError("spawn: bad argument #1 (function expected, got %s)", L.Get(1).Type().String())
	}
	args := make([]lua.LValue, 0, L.GetTop()-1)
	for i := 2; i <= L.GetTop(); i++ {
		args = append(args, L.Get(i))
	}
	g := s.GroupOf(L)
	name := "task"
	if fn.Proto != nil {
		name = fn.Proto.SourceName + ":" + itoa(fn.Proto.LineDefined)
	}
	nt := s.Spawn(g, name, fn, args)
	s.handOnToSpawn(s.Owner(L), nt, fn, args)
	L.Push(s.pushTask(nt))
	return 1
}

// GroupOf returns the group of the task running on L, or the session's
// interactive group when L is not a task.
func (s *Session) GroupOf(L *lua.LState) *Group {
	if t := TaskOf(s.Context(L)); t != nil {
		return t.group
	}
	return s.InteractiveGroup()
}

func (s *Session) luaJoin(L *lua.LState) int {
	t := checkTask(L, 1, "join")
	timeout := time.Duration(-1)
	if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
		timeout = secondsArg(L, 2, "join")
	}
	if self := TaskOf(s.Context(L)); self == t {
		L.RaiseError("join: a task cannot join itself")
	}
	err := s.Block(L, func(ctx context.Context) error {
		var timer <-chan time.Time
		if timeout >= 0 {
			tm := time.NewTimer(timeout)
			defer tm.Stop()
			timer = tm.C
		}
		select {
		case <-t.done:
			return nil
		case <-timer:
			return errTimeout
		case <-ctx.Done():
			return ErrInterrupted
		}
	})
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString(err.Error()))
		return 2
	}
	if t.err != nil {
		t.caught()
		L.Push(lua.LFalse)
		if t.cancelled.Load() || t.group.exited.Load() {
			L.Push(lua.LString("interrupted"))
		} else {
			L.Push(t.err.Object)
		}
		return 2
	}
	s.handOnResults(L, t)
	L.Push(lua.LTrue)
	for _, v := range t.results {
		L.Push(v)
	}
	return 1 + len(t.results)
}

// luaTaskClose: task:close() -> n closes every socket the task owns now
// (its blocked calls on them return nil, "closed"); the task goes on.
func (s *Session) luaTaskClose(L *lua.LState) int {
	t := checkTask(L, 1, "close")
	L.Push(lua.LNumber(s.sockets.CloseOwned(t.owner)))
	return 1
}

// luaAdopt: task:adopt(sock, ...) -> task makes the task the owner of the
// sockets: they close when it ends (lifetime.go).
func (s *Session) luaAdopt(L *lua.LState) int {
	t := checkTask(L, 1, "adopt")
	for i := 2; i <= L.GetTop(); i++ {
		socks := plugins.SocketsOf(L.Get(i))
		if socks == nil {
			L.RaiseError("adopt: bad argument #%d (socket expected, got %s)", i-1, L.Get(i).Type().String())
		}
		for _, ns := range socks {
			ns.SetOwner(t.owner)
		}
	}
	L.Push(L.Get(1))
	return 1
}

func (s *Session) luaCancel(L *lua.LState) int {
	checkTask(L, 1, "cancel").Cancel()
	return 0
}

// luaSleep: sleep(seconds) -> true | nil, "interrupted".
func (s *Session) luaSleep(L *lua.LState) int {
	d := secondsArg(L, 1, "sleep")
	err := s.Block(L, func(ctx context.Context) error { return sleepCtx(ctx, d) })
	if err != nil {
		L.Push(lua.LNil)
		L.Push(lua.LString("interrupted"))
		return 2
	}
	L.Push(lua.LTrue)
	return 1
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ErrInterrupted
	}
}

type timeoutError struct{}

func (timeoutError) Error() string { return "timeout" }

var errTimeout error = timeoutError{}

// secondsArg reads a non-negative number of seconds at n.
func secondsArg(L *lua.LState, n int, fname string) time.Duration {
	v, ok := L.Get(n).(lua.LNumber)
	if !ok {
		L.RaiseError("%s: bad argument #%d (number of seconds expected, got %s)", fname, n, L.Get(n).Type().String())
	}
	if v < 0 || v != v {
		L.RaiseError("%s: bad argument #%d (seconds must be >= 0, got %v)", fname, n, v)
	}
	if v > 1e9 {
		v = 1e9
	}
	return time.Duration(float64(v) * float64(time.Second))
}
