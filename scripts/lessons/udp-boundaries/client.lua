-- Seed 002 (002_3da697648a31ddfe.txt), Q11 "UDP不会发生粘包现象": the client ("客户端"):
-- sends 'hello' then 'james' as two datagrams and closes. Defaults: 127.0.0.1:8989.
-- nsh: words given after the flags are sent instead, one datagram each, e.g.
--   nsh lesson run udp-boundaries client helloworld james
-- shows a 10-byte datagram cut to 5 bytes by recvfrom(5), while 'james' still arrives whole.
local serve = require("lessons.lib.serve")

local words = lesson.args
if #words == 0 then
  words = {"hello", "james"}
end
local client = socket.socket(serve.family(lesson.host), socket.SOCK_DGRAM)
for _, w in ipairs(words) do
  serve.check(client:sendto(w, lesson.host, lesson.port))
  print("sent " .. #w .. " bytes: " .. w)
end
client:close()
