package luastd

import (
	"path/filepath"
	"strings"
	"testing"
)

// serveBeside is Lua that, while a busy task runs, serves one client from
// another task and prints what the client got back: the session is not
// frozen by the busy one.
const serveBeside = `
local srv2 = socket.bind("127.0.0.1", 0); local _, p2 = srv2:getsockname()
spawn(function() local c = srv2:accept(); c:sendall(c:recv(100):upper()); c:close() end)
local c2 = socket.connect("127.0.0.1", p2); c2:settimeout(30); c2:send("hi"); print(c2:receive(2)); c2:close()
`

// TestEndlessCallbacksDoNotFreeze: a callback nsh calls that never returns
// — recvfile's step, the getfd of a table socket.select is given — holds
// the session no longer than any Lua loop: another task serves a client
// meanwhile, and task:cancel() ends the busy task with "interrupted".
func TestEndlessCallbacksDoNotFreeze(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "got.bin")
	busy := map[string]string{
		"recvfile step": `
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
spawn(function() local c = srv:accept(); c:sendall(string.rep("z", 5 * 1024 * 1024)); c:receive("*a"); c:close() end)
busy = spawn(function()
  local c = socket.connect("127.0.0.1", port)
  return c:recvfile(` + luaQuote(path) + `, 6 * 1024 * 1024, {step = function(n) entered = true while true do end end})
end)`,
		"select getfd": `
busy = spawn(function()
  return socket.select({{getfd = function() entered = true while true do end end}}, nil, 60)
end)`,
		"select dirty": `
local srv = socket.bind("127.0.0.1", 0)
busy = spawn(function()
  return socket.select({{getfd = function() return srv:getfd() end, dirty = function() entered = true while true do end end}}, nil, 60)
end)`,
	}
	for name, code := range busy {
		t.Run(name, func(t *testing.T) {
			src := "entered = false\n" + code + "\nwhile not entered do sleep(0.001) end\n" + serveBeside + `
busy:cancel()
local r = {busy:join(60)}
print(r[1], tostring(r[2]):match("interrupted") or r[2])
`
			runExpect(t, "busy.lua", src, "HI\nfalse\tinterrupted\n")
		})
	}
}

// TestYieldFromSelectCallback: a coroutine yielding from the getfd
// socket.select calls gets the clear boundary error, caught by its pcall,
// and the coroutine ends normally.
func TestYieldFromSelectCallback(t *testing.T) {
	s, out, errb := session(t)
	src := `
local co = coroutine.create(function()
  local ok, e = pcall(socket.select, {{getfd = function() coroutine.yield("no") return -1 end}}, nil, 0)
  return ok, e
end)
local ok, a, b = coroutine.resume(co)
print(ok, a, (tostring(b):gsub("^.-: ", "")), coroutine.status(co))
`
	if st := s.RunSource("sel.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := out.String(); got != "true\tfalse\tattempt to yield across metamethod/C-call boundary\tdead\n" {
		t.Fatalf("got %q", got)
	}
	if strings.Contains(errb.String(), "panic") {
		t.Fatal(errb.String())
	}
}

// runExpect runs src in a new session and fails unless it ends with
// status 0 having printed want.
func runExpect(t *testing.T, name, src, want string) {
	t.Helper()
	s, out, errb := session(t)
	if st := s.RunSource(name, src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := out.String(); got != want {
		t.Fatalf("got %q, want %q (stderr %s)", got, want, errb)
	}
}
