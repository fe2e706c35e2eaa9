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
    error(story or err, 0)
  end
  M.check(s:listen(backlog or 5))
  lesson.own(s) -- closed by the runner when the lesson ends or is stopped (.kill)
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
