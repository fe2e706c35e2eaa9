package shell

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// closeRaceLua defines race(name, make, call): make() returns the socket
// (and anything call needs); call(s, ...) runs one operation on it in a task.
// The socket is closed by another task twice over: once before the task
// calls (it is not yet waiting) and once while the task waits in the call.
// Both times the call must return nil, "closed" and never raise.
const closeRaceLua = `
local failures = {}
local function check(name, when, ok, a, b)
  if not ok then failures[#failures + 1] = name .. " (" .. when .. ") raised: " .. tostring(a)
  elseif a ~= nil or b ~= "closed" then
    failures[#failures + 1] = name .. " (" .. when .. ") returned " .. tostring(a) .. ", " .. tostring(b)
  end
end
local function waiting(t)
  for _ = 1, 5000 do if t.state == "waiting" then return true end sleep(0.001) end
  return false
end
function race(name, make, call, wait)
  -- closed before the call
  local args = {make()}
  args[1]:close()
  local t = spawn(function() return call(unpack(args)) end)
  local ok, a, b = t:join(10)
  check(name, "closed before", ok, a, b)
  if wait == false then return end
  -- closed while the call waits
  args = {make()}
  t = spawn(function() return call(unpack(args)) end)
  if not waiting(t) then failures[#failures + 1] = name .. " never waited"; t:cancel(); return end
  spawn(function() args[1]:close() end):join()
  ok, a, b = t:join(10)
  if ok == nil then failures[#failures + 1] = name .. " did not wake when closed"; t:cancel(); return end
  check(name, "closed while waiting", ok, a, b)
end

local srv = assert(socket.bind("127.0.0.1", 0))
local _, port = srv:getsockname()
local keep = {}
local function conn()
  local c = assert(socket.connect("127.0.0.1", port))
  local a = assert(srv:accept())
  keep[#keep + 1] = c; keep[#keep + 1] = a
  return a, c
end
local function full()
  local a, c = conn()
  a:settimeout(0)
  local chunk = string.rep("x", 65536)
  while a:send(chunk) do end
  a:settimeout(nil)
  return a, c
end
local function udp()
  local u = assert(socket.udp()); assert(u:setsockname("127.0.0.1", 0))
  return u
end
local function listener()
  return assert(socket.bind("127.0.0.1", 0))
end

race("recv", conn, function(s) return s:recv(10) end)
race("receive *l", conn, function(s) return s:receive("*l") end)
race("receive n", conn, function(s) return s:receive(5) end)
race("receive *a", conn, function(s) return s:receive("*a") end)
race("recvline", conn, function(s) return s:recvline() end)
race("recvuntil", conn, function(s) return s:recvuntil("\r\n") end)
race("recvexactly", conn, function(s) return s:recvexactly(3) end)
race("recvfile", conn, function(s) return s:recvfile(os.getenv("RACE_DIR") .. "/in.bin", 10) end)
race("send", full, function(s) return s:send(string.rep("y", 65536)) end)
race("sendall", full, function(s) return s:sendall(string.rep("y", 65536)) end)
race("sendline", full, function(s) return s:sendline(string.rep("y", 65536)) end)
race("sendfile", full, function(s) return s:sendfile(os.getenv("RACE_DIR") .. "/big.bin") end)
race("accept", listener, function(s) return s:accept() end)
race("recvfrom", udp, function(s) return s:recvfrom(100) end)
race("receivefrom", udp, function(s) return s:receivefrom() end)
race("receive udp", function() local u = udp(); u:setpeername("127.0.0.1", 9); return u end, function(s) return s:receive() end)
race("select", conn, function(s)
  local r = socket.select({s}, nil, 30)
  if r[1] ~= s then return "select woke without the socket" end
  return s:recv(1)
end)
-- a connect that waits: the listener's backlog is full, so the kernel drops the SYN
local full_srv = assert(socket.socket()); assert(full_srv:bind("127.0.0.1", 0)); assert(full_srv:listen(0))
local _, fport = full_srv:getsockname()
for i = 1, 4 do local c = socket.tcp(); c:settimeout(0); c:connect("127.0.0.1", fport); keep[#keep + 1] = c end
race("connect", function() return socket.tcp() end, function(s) return s:connect("127.0.0.1", fport) end)
-- calls that never wait
local nowait = {
  {"bind", function(s) return s:bind("127.0.0.1", 0) end},
  {"listen", function(s) return s:listen() end},
  {"shutdown", function(s) return s:shutdown() end},
  {"getsockname", function(s) return s:getsockname() end},
  {"getpeername", function(s) return s:getpeername() end},
  {"setsockopt", function(s) return s:setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1) end},
  {"getsockopt", function(s) return s:getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) end},
  {"setoption", function(s) return s:setoption("keepalive", true) end},
  {"getoption", function(s) return s:getoption("keepalive") end},
  {"sendto", function(s) return s:sendto("x", "127.0.0.1", 9) end},
  {"setpeername", function(s) return s:setpeername("127.0.0.1", 9) end},
  {"setsockname", function(s) return s:setsockname("127.0.0.1", 0) end},
}
-- fileno says -1 however the socket was closed
local ft = spawn(function() F = socket.tcp(); sleep(60) end)
while not F do sleep(0.001) end
ft:close(); ft:cancel()
if F:fileno() ~= -1 then failures[#failures + 1] = "fileno of a socket task:close closed: " .. F:fileno() end
for i, c in ipairs(nowait) do
  race(c[1], function() return i < 10 and socket.tcp() or socket.udp() end, c[2], false)
end
for _, s in ipairs(keep) do s:close() end
srv:close(); full_srv:close()
print(#failures == 0 and "ok" or table.concat(failures, "\n"))
`

