-- Seed 004 (004_2238c7022b5357ff.txt): the TCP client "客户端.py": connect_ex, skip empty
-- input, send, print the upper-cased reply. Same defaults: 127.0.0.1:8081, prompt ">>: ".
local wire = require("lessons.lib.wire")

local s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if string.find(lesson.host, ":", 1, true) then
  s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
end
local errno = s:connect_ex(lesson.host, lesson.port) -- 拨电话
if errno ~= 0 then
  -- nsh fix: the original ignores connect_ex's error number and fails later, on send
  error(string.format("connect %s:%d: error number %d (connection refused?)", lesson.host, lesson.port, errno), 0)
end

s = require("lessons.lib.tls").client(s) -- nsh: --tls [--cafile FILE]

local rd = wire.reader(s, 1024)
while true do
  local msg = lesson.input(">>: ")
  if msg == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  msg = wire.strip(msg)
  if #msg > 0 then -- empty input: sending b"" would send nothing and recv would wait forever
    s:sendall(msg)
    -- nsh fix: the reply has exactly as many bytes as the message (upper() keeps the length),
    -- so read that many; the original's single recv(1024) leaves the rest of a long reply to
    -- be printed after the next message.
    local feedback, err, story = rd:exactly(#msg)
    if feedback == nil then
      if err == "closed" then
        print("the server closed the connection")
        break
      end
      error(story or err, 0)
    end
    print(feedback)
  end
end
s:close()
