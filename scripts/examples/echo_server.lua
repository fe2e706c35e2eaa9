-- A concurrent upper-case echo server: one task per connection.
-- usage: nsh scripts/examples/echo_server.lua [PORT] [HOST]
-- PORT 0 picks a free port; the first line printed says which.
local port = tonumber(arg[1] or "7070")
local host = arg[2] or "127.0.0.1"
if not port then
  io.stderr:write("usage: echo_server.lua [PORT] [HOST]: PORT must be a number, not ", arg[1], "\n")
  os.exit(2)
end

local srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv:setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
local ok, err, story = srv:bind(host, port)
if not ok then
  io.stderr:write(story or err, "\n")
  os.exit(1)
end
-- A full accept queue drops SYNs (the client retries a second later), so
-- take the largest backlog, as Go's net.Listen does.
srv:listen(socket.SOMAXCONN)
print("listening on " .. tostring(srv:getsockname()))

local function serve(conn)
  conn:setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
  while true do
    local data = conn:recv(65536)
    if not data or data == "" then break end
    if not conn:sendall(data:upper()) then break end
  end
  conn:close()
end

while true do
  local conn, err, story = srv:accept()
  if conn then
    spawn(serve, conn)
  else
    -- out of descriptors, say: the queued connection keeps the socket
    -- readable, so retrying at once would spin; say why and pause
    io.stderr:write(story or err, "\n")
    sleep(0.1)
  end
end
