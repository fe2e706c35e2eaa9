// Package queue is the nsh plugin for a task-safe FIFO queue: tasks push
// and pop Lua values, a full or empty queue blocks only the task that waits
// (the session lock is released meanwhile, so the other tasks run), a wait
// ends with Ctrl-C, task:cancel or a timeout, and socket.select can wait on
// a queue beside sockets. It replaces gopher-lua's channel library, whose
// blocking calls hold the session lock and so deadlock every task.
package queue

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "queue",
		Version: "1.0.0",
		Summary: "task-safe FIFO queues: push/pop between tasks, blocking with timeout, Ctrl-C and select",
		Open:    Open,
		Global:  true,
		Globals: func(L *lua.LState, _ plugins.Host) {
			// gopher-lua's channel library blocks holding the session lock:
			// one task waiting on it stops every task. queue replaces it.
			L.SetGlobal("channel", lua.LNil)
			if loaded, ok := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok {
				loaded.RawSetString("channel", lua.LNil)
			}
		},
		Help: help,
	})
}

var help = []plugins.Help{
	{Name: "queue.new", Signature: "queue.new([cap]) -> queue",
		Summary: "a FIFO queue shared by tasks, holding at most cap values (no limit without cap)",
		Example: "local q = queue.new(100)\nspawn(function() for i = 1, 3 do q:push(i) end q:close() end)\nwhile true do local v = q:pop() if not v then break end print(v) end"},
	{Name: "queue:push", Signature: "q:push(value[, timeout]) -> true | nil, \"timeout\"|\"closed\"|\"interrupted\"",
		Summary: "append value (not nil); on a full queue wait (other tasks run) up to timeout seconds",
		Example: "local ok, err = q:push({id = 1}, 0.5)"},
	{Name: "queue:pop", Signature: "q:pop([timeout]) -> value | nil, \"timeout\"|\"closed\"|\"interrupted\"",
		Summary: "take the oldest value; on an empty queue wait up to timeout seconds; a closed queue drains, then says \"closed\"",
		Example: "local v, err = q:pop(1)\nif not v then print(\"no value:\", err) end"},
	{Name: "queue:close", Signature: "q:close()",
		Summary: "end the queue: pushes fail with \"closed\", pops get what is left then \"closed\"; every waiting task wakes",
		Example: "q:close()"},
	{Name: "queue:len", Signature: "#q, q:len() -> n; q.cap, q.closed",
		Summary: "how many values wait in the queue; its capacity (nil: no limit) and whether it is closed",
		Example: "print(#q, q.cap, q.closed)"},
	{Name: "queue.select", Signature: "socket.select({q, sock, ...}, {q2, ...}[, timeout])",
		Summary: "socket.select waits on queues beside sockets: a queue is readable when pop would not block, writable when push would not",
		Example: "local r = socket.select({q, srv}, nil, 1)\nif r[q] then print(q:pop()) end"},
}

// Open builds the queue module table.
func Open(L *lua.LState, h plugins.Host) *lua.LTable {
	a := &api{h: h}
	a.installType(L)
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{"new": a.new})
}
