-- Seed 002 (002_3da697648a31ddfe.txt), Q11: the UDP client ("客户端"): each non-empty input
-- line goes out as one datagram; recvfrom(1024) gets the answer. Defaults: 127.0.0.1:8808,
-- prompt ">>>>".
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local timeout = tonumber(lesson.flags.timeout or 5) or error("--timeout needs a number of seconds", 0)
local udp_server_client = socket.socket(serve.family(lesson.host), socket.SOCK_DGRAM)
-- nsh fix: UDP may lose the question or the answer, and the original then waits forever in
-- recvfrom; nsh gives up on that answer after --timeout seconds and goes on.
udp_server_client:settimeout(timeout)
while true do
  local cmd = lesson.input(">>>>")
  if cmd == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  cmd = wire.strip(cmd)
  if #cmd > 0 then
    serve.check(udp_server_client:sendto(cmd, lesson.host, lesson.port))
    local back_cmd, addr, story = udp_server_client:recvfrom(1024)
    if back_cmd ~= nil then
      print(back_cmd)
    elseif addr == "timeout" or addr == "connection refused" then
      print(string.format("no answer from %s:%d (%s)", lesson.host, lesson.port, addr))
    else
      error(story or addr, 0)
    end
  end
end
udp_server_client:close()
