-- C Lua 5.4 + LuaSocket upper-case echo server with a socket.select loop, a
-- reference for nsh's benchmark suite (Debian: lua5.4, lua-socket).
-- usage: lua5.4 luasocket_echo.lua [PORT] [HOST]   (PORT 0 picks a free port)
-- Prints "listening on HOST:PORT" once ready. select() holds at most
-- FD_SETSIZE (1,024) descriptors, so it serves about 1,000 connections.
local socket = require("socket")

local port = tonumber(arg[1] or "8084")
local host = arg[2] or "127.0.0.1"
local srv = assert(socket.bind(host, port, 1024))
srv:settimeout(0)
local h, p = srv:getsockname()
print("listening on " .. h .. ":" .. p)
io.stdout:flush()

local recvt = { srv }
local where = { [srv] = 1 }

local function drop(c)
  local i = where[c]
  local last = recvt[#recvt]
  recvt[i], where[last] = last, i
  recvt[#recvt] = nil
  where[c] = nil
  c:close()
end

-- sendall writes all of data, waiting in select when the kernel buffer is full.
local function sendall(c, data)
  local i = 1
  while i <= #data do
    local n, err, last = c:send(data, i)
    if n then
      i = n + 1
    elseif err == "timeout" then
      i = last + 1
      socket.select(nil, { c })
    else
      return false
    end
  end
  return true
end

while true do
  local ready = socket.select(recvt, nil)
  for _, s in ipairs(ready) do
    if s == srv then
      local c = srv:accept()
      if c then
        c:settimeout(0)
        c:setoption("tcp-nodelay", true)
        recvt[#recvt + 1] = c
        where[c] = #recvt
      end
    elseif where[s] then
      local data, err, partial = s:receive(65536)
      data = data or partial
      if data and #data > 0 then
        if not sendall(s, data:upper()) then drop(s) end
      elseif err == "closed" then
        drop(s)
      end
    end
  end
end
