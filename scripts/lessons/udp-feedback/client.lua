-- Seed 003 (003_a5ec4fc2432cb0f4.txt): the UDP case's client: create the socket, send the
-- content to the server, receive its feedback (recvfrom(200)). One datagram per input line.
local WAIT = tonumber(lesson.flags.wait or 5) or error("--wait needs a number of seconds", 0)

local family = string.find(lesson.host, ":", 1, true) and socket.AF_INET6 or socket.AF_INET
local sock = socket.socket(family, socket.SOCK_DGRAM)
sock:settimeout(WAIT) -- nsh: UDP may lose the feedback; do not wait for ever
while true do
  local text = lesson.input(">>>")
  if text == nil then
    break
  end
  sock:sendto(text, lesson.host, lesson.port)
  local data, err, story = sock:recvfrom(200)
  if data == nil then
    print("no feedback: " .. (story or err))
  else
    print(data)
  end
end
sock:close()
