-- Seed 002 (002_3da697648a31ddfe.txt), Q7 "什么是粘包?": the client that shows it, against
-- the lesson's server (its header comment describes the modes). Defaults: 127.0.0.1:8990.
--   1. two quick sends, 'hello' and 'james', come out of one recv(1024) as 'hellojames';
--   2. the fix: a 4-byte struct 'i' length before each message, read back exactly;
--   3. TCP_NODELAY: rounds of send(header), send(body), recv(answer), with Nagle's algorithm on
--      (TCP_NODELAY=0, Python's default) and off. With it on, the body waits until the header
--      is acknowledged, and the server delays that acknowledgement (up to ~40 ms on Linux)
--      hoping to send it with an answer it cannot write before the body comes: every round
--      stalls. TCP_NODELAY=1, or one send of header and body together, removes the stall.
local serve = require("lessons.lib.serve")
local struct = require("struct")

local rounds = tonumber(lesson.flags.rounds or 20)
if rounds == nil or rounds < 1 or rounds % 1 ~= 0 then
  error("--rounds needs a whole number >= 1", 0)
end

local MAX = 1048576 -- the largest framed message, as the server accepts

local function connect(mode, nodelay)
  local c = socket.socket(serve.family(lesson.host), socket.SOCK_STREAM)
  if nodelay ~= nil then
    serve.check(c:setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, nodelay))
  end
  serve.check(c:connect(lesson.host, lesson.port))
  serve.check(c:send(mode))
  return c
end

local function recv_framed(c)
  local header, err, story = c:recvexactly(4)
  if header == nil then
    if err == "closed" then
      return nil
    end
    error(story or err, 0)
  end
  -- nsh fix: the length is bounded as the server bounds it (a negative or huge one is refused)
  local n = struct.unpack("i", header)
  if n < 0 or n > MAX then
    error(string.format("bad header: length %d (at most %d)", n, MAX), 0)
  end
  return serve.check(c:recvexactly(n))
end

-- 1. sticky packets
local c = connect("s")
serve.check(c:send("hello"))
serve.check(c:send("james"))
print("1. sticky packets: send('hello'), send('james'); the server waited, then one recv(1024) got: "
  .. recv_framed(c))
c:close()

-- 2. the fix: length-prefix framing
c = connect("f")
for _, word in ipairs({"hello", "james"}) do
  serve.check(c:send(struct.pack("i", #word)))
  serve.check(c:send(word))
end
serve.check(c:shutdown(socket.SHUT_WR))
print("2. framed: each message sent as struct.pack('i', len) + bytes; the server read back:")
while true do
  local msg = recv_framed(c)
  if msg == nil then
    break
  end
  print("   message: " .. msg)
end
c:close()

-- 3. Nagle's algorithm and TCP_NODELAY
print(string.format("3. %d rounds of send(header), send(body), recv(answer):", rounds))
for _, nodelay in ipairs({0, 1}) do
  c = connect("e", nodelay)
  local start = socket.gettime()
  for _ = 1, rounds do
    serve.check(c:send(struct.pack("i", 5)))
    serve.check(c:send("hello"))
    recv_framed(c)
  end
  local took = (socket.gettime() - start) / rounds * 1000
  print(string.format("   TCP_NODELAY=%d: %.2f ms a round", nodelay, took))
  c:close()
end
