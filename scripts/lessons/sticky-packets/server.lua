-- Seed 002 (002_3da697648a31ddfe.txt), Q7 "什么是粘包?": the document answers in prose only;
-- this server (and the client) show it live. Defaults: 127.0.0.1:8990, listen(5).
-- Every connection starts with one mode byte, read alone with recv(1):
--   s  sticky: wait --wait seconds, then ONE recv(1024); answer struct 'i' length + what it got.
--      Why it is reliable: TCP keeps one byte queue per connection, not messages. The client's
--      two sends are on their way at once; after waiting, both sit in the kernel's receive
--      queue, and recv(1024) returns everything queued, up to 1024 bytes: "hellojames". (Only
--      a loopback that took longer than --wait to carry 10 bytes would split them.)
--   f  framed: wait the same, then read struct 'i' length-prefixed messages until the end of
--      the stream, answering each one framed the same way: the messages come out whole.
--   e  echo: like f without the wait; the client times send(header), send(body), recv rounds.
-- One task per connection.
local serve = require("lessons.lib.serve")
local struct = require("struct")

local wait = tonumber(lesson.flags.wait or 0.5)
if wait == nil or wait < 0 then
  error("--wait needs a number of seconds >= 0", 0)
end

local MAX = 1048576 -- the largest framed message accepted
local server = serve.tcp(5) -- socket, bind, listen(5), then the ready line "listening on ..."
serve.each(server, function(conn, addr)
  local mode = serve.check(conn:recv(1))
  if mode == "s" then
    sleep(wait)
    local data = serve.check(conn:recv(1024))
    print(string.format("sticky: %s: after %g s one recv(1024) returned %d bytes: %s", tostring(addr), wait, #data, data))
    serve.check(conn:sendall(struct.pack("i", #data) .. data))
  elseif mode == "f" or mode == "e" then
    if mode == "f" then
      sleep(wait)
    end
    while true do
      local header, err, story = conn:recvexactly(4)
      if header == nil then
        if err == "closed" then
          break -- the client ended its side: no more messages
        end
        error(story or err, 0)
      end
      local n = struct.unpack("i", header)
      if n < 0 or n > MAX then
        error(string.format("bad frame length %d from %s", n, tostring(addr)), 0)
      end
      local msg = serve.check(conn:recvexactly(n))
      if mode == "f" then
        print(string.format("framed: %s: message of %d bytes: %s", tostring(addr), n, msg))
      end
      serve.check(conn:sendall(struct.pack("i", #msg) .. msg))
    end
  elseif mode ~= "" then
    print(string.format("%s: unknown mode %q", tostring(addr), mode))
  end
end)
