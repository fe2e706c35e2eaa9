-- Seed 001 (001_394bf0749423bbd3.txt), section 3.3: the UDP server skeleton (创建UDP服务器):
-- socket(AF_INET, SOCK_DGRAM), bind, then for ever recvfrom / sendto. The document leaves the
-- port and the reply open: nsh uses port 9000 and sends each datagram back to its sender.
local serve = require("lessons.lib.serve")

local udpSocket = serve.udp() -- 创建服务器套接字, 绑定服务器套接字, ready line
while true do -- 服务器无限循环
  -- 65535: the whole of any datagram (the document's recvfrom() needs a size; a smaller one
  -- would cut longer datagrams: UDP keeps each datagram whole or truncates it)
  local data, addr, story = udpSocket:recvfrom(65535)
  if data == nil then
    if addr == "interrupted" then
      break
    end
    print(story or addr) -- e.g. an ICMP error from an earlier reply: keep serving
  else
    print(addr, #data .. " bytes", #data <= 80 and data or string.sub(data, 1, 80) .. "...")
    local ok, err, sstory = udpSocket:sendto(data, addr[1], addr[2])
    if ok == nil and err ~= nil then
      print(sstory or err)
    end
  end
end
udpSocket:close() -- 关闭套接字
