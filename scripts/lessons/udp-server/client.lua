-- Seed 001 (001_394bf0749423bbd3.txt): the UDP client the document describes but does not
-- show: socket(AF_INET, SOCK_DGRAM), sendto the server, recvfrom the reply.
local WAIT = tonumber(lesson.flags.wait or 5) or error("--wait needs a number of seconds", 0)

local family = string.find(lesson.host, ":", 1, true) and socket.AF_INET6 or socket.AF_INET
local udpSocket = socket.socket(family, socket.SOCK_DGRAM)
-- nsh: a reply may be lost (UDP does not resend), so the client waits WAIT seconds at most
udpSocket:settimeout(WAIT)

-- exchange sends one datagram and prints the reply; false when nothing came back.
local function exchange(data)
  local ok, err, story = udpSocket:sendto(data, lesson.host, lesson.port)
  if ok == nil and err ~= nil then
    -- e.g. "message too long": one datagram holds at most 65507 bytes of data over IPv4
    -- (65535 minus the 8-byte UDP and 20-byte IP headers)
    print(string.format("sendto %d bytes: %s", #data, story or err))
    return false
  end
  local reply, rerr, rstory = udpSocket:recvfrom(65535)
  if reply == nil then
    print(string.format("no reply: %s", rstory or rerr))
    return false
  end
  return reply
end

if lesson.flags.size then
  local n = tonumber(lesson.flags.size) or error("--size needs a number of bytes", 0)
  local reply = exchange(string.rep("x", n))
  if reply then
    print(string.format("sent one datagram of %d bytes, got %d bytes back", n, #reply))
  end
else
  while true do
    local inp = lesson.input(">>>")
    if inp == nil then
      break
    end
    local reply = exchange(inp) -- an empty line is a datagram too: UDP keeps boundaries
    if reply then
      print(reply)
    end
  end
end
udpSocket:close()
