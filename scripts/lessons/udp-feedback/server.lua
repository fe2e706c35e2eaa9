-- Seed 003 (003_a5ec4fc2432cb0f4.txt): the UDP case's server "Serverfunc": create the socket,
-- bind ip and port, receive what the other side sends, send feedback. The document breaks off
-- after "bind"; nsh completes the steps it lists (port 7852, recvfrom(500) and the feedback
-- text are nsh's choices, shared with the Python version in the tests). The same flow as the
-- udp-server lesson, which echoes instead of answering with a fixed text.
local serve = require("lessons.lib.serve")

local REPLY = lesson.flags.reply or "Ich hab keine Hunge"

-- 第一步:建立socket (AF_INET: IPv4, SOCK_DGRAM: UDP); 第二步:绑定ip和port
local sock = serve.udp()
-- nsh: the function handles one datagram and returns; the lesson keeps serving
while true do
  -- 第三步:接受对方发送内容
  local data, addr, story = sock:recvfrom(500)
  if data == nil then
    if addr == "interrupted" then
      break
    end
    print(story or addr)
  else
    print(addr, data)
    -- 第四步:给对方发送反馈
    sock:sendto(REPLY, addr[1], addr[2])
  end
end
sock:close()
