-- Seed 004 (004_2238c7022b5357ff.txt): restarting a server while its old connection sits in
-- TIME_WAIT fails with "address already in use"; setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before
-- bind fixes it (the document's snippet, port 8080). Both happen here for real, then the fixed
-- server serves like the document's TCP server (upper-cased replies).
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local host = lesson.host
local family = serve.family(host)

-- timewait_seen looks for a TIME_WAIT socket on port in the kernel's table (Linux only; nil
-- where there is no /proc).
local function timewait_seen(port)
  local f = io.open(family == socket.AF_INET6 and "/proc/net/tcp6" or "/proc/net/tcp", "r")
  if f == nil then
    return nil
  end
  local hexport = string.format(":%04X", port)
  local found = false
  for line in f:lines() do
    local lport, state = string.match(line, "^%s*%d+:%s+%x+(:%x+)%s+%x+:%x+%s+(%x%x)")
    if lport == hexport and state == "06" then -- 06 = TCP_TIME_WAIT
      found = true
    end
  end
  f:close()
  return found
end

-- server_socket makes a TCP socket, with SO_REUSEADDR when reuse is true.
local function server_socket(reuse)
  local s = socket.socket(family, socket.SOCK_STREAM)
  if reuse then
    serve.check(s:setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)) -- 就是它,在bind前加
  end
  return s
end

-- time_wait runs a server on port (0: any) that takes one connection and closes it first
-- (the active close): its end of the connection goes through FIN_WAIT_1, FIN_WAIT_2 and, once
-- the client closes too, TIME_WAIT, where it stays for 2*MSL (60 s on Linux) holding
-- HOST:PORT. Then the server stops, as when you stop it to restart it. Returns the port.
local function time_wait(port, reuse, label)
  local srv = server_socket(reuse)
  serve.check(srv:bind(host, port))
  serve.check(srv:listen(5))
  local addr = srv:getsockname()
  local cli = socket.socket(family, socket.SOCK_STREAM)
  serve.check(cli:connect(host, addr[2]))
  local conn = serve.check(srv:accept())
  conn:close() -- the server closes first
  cli:recv(1024) -- "": the client sees the end of the stream, and closes too
  cli:close()
  srv:close()
  local seen
  for _ = 1, 20 do -- the kernel moves it to TIME_WAIT at once; allow it a moment
    seen = timewait_seen(addr[2])
    if seen ~= false then
      break
    end
    sleep(0.05)
  end
  print(string.format("%s bound %s%s, a client connected, the server closed first and stopped;", label,
    tostring(addr), reuse and " with SO_REUSEADDR" or " without SO_REUSEADDR"))
  print(string.format("   %s port %d in TIME_WAIT", seen and "the kernel lists" or "its connection waits in", addr[2]))
  return addr[2]
end

-- restart tries to bind port again; it returns the listening socket or nil.
local function restart(port, reuse, label)
  local s = server_socket(reuse)
  local ok, err, story = s:bind(host, port)
  local how = reuse and "with SO_REUSEADDR" or "without SO_REUSEADDR"
  if ok == nil and err ~= nil then
    s:close()
    print(string.format("%s restart %s: %s", label, how, story or err))
    return nil
  end
  print(string.format("%s restart %s: bind succeeded", label, how))
  return s
end

-- The document's first server never sets the option (on a spare port, so the lesson's port
-- stays free for the fixed server).
print("The first server, as the document's first version: no SO_REUSEADDR")
local spare = time_wait(0, false, "1.")
local s = restart(spare, false, "2.")
if s then
  s:close()
end
s = restart(spare, true, "3.")
if s then
  s:close()
else
  print("   (Linux lets a new socket share a port with a TIME_WAIT connection only when both set")
  print("    SO_REUSEADDR: the old server did not, so only waiting 60 s helps now)")
end

-- The fixed server sets it before every bind: 加入一条socket配置,重用ip和端口.
print("The fixed server: setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind, every time")
local port = time_wait(lesson.port, true, "4.")
s = restart(port, false, "5.")
if s then
  s:close()
end
local phone = restart(port, true, "6.")
if phone == nil then
  error(string.format("bind %s port %d with SO_REUSEADDR failed: see above", host, port), 0)
end
serve.check(phone:listen(5))
lesson.own(phone)
serve.listening(phone)

-- The document's TCP server loop (see the tcp-upper lesson), one task per connection.
serve.each(phone, function(c, a)
  print(c)
  print(a)
  print(string.format("接到来自%s的电话", a[1]))
  while true do
    local msg = c:recv(1024)
    if msg == nil or #msg == 0 then
      break
    end
    print(string.format("%q", msg), type(msg))
    c:sendall(wire.upper(msg)) -- ASCII letters only, like Python's bytes.upper()
  end
end)
