package luastd

import (
	"strings"
	"testing"
)

// TestCoroutineStatusAcrossTasks: two tasks run coroutines that sleep
// (other tasks run meanwhile); each coroutine reads its own status and
// coroutine.running() right, and the other task's coroutine is not
// resumable (upstream read one G.CurrentThread for the whole session: the
// coroutine that resumed last was "running" everywhere).
func TestCoroutineStatusAcrossTasks(t *testing.T) {
	src := `
local cos, seen = {}, {}
local function body(name)
  return function()
    for i = 1, 5 do
      sleep(0.002)
      local me = cos[name]
      seen[#seen + 1] = name .. ":" .. coroutine.status(me) .. ":" .. tostring(coroutine.running() == me)
      local other = cos[name == "a" and "b" or "a"]
      if other then
        local ok, err = coroutine.resume(other)
        if ok or (err ~= "cannot resume non-suspended coroutine" and err ~= "cannot resume dead coroutine") then seen[#seen + 1] = "resumed other: " .. tostring(err) end
      end
      pcall(coroutine.yield, i)
    end
  end
end
local tasks = {}
for _, name in ipairs({"a", "b"}) do
  tasks[#tasks + 1] = spawn(function()
    cos[name] = coroutine.create(body(name))
    while coroutine.status(cos[name]) ~= "dead" do
      assert(coroutine.resume(cos[name]))
      if coroutine.status(cos[name]) ~= "dead" and coroutine.status(cos[name]) ~= "suspended" then error("status " .. coroutine.status(cos[name])) end
    end
    return coroutine.status(cos[name])
  end)
end
for _, t in ipairs(tasks) do print(t:join(30)) end
local bad = 0
for _, v in ipairs(seen) do if not v:match("^%a:running:true$") then bad = bad + 1; print(v) end end
print(#seen, bad, coroutine.running())
`
	runExpect(t, "status.lua", src, "true\tdead\ntrue\tdead\n10\t0\tnil\n")
}

// TestCopasLikeDispatcher: the way copas runs a server: one coroutine per
// connection, each yielding from inside socket.protect (a pcall) when its
// read would block, and a dispatcher resuming them from socket.select.
// Five clients (tasks) each send two lines and read them back upper-cased;
// each handler ends by the socket.try error its closed peer raises, which
// protect turns into nil, "closed".
func TestCopasLikeDispatcher(t *testing.T) {
	src := `
local srv = assert(socket.bind("127.0.0.1", 0)); srv:settimeout(0)
local _, port = srv:getsockname()
local waiting, ready, ended = {}, {}, {}  -- socket -> coroutine; to run again; handler results
local function read(c)
  while true do
    local line, err = c:receive("*l")
    if line then return line end
    if err ~= "timeout" then socket.try(nil, err) end
    coroutine.yield(c)
  end
end
local handler = socket.protect(function(c)
  c:settimeout(0)
  while true do
    local line = read(c)
    local ok, e = pcall(function() coroutine.yield() error({upper = line:upper()}) end)
    socket.try(c:send(e.upper .. "\n"))
  end
end)
-- run co until it waits: on a socket (it yielded the socket) or for the
-- next round (it yielded nothing)
local function step(co, ...)
  local ok, s2 = assert(coroutine.resume(co, ...))
  if coroutine.status(co) ~= "suspended" then return end
  if s2 then waiting[s2] = co else ready[#ready + 1] = co end
end
local function start(c)
  step(coroutine.create(function() local r, err = handler(c); c:close(); ended[#ended + 1] = tostring(r) .. "," .. tostring(err) end), c)
end
local clients = {}
for i = 1, 5 do
  clients[i] = spawn(function()
    local c = assert(socket.connect("127.0.0.1", port)); c:settimeout(10)
    local got = {}
    for j = 1, 2 do c:send("line " .. i .. "." .. j .. "\n"); got[j] = c:receive("*l") end
    c:close()
    return table.concat(got, "|")
  end)
end
local rounds = 0
while #ended < 5 and rounds < 10000 do
  rounds = rounds + 1
  local set = {srv}
  for c in pairs(waiting) do set[#set + 1] = c end
  local now = ready; ready = {}
  for _, co in ipairs(now) do step(co) end
  local r = socket.select(set, nil, #ready > 0 and 0 or 1)
  for _, c in ipairs(r) do
    if c == srv then
      local conn = srv:accept()
      if conn then start(conn) end
    elseif waiting[c] then
      local co = waiting[c]; waiting[c] = nil
      step(co)
    end
  end
end
for i = 1, 5 do print(clients[i]:join(10)) end
table.sort(ended)
print(#ended, ended[1], ended[5])
`
	var want strings.Builder
	for i := 1; i <= 5; i++ {
		want.WriteString("true\tLINE " + string(rune('0'+i)) + ".1|LINE " + string(rune('0'+i)) + ".2\n")
	}
	want.WriteString("5\tnil,closed\tnil,closed\n")
	runExpect(t, "copas.lua", src, want.String())
}
