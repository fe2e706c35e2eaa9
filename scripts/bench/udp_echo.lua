-- nsh UDP upper-case echo server for the benchmark suite.
-- usage: nsh scripts/bench/udp_echo.lua [PORT] [HOST]   (PORT 0: a free port)
local port = tonumber(arg[1] or "8085")
local host = arg[2] or "127.0.0.1"
local s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
local ok, err, story = s:bind(host, port)
if not ok then
  io.stderr:write(story or err, "\n")
  os.exit(1)
end
print("listening on " .. tostring(s:getsockname()))
while true do
  local data, addr = s:recvfrom(65536)
  if data then s:sendto(data:upper(), addr[1], addr[2]) end
end
