-- Seed 000 (000_f54574ad7420c1b1.txt), program 2: the remote command client: send a command,
-- read the output's length (ASCII decimal), then read until that many bytes have arrived.
local wire = require("lessons.lib.wire")

local sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if string.find(lesson.host, ":", 1, true) then
  sk = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
end
local ok, err, story = sk:connect(lesson.host, lesson.port)
if ok == nil and err ~= nil then
  error(story or err, 0)
end
-- nsh fix: the output's length is bounded (the original reads any length the server sends,
-- into memory)
local MAX = tonumber(lesson.flags["max-size"] or 67108864)
if MAX == nil or MAX < 0 or MAX % 1 ~= 0 then
  error("--max-size needs a whole number of bytes", 0)
end
local rd = wire.reader(sk, 1024)
while true do
  local inp = lesson.input(">>>>:")
  if inp == nil or inp == "q" then
    break -- "q" as in the original; nsh: the end of input also ends the client
  end
  -- nsh fix: an empty command is not sent (send(b"") sends nothing; recv would wait for ever)
  if inp ~= "" then
    sk:sendall(inp)
    -- nsh fix: the original takes its first recv(1024) as the whole length, and crashes when
    -- the length and the output arrive stuck together ("5hello"). nsh keeps reading after the
    -- digits: see wire.decimal_length for how "4123\n" (4 + "123\n"?) is told apart.
    local result_len, lerr, lstory = rd:decimal_length({max = MAX})
    if result_len == nil then
      if lerr == "closed" then
        print("the server closed the connection")
        break
      end
      error(lstory or lerr, 0)
    end
    if result_len > MAX then
      error(string.format("the server announced %d bytes, over --max-size %d", result_len, MAX), 0)
    end
    print(result_len)
    local date, derr, dstory = rd:exactly(result_len)
    if date == nil then
      error(dstory or derr, 0)
    end
    print(date) -- nsh: the bytes as they are (the original decodes GBK, Windows' code page)
  end
end
sk:close()
