-- Seed 004 (004_2238c7022b5357ff.txt): the TCP server "服务端.py", replies upper-cased.
-- Same defaults as the original: 127.0.0.1:8081, listen(5), recv(1024); same bytes back.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")

local BUFSIZE = 1024 -- 每次接收数据的大小

local s = serve.tcp(5) -- socket, bind, listen(5), then the ready line "listening on ..."

-- nsh fix: one task per connection, so a second client is served while the first one talks
-- (the original answers one client at a time; the others wait in the listen queue).
serve.each(s, function(conn, addr)
  print(conn)
  print(addr)
  print(string.format("接到来自%s的电话", addr[1])) -- "call from <ip>"
  while true do
    local msg, err, story = conn:recv(BUFSIZE)
    if msg == nil then
      -- nsh fix: a reset connection ends this conversation only, not the server
      print(story or err)
      break
    end
    if #msg == 0 then
      break -- the client left (without this check the original would spin forever)
    end
    print(string.format("%q", msg), type(msg))
    -- ASCII letters only, like Python's bytes.upper(): the reply has the message's length
    conn:sendall(wire.upper(msg))
  end
end)
