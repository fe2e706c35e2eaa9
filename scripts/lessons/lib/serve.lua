-- lessons.lib.serve: how every lesson server binds, announces itself and serves.
-- The ready line "listening on ADDR" is the convention the test harness and users wait for.
local M = {}

-- check turns a failed socket call (nil, err, story) into an error naming what failed.
function M.check(ok, err, story)
  if ok == nil and err ~= nil then
    error(story or err, 0)
  end
  return ok, err, story
end

-- family picks AF_INET6 for an IPv6 literal host, AF_INET otherwise.
function M.family(host)
  if string.find(host, ":", 1, true) then
    return socket.AF_INET6
  end
  return socket.AF_INET
end

-- listening prints the ready line with the address the socket is really bound to.
-- (Scripts that make their own server socket call lesson.own(sock) so that stopping the
-- lesson closes it.)
function M.listening(sock)
  print("listening on " .. tostring(sock:getsockname()))
end

-- tcp_states returns the set of kernel states (hex, as in /proc/net/tcp: "0A" LISTEN, "06"
-- TIME_WAIT) of the TCP sockets whose local port is port, IPv4 and IPv6; empty without /proc.
local function tcp_states(port)
  local states = {}
  local hexport = string.format(":%04X", port)
  for _, file in ipairs({"/proc/net/tcp", "/proc/net/tcp6"}) do
    local f = io.open(file, "r")
    if f then
      for line in f:lines() do
        local lport, state = string.match(line, "^%s*%d+:%s+%x+(:%x+)%s+%x+:%x+%s+(%x%x)")
        if lport == hexport then
          states[state] = true
        end
      end
      f:close()
    end
  end
  return states
end

-- busy_hint says why a TCP port is taken. The lesson servers set no SO_REUSEADDR (the
-- originals do not), so a server stopped with connections open holds its port for a minute.
local function busy_hint(port)
  local states = tcp_states(port)
  local why
  if states["0A"] then
    why = "another server is listening on port " .. port
  elseif states["06"] then
    why = "a connection of a server that just stopped on port " .. port .. " is in TIME_WAIT for up to 60 s,"
      .. " as lesson 14 (reuseaddr) shows"
  else
    why = "another socket holds port " .. port
  end
  return why .. "; --port P picks another port, --port 0 any free one"
end

-- tcp binds a TCP socket to lesson.host/lesson.port, listens and prints the ready line.
-- opts.reuseaddr sets SO_REUSEADDR before bind.
function M.tcp(backlog, opts)
  opts = opts or {}
  local s = socket.socket(M.family(lesson.host), socket.SOCK_STREAM)
  if opts.reuseaddr then
    M.check(s:setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1))
  end
  local ok, err, story = s:bind(lesson.host, lesson.port)
  if ok == nil and err ~= nil then
    s:close()
    if err == "address already in use" then
      error((story or err) .. "\n  (" .. busy_hint(lesson.port) .. ")", 0)
    end
    error(story or err, 0)
  end
  M.check(s:listen(backlog or 5))
  lesson.own(s) -- closed by the runner when the lesson ends or is stopped (.kill)
  require("lessons.lib.tls").server(s) -- --tls: every accepted connection speaks TLS
  M.listening(s)
  return s
end

-- udp binds a UDP socket to lesson.host/lesson.port and prints the ready line.
function M.udp()
  local s = socket.socket(M.family(lesson.host), socket.SOCK_DGRAM)
  local ok, err, story = s:bind(lesson.host, lesson.port)
  if ok == nil and err ~= nil then
    s:close()
    error(story or err, 0)
  end
  lesson.own(s)
  M.listening(s)
  return s
end

-- each accepts connections forever and runs handler(conn, addr) in its own task; an
-- error in one connection is printed and never stops the server; conn is closed after.
function M.each(srv, handler)
  while true do
    local conn, addr, story = srv:accept()
    if not conn then
      if addr == "interrupted" then
        return
      end
      error(story or addr, 0)
    end
    lesson.own(conn) -- a stopped task cannot close it: the runner does
    spawn(function()
      local ok, err = pcall(handler, conn, addr)
      conn:close()
      lesson.own(conn, false)
      if not ok and err ~= "interrupted" then
        print("connection " .. tostring(addr) .. ": " .. tostring(err))
      end
    end)
  end
end

return M
