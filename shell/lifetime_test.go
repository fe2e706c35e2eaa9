package shell

import (
	"strings"
	"testing"
)

// lifetimeLua checks each rule of lifetime.go with real connections: a
// socket that closes is seen closed by its peer (end of stream at once),
// one that stays open by the peer's read timing out.
const lifetimeLua = `
local srv = assert(socket.bind("127.0.0.1", 0)); local _, port = srv:getsockname()
local results = {}
local function say(name, ok) results[#results + 1] = name .. "=" .. tostring(ok) end
-- pair returns a connection accepted by this task and its client end
local function pair()
  local c = assert(socket.connect("127.0.0.1", port)); c:settimeout(5)
  return assert(srv:accept()), c
end
-- peerSeesClose: the client gets the end of the stream (not a timeout)
local function peerSeesClose(c)
  c:settimeout(2)
  local data, err = c:receive("*a") -- what was sent, then the end
  c:close()
  -- LuaSocket's "*a": the data, or nil, "closed" when the end came first
  return (data ~= nil and err == nil) or err == "closed"
end
local function peerSeesOpen(c)
  c:settimeout(0.05)
  local data, err = c:receive("*a")
  c:close()
  return err == "timeout"
end
local function closed(s) return tostring(s):find("closed") ~= nil end

-- a task that forgets to close what it made or accepted
local t = spawn(function() local a = srv:accept(); a:send("x") end)
local c = assert(socket.connect("127.0.0.1", port)); t:join()
say("forgotten", peerSeesClose(c))

-- an accept loop: each handler owns its connection (an upvalue), which
-- stays open while the handler works and closes when it returns
local loop = spawn(function()
  for i = 1, 2 do
    local conn = srv:accept()
    spawn(function()
      local line = conn:receive()
      conn:send(line:upper() .. "\n")
    end)
  end
end)
local c1 = assert(socket.connect("127.0.0.1", port)); c1:settimeout(5)
local c2 = assert(socket.connect("127.0.0.1", port)); c2:settimeout(5)
loop:join() -- the loop is over; its handlers wait for their lines
c1:send("one\n"); c2:send("two\n")
say("handler", c1:receive() == "ONE" and c2:receive() == "TWO")
say("handler closes", peerSeesClose(c1) and peerSeesClose(c2))

-- a global outlives its task
local a, c3 = pair()
local t3 = spawn(function(conn) KEEP = conn end, a); a = nil; t3:join()
say("global", peerSeesOpen(c3) and not closed(KEEP)); KEEP:close(); KEEP = nil

-- cancelled or failed: the same rule (the listener, a local of this chunk
-- that the tasks capture, stays open for the next ones)
local t4 = spawn(function() local a = srv:accept(); HELD4 = srv:accept(); sleep(60) end)
local c4 = assert(socket.connect("127.0.0.1", port))
local c4b = assert(socket.connect("127.0.0.1", port))
while not HELD4 do sleep(0.001) end
t4:cancel(); t4:join()
say("cancelled", peerSeesClose(c4) and peerSeesOpen(c4b) and not closed(HELD4)); HELD4:close()
local t5 = spawn(function() local a = srv:accept(); error("boom", 0) end)
local c5 = assert(socket.connect("127.0.0.1", port))
t5:join()
say("failed", peerSeesClose(c5))

-- passed to spawn: the new task owns it (the caller keeps no reference)
local a6, c6 = pair()
local t6 = spawn(function(conn) conn:send("hi") end, a6); a6 = nil; t6:join()
say("argument", c6:receive(2) == "hi" and peerSeesClose(c6))
-- still referred to by the caller's local: stays open
local a7, c7 = pair()
spawn(function(conn) end, a7):join()
say("argument held", peerSeesOpen(c7) and not closed(a7)); a7:close()

-- returned: join hands it over, open
local t8 = spawn(function() local a, c = pair(); return a, c end)
local _, a8, c8 = t8:join()
a8:send("r")
say("returned", c8:receive(1) == "r"); a8:close(); c8:close()

-- detached: the session owns it (it does not pass to the script)
local t9 = spawn(function() DET = srv:accept(); DET:detach(); error("x", 0) end)
local c9 = assert(socket.connect("127.0.0.1", port))
t9:join()
say("detached", not closed(DET) and peerSeesOpen(c9)); DET:close()

-- adopted by another task: closes when that task ends
local a10, c10 = pair()
local holder = spawn(function() sleep(0.05) end)
holder:adopt(a10); a10 = nil
holder:join()
say("adopted", peerSeesClose(c10))

-- held by a live task (an upvalue table): stays open
local shared = {}
local keeper = spawn(function() while not shared.done do sleep(0.005) end end)
spawn(function() local a, c = pair(); shared.a = a; shared.c = c end):join()
say("live task", not closed(shared.a) and peerSeesOpen(shared.c))
shared.done = true; keeper:join(); shared.a:close()

-- through a queue: a connection waiting in it stays open when the task that
-- pushed it ends; the task that pops it owns it
local q = queue.new()
local pusher = spawn(function() for i = 1, 2 do q:push((srv:accept())) end end)
local cq1 = assert(socket.connect("127.0.0.1", port))
local cq2 = assert(socket.connect("127.0.0.1", port))
pusher:join()
local worker = spawn(function() local conn = q:pop(); conn:send("w") end)
worker:join()
say("queue", cq1:receive(1) == "w" and peerSeesClose(cq1) and peerSeesOpen(cq2))
q:pop():close()

-- task:close closes what the task owns while it waits on it
local t11 = spawn(function() local l = assert(socket.bind("127.0.0.1", 0)); return l:accept() end)
while t11.state ~= "waiting" do sleep(0.001) end
local n = t11:close()
local ok, conn, err = t11:join()
say("task:close", n == 1 and ok and conn == nil and err == "closed")
srv:close()
print(table.concat(results, " "))
`

