-- Seed 002 (002_3da697648a31ddfe.txt), Q11: the UDP server ("服务端"): recvfrom(1024), print
-- the datagram and its sender, sendto the upper-cased bytes back. Defaults: 127.0.0.1:8808.
-- UDP needs no task per client: one socket answers every sender in turn.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local udp_server_client = serve.udp() -- socket, bind, then the ready line "listening on ..."
while true do
  local conn, addr, story = udp_server_client:recvfrom(1024)
  if conn == nil then
    if addr == "interrupted" then
      break
    end
    -- nsh fix: an error about one datagram (e.g. an ICMP "port unreachable" for an earlier
    -- answer) is printed and the server goes on; the original would die.
    print(story or addr)
  else
    print(conn, addr)
    -- ASCII letters only, byte for byte, like Python's bytes.upper()
    udp_server_client:sendto(wire.upper(conn), addr.host, addr.port)
  end
end
