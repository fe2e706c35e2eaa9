-- Seed 000 (000_f54574ad7420c1b1.txt), program 1: the "simple QQ chat" client.
-- Prompt ">>>>:", "q" quits; each line is sent and one recv(1024) is printed, as in the original.
local sk = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
if string.find(lesson.host, ":", 1, true) then
  sk = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
end
local ok, err, story = sk:connect(lesson.host, lesson.port)
if ok == nil and err ~= nil then
  error(story or err, 0)
end
while true do
  local inp = lesson.input(">>>>:")
  if inp == nil or inp == "q" then
    break -- "q" as in the original; nsh: the end of input also ends the client
  end
  -- nsh fix: an empty line is not sent: send(b"") sends nothing and recv would wait for ever
  if inp ~= "" then
    sk:sendall(inp)
    local date, rerr, rstory = sk:recv(1024)
    if date == nil then
      error(rstory or rerr, 0)
    end
    if date == "" then
      -- nsh fix: the original prints an empty line and carries on talking to a closed socket
      print("the server closed the connection")
      break
    end
    print(date)
  end
end
sk:close()
