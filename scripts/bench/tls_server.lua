-- nsh TLS server for scripts/bench/tls_compare.sh: an HTTP/1.0-ish file server over TLS
-- (GET /NAME answers the file NAME of the current folder through sendfile, which over
-- TLS reads and encrypts it a record at a time), one task per connection.
-- usage: nsh scripts/bench/tls_server.lua CERT KEY PORT
local ssl = require("ssl")
local ctx = assert(ssl.newcontext({mode = "server", certificate = arg[1], key = arg[2]}))
local srv = assert(socket.bind("127.0.0.1", tonumber(arg[3]), 512))
ssl.wrap(srv, ctx)
print("listening on " .. tostring(srv:getsockname()))
io.stdout:flush()
while true do
  local conn = srv:accept()
  if conn then
    spawn(function()
      local line = conn:receive("*l")
      local name = line and line:match("^GET /(%S*)")
      if name then
        repeat local h = conn:receive("*l") until h == nil or h == ""
        local f = io.open(name, "rb")
        if f then
          local size = f:seek("end")
          f:close()
          conn:send("HTTP/1.0 200 ok\r\nContent-Length: " .. size .. "\r\n\r\n")
          conn:sendfile(name)
        else
          conn:send("HTTP/1.0 404 no\r\n\r\n")
        end
      end
      conn:close()
    end)
  end
end
