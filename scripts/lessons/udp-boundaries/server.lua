-- Seed 002 (002_3da697648a31ddfe.txt), Q11 "UDP不会发生粘包现象": the server ("服务端"):
-- two recvfrom(5) calls, each prints one whole datagram, then it exits. Defaults:
-- 127.0.0.1:8989. A datagram longer than the buffer is cut (the kernel drops the rest);
-- it never runs into the next one, which is the point of the lesson.
local serve = require("lessons.lib.serve")

local function count_flag(key, default)
  local v = lesson.flags[key]
  local n = tonumber(v or default)
  if n == nil or n < 1 or n % 1 ~= 0 then
    error(string.format("--%s needs a whole number >= 1, got %q", key, tostring(v)), 0)
  end
  return n
end

local bufsize = count_flag("bufsize", 5)
local count = count_flag("count", 2)
local server = serve.udp() -- socket, bind, then the ready line "listening on ..."
for i = 1, count do
  local data, addr = serve.check(server:recvfrom(bufsize))
  print(string.format("res%d: %s from %s", i, data, tostring(addr)))
end
server:close()