func TestSocketLifetime(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	if st := s.RunSource("life.lua", lifetimeLua, nil); st != 0 && st != 1 {
		t.Fatalf("status %d: %s", st, errb)
	}
	got := strings.Fields(strings.TrimSpace(out.String()))
	want := []string{"forgotten", "handler", "handler closes", "global", "cancelled", "failed", "argument",
		"argument held", "returned", "detached", "adopted", "live task", "queue", "task:close"}
	line := strings.Join(got, " ")
	for _, w := range want {
		if !strings.Contains(line, w+"=true") {
			t.Errorf("%s: not true in %q", w, line)
		}
	}
	if t.Failed() {
		t.Logf("stderr: %s", errb)
	}
}

// TestScriptEndHandsOnOrCloses: what a script's tasks leave held (a global)
// passes to the script; a script that ends normally gives it to the session,
// one that ends by os.exit (or an error, or Ctrl-C) closes it — but not a
// detached socket, which the session owns already.
func TestScriptEndHandsOnOrCloses(t *testing.T) {
	src := `
KEPT = assert(socket.bind("127.0.0.1", 0))
spawn(function() DET = assert(socket.bind("127.0.0.1", 0)); DET:detach(); TASKS = assert(socket.bind("127.0.0.1", 0)) end):join()
local byOwner = {}
`
	for _, tc := range []struct {
		name, tail string
		status     int
		open       []string // the globals still open afterwards
	}{
		{"normal", "", 0, []string{"KEPT", "DET", "TASKS"}},
		{"os.exit", "os.exit(3)", 3, []string{"DET"}},
		{"error", "error('boom')", 1, []string{"DET"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _, errb := newTestSession(t, "")
			if st := s.RunSource("end.lua", src+tc.tail, nil); st != tc.status {
				t.Fatalf("status %d, want %d: %s", st, tc.status, errb)
			}
			var open []string
			for _, in := range s.Sockets().List() {
				if in.Owner != "session" {
					t.Errorf("socket %d still owned by %q after the script", in.ID, in.Owner)
				}
			}
			s.mu.Lock()
			for _, g := range []string{"KEPT", "DET", "TASKS"} {
				if v := s.L.GetGlobal(g); !strings.Contains(s.L.ToStringMeta(v).String(), "closed") {
					open = append(open, g)
				}
			}
			s.mu.Unlock()
			if strings.Join(open, " ") != strings.Join(tc.open, " ") {
				t.Fatalf("open afterwards: %v, want %v", open, tc.open)
			}
		})
	}
}
