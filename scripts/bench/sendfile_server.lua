-- nsh bulk server for the benchmark suite: every connection gets the whole of
-- FILE through s:sendfile (the kernel moves the bytes; Lua never sees them),
-- then the connection closes.
-- usage: nsh scripts/bench/sendfile_server.lua FILE [PORT] [HOST]
local path = assert(arg[1], "usage: sendfile_server.lua FILE [PORT] [HOST]")
local port = tonumber(arg[2] or "8086")
local host = arg[3] or "127.0.0.1"
local srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv:setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
local ok, err, story = srv:bind(host, port)
if not ok then
  io.stderr:write(story or err, "\n")
  os.exit(1)
end
srv:listen(16)
print("listening on " .. tostring(srv:getsockname()))
while true do
  local conn = srv:accept()
  if conn then
    spawn(function()
      local n, e, st = conn:sendfile(path)
      if not n then io.stderr:write(st or e, "\n") end
      conn:close()
    end)
  end
end
