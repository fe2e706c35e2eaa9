#!/usr/bin/env nsh
-- loop.lua: LuaSocket idioms the Go test runs under nsh and C and compares
-- (the first line is a shebang, which both skip): a copas-style select loop
-- over wrapper tables that expose getfd and dirty, ltn12 pumping through
-- socket.source/socket.sink, and socket.try/protect.
local socket = require("socket")
local ltn12 = require("ltn12")

-- A wrapper as copas makes one: the socket inside, getfd/dirty forwarded.
local function wrap(s)
  return setmetatable({sock = s}, {__index = {
    getfd = function(self) return self.sock:getfd() end,
    dirty = function(self) return self.sock:dirty() end,
  }})
end

local server = assert(socket.bind("127.0.0.1", 0))
local _, port = server:getsockname()
server:settimeout(0)
local clients = {}
for i = 1, 3 do
  local c = assert(socket.connect("127.0.0.1", port))
  c:send("hello " .. i .. "\nsecond " .. i .. "\n")
  clients[i] = c
end

local watch, conns, lines = {wrap(server), "not a socket", {}}, {}, {}
local rounds = 0
while #lines < 6 and rounds < 100 do
  rounds = rounds + 1
  local ready = socket.select(watch, nil, 2)
  for _, w in ipairs(ready) do
    if w.sock == server then
      local c = server:accept()
      if c then
        c:settimeout(0)
        conns[#conns + 1] = c
        watch[#watch + 1] = wrap(c)
      end
    else
      -- read every whole line waiting: dirty() says more is buffered
      repeat
        local line = w.sock:receive("*l")
        if line then lines[#lines + 1] = line end
      until not line or not w:dirty()
    end
  end
end
table.sort(lines)
print("lines", table.concat(lines, "|"))

-- ltn12: a source reading until the peer closes, pumped into a table sink
local c = clients[1]
conns[1]:send(string.rep("0123456789", 1000))
conns[1]:close()
local got = {}
assert(ltn12.pump.all(socket.source("until-closed", c), (ltn12.sink.table(got))))
print("until-closed", #table.concat(got))

-- socket.sink("close-when-done") over ltn12.source.string
local a, b = clients[2], conns[2]
assert(ltn12.pump.all(ltn12.source.string(string.rep("x", 5000)), socket.sink("close-when-done", b)))
local data = {}
assert(ltn12.pump.all(socket.source("by-length", a, 5000), (ltn12.sink.table(data))))
local r1, r2, r3 = a:receive("*a") -- nsh adds a story 4th; LuaSocket's three
print("by-length", #table.concat(data), r1, r2, r3)

-- try/protect: the error of a failed try comes back as nil, err
local f = socket.protect(function() local try = socket.newtry(); try(nil, "oops") end)
print("protect", f())
print("skip", socket.skip(1, "a", "b", "c"))
print("choose", socket.choose({default = function(x) return "got " .. tostring(x) end})(7))
for _, s in ipairs(clients) do s:close() end
for _, s in ipairs(conns) do s:close() end
server:close()

-- accept on a master given a datagram descriptor (utestclnt's accept_errors)
local master = assert(socket.bind("127.0.0.1", 0))
local dgram = socket.udp4()
master:setfd(dgram:getfd())
local r, e = master:accept()
print("accept on udp fd", r, e)
master:close()

-- non-blocking partial results, as copas' receive and send loops use them
local srv2 = assert(socket.bind("127.0.0.1", 0))
local _, p2 = srv2:getsockname()
local cl = assert(socket.connect("127.0.0.1", p2))
local sv = assert(srv2:accept())
cl:settimeout(0)
sv:settimeout(0)
sv:send("0123456789")
socket.select({cl}, nil, 2)
local d1, d2, d3 = cl:receive(100) -- nsh adds a story 4th
print("partial receive", d1, d2, d3)
local big = string.rep("z", 8 * 1024 * 1024)
local n, e, last = sv:send(big)
print("partial send", n, e, type(last) == "number" and last > 0 and last < #big)
-- drain it copas-style: select, receive what is there, resume the send from last + 1
local got, from = 0, last + 1
local rounds2 = 0
while got < #big and rounds2 < 100000 do
  rounds2 = rounds2 + 1
  local r, w = socket.select({cl}, from <= #big and {sv} or nil, 2)
  if r[1] then
    local data, err, part = cl:receive(65536)
    got = got + #(data or part)
  end
  if w[1] then
    local i, err, j = sv:send(big, from)
    from = (i or j) + 1
  end
end
print("drained", got == #big, from == #big + 1)
cl:close() sv:close() srv2:close()
