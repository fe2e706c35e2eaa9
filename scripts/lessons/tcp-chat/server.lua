-- Seed 000 (000_f54574ad7420c1b1.txt), program 1: the "simple QQ chat" server (简单的模拟qq对话).
-- A one-to-one conversation, as in the original: the operator answers one client at a time
-- (listen(2) queues the others), so this server does not spawn a task per connection.
local serve = require("lessons.lib.serve")

local sk = serve.tcp(2) -- bind 127.0.0.1:8000, listen(2), ready line
print("......")
while true do
  local conn, addr, story = sk:accept()
  if conn == nil then
    error(story or addr, 0)
  end
  lesson.own(conn) -- closed by the runner if the lesson is stopped mid-conversation
  print(addr)
  local done = false
  while true do
    local date, err = conn:recv(1024)
    if date == nil or date == "" then
      break -- an error or the client left: wait for the next one
    end
    print(date) -- nsh: bytes are printed as they are (the original's str(date, "utf8") raises
    --             on invalid UTF-8 or a character split across two recv calls)
    local inp = lesson.input(">>>>:")
    -- nsh fix: an empty reply is not sent: send(b"") sends nothing and the client would wait
    -- for ever in recv. Ask again.
    while inp == "" do
      print("(an empty reply sends nothing and the client would wait for ever: type some text)")
      inp = lesson.input(">>>>:")
    end
    if inp == nil then
      done = true -- nsh: the operator's input ended (the original raises EOFError)
      break
    end
    conn:sendall(inp) -- the original's send(); sendall sends all of a long reply
  end
  conn:close()
  lesson.own(conn, false)
  if done then
    print("no more input: closing")
    break
  end
end
sk:close()
