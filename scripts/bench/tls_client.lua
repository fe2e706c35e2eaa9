-- nsh TLS client for scripts/bench/tls_compare.sh: GET /NAME over TLS, the body
-- discarded (recvfile into /dev/null when the length is known); prints the bytes and MB/s.
-- usage: nsh scripts/bench/tls_client.lua CAFILE PORT NAME
local ssl = require("ssl")
local t0 = socket.gettime()
local c = assert(socket.connect("127.0.0.1", tonumber(arg[2])))
c = assert(ssl.wrap(c, {cafile = arg[1], server_name = "localhost"}))
assert(c:dohandshake())
c:send("GET /" .. arg[3] .. " HTTP/1.0\r\n\r\n")
local size
repeat
  local h = assert(c:receive("*l"))
  size = size or tonumber(h:match("^[Cc]ontent%-[Ll]ength: (%d+)"))
until h == ""
local n = 0
if size then
  n = assert(c:recvfile("/dev/null", size))
else -- openssl s_server -WWW sends no length: read to the end
  while true do
    local chunk = c:recv(1048576)
    if not chunk or chunk == "" then break end
    n = n + #chunk
  end
end
local dt = socket.gettime() - t0
print(string.format("%d bytes %.1f MB/s", n, n / dt / 1e6))
c:close()
