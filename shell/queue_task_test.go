package shell

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestQueueManyTasks: 100 producer tasks push 10,000 items each through a
// small queue to one consumer: every item arrives once, each producer's in
// the order it pushed them. Under -race (100 × 1,000) it checks the lock
// hand-offs of a blocked push and pop for deadlocks.
func TestQueueManyTasks(t *testing.T) {
	per := 10000
	if raceEnabled {
		per = 1000
	}
	s, out, errb := newTestSession(t, "")
	src := fmt.Sprintf(`
local producers, per = 100, %d
local q = queue.new(64)
local done = queue.new()
for p = 1, producers do
  spawn(function()
    for i = 1, per do assert(q:push(p * 1000000 + i)) end
    done:push(p)
  end)
end
spawn(function()
  for _ = 1, producers do assert(done:pop()) end
  q:close()
end)
local next, total = {}, 0
while true do
  local v, err = q:pop()
  if not v then assert(err == "closed", err) break end
  local p = math.floor(v / 1000000); local i = v - p * 1000000
  local want = (next[p] or 0) + 1
  if i ~= want then error(("producer %%d: item %%d after %%d"):format(p, i, want - 1)) end
  next[p] = i
  total = total + 1
end
for p = 1, producers do assert(next[p] == per, "producer " .. p .. " short") end
print("items", total)
`, per)
	st := runWithin(t, s, 120*time.Second, "q.lua", src)
	if st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if want := fmt.Sprintf("items\t%d\n", 100*per); out.String() != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// TestQueueBlockedPopInterrupted: a task blocked in pop (and one in push)
// wakes with "interrupted" when cancelled, as Ctrl-C does; the other tasks
// ran meanwhile, so the wait released the session lock.
func TestQueueBlockedPopInterrupted(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local empty, full = queue.new(), queue.new(1)
full:push("x")
local popper = spawn(function() return empty:pop() end)
local pusher = spawn(function() return full:push("y") end)
local ticks = 0
for _ = 1, 5 do sleep(0.01) ticks = ticks + 1 end
print(popper.state, pusher.state, ticks)
popper:cancel(); pusher:cancel()
print(popper:join())
print(pusher:join())
print(#full, full:pop())
`
	if st := runWithin(t, s, 30*time.Second, "c.lua", src); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	want := "waiting\twaiting\t5\ntrue\tnil\tinterrupted\ntrue\tnil\tinterrupted\n1\tx\n"
	if out.String() != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// TestQueueSelectWithSockets: socket.select wakes for a queue a task fills
// while a socket stays idle, and for a socket while the queue stays empty.
func TestQueueSelectWithSockets(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local q = queue.new()
local srv = assert(socket.tcp()); assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(5))
local _, port = srv:getsockname()
spawn(function() sleep(0.02) q:push("job") end)
local r, _, err = socket.select({srv, q}, nil, 10)
print(r[q], r[srv], #r, err, q:pop())
spawn(function() sleep(0.02) assert(socket.connect("127.0.0.1", port)) end)
r, _, err = socket.select({q, srv}, nil, 10)
print(r[q], r[srv], #r, err)
r, _, err = socket.select({q}, nil, 0.02)
print(#r, err)
local waiter = spawn(function() return socket.select({q}, nil) end)
sleep(0.02); q:close()
local ok, rr = waiter:join(10)
print(ok, rr[q])
`
	if st := runWithin(t, s, 30*time.Second, "sel.lua", src); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	want := "true\tnil\t1\tnil\tjob\nnil\ttrue\t1\tnil\n0\ttimeout\ntrue\ttrue\n"
	if out.String() != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}

// TestChannelNotLoaded: gopher-lua's channel library, which deadlocked the
// session, is not a global and cannot be required.
func TestChannelNotLoaded(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	if st := s.RunSource("ch.lua", `print(channel, (pcall(require, "channel")))`, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if strings.TrimSpace(out.String()) != "nil\tfalse" {
		t.Fatalf("channel is still there: %q", out)
	}
}

// runWithin runs src and fails the test (instead of hanging) when it does
// not end within d.
func runWithin(t *testing.T, s *Session, d time.Duration, name, src string) int {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- s.RunSource(name, src, nil) }()
	select {
	case st := <-done:
		return st
	case <-time.After(d):
		t.Fatalf("%s did not end within %v: deadlock?", name, d)
		return -1
	}
}

// TestCloseWhileBufferedSendBlocks: a task blocked in sendall on a
// buffering socket whose peer does not read holds the socket's write side;
// another task's close must neither wait for it nor stop the session.
func TestCloseWhileBufferedSendBlocks(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local srv = assert(socket.socket()); assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(5))
local c = assert(socket.socket()); assert(c:connect("127.0.0.1", srv:getsockname().port))
local peer = srv:accept()
assert(c:setbuffer(4096))
c:sendall("queued") -- in the buffer
local sender = spawn(function() return c:sendall(string.rep("x", 64 * 1024 * 1024)) end)
while sender.state ~= "waiting" do sleep(0.01) end
print(c:close())
local ok, n, err = sender:join(10)
print(ok, n, err)
`
	if st := runWithin(t, s, 30*time.Second, "cl.lua", src); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if want := "1\ntrue\tnil\tclosed\n"; out.String() != want {
		t.Fatalf("stdout %q, want %q", out, want)
	}
}