// TestCloseRace: every socket operation on a socket another task closed,
// before the call or while it waits, returns nil, "closed"; none raises.
func TestCloseRace(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.bin"), make([]byte, 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RACE_DIR", dir)
	s, out, errb := newTestSession(t, "")
	if st := s.RunSource("race.lua", closeRaceLua, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := strings.TrimSpace(out.String()); got != "ok" {
		t.Fatalf("%s\nstderr: %s", got, errb)
	}
}

// TestCollectedSocketsNeverCloseInUse: tasks open connections, use them and
// drop them while another task collects garbage over and over. Collection
// closes only what nobody refers to: every exchange on a socket still in use
// succeeds, and at the end nothing is left open. Under -race this checks the
// cleanup goroutine against the tasks.
func TestCollectedSocketsNeverCloseInUse(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local stop = false
local gc = spawn(function() while not stop do collectgarbage(); sleep(0.001) end end)
local workers = {}
for w = 1, 8 do
  workers[w] = spawn(function()
    local srv = assert(socket.bind("127.0.0.1", 0)); local _, port = srv:getsockname()
    for i = 1, 50 do
      local c = assert(socket.connect("127.0.0.1", port))
      local a = assert(srv:accept())
      collectgarbage()
      assert(c:sendall("ping " .. i .. "\n"))
      local line, err = a:recvline()
      assert(line == "ping " .. i, tostring(err))
      socket.tcp() -- dropped at once
    end
    srv:close()
  end)
end
for _, w in ipairs(workers) do local ok, err = w:join(); assert(ok, err) end
stop = true; gc:join()
collectgarbage()
print("open", #fs.list("/proc/self/fd") > 0 and "ok")
`
	if st := s.RunSource("gc.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := strings.TrimSpace(out.String()); got != "open\tok" {
		t.Fatalf("%q; stderr %s", got, errb)
	}
	if n := len(s.Sockets().List()); n != 0 {
		t.Fatalf("%d sockets left open: %v", n, s.Sockets().List())
	}
}
