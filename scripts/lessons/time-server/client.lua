-- Seed 002 (002_3da697648a31ddfe.txt), Q12/Q13: the UDP time client ("客户端"): sends each
-- input line, prints the answer and the server's address. Defaults: 127.0.0.1:8080, prompt
-- ">>>:", recvfrom(1024).
-- nsh fixes: the original then ran Windows' `date` and `time` commands to set this machine's
-- clock, and set it to its own local time, not the server's. nsh prints the offset between
-- the two clocks instead, and sets the clock to the server's time only with --set-clock (which
-- needs root). It also gives up on a lost answer after --timeout seconds.
local serve = require("lessons.lib.serve")
local wire = require("lessons.lib.wire")
local time = require("time")
local exec = require("exec")

local FORMAT = "%Y-%m-%d %H:%M:%S"
local timeout = tonumber(lesson.flags.timeout or 5) or error("--timeout needs a number of seconds", 0)
local set_clock = lesson.flags.set_clock == true or lesson.flags.set_clock == "true"

-- report prints how far the server's clock is from ours. The answer has whole seconds, so the
-- server's clock read somewhere in [t, t+1) while the datagrams were on their way: the best
-- guess is t + 0.5 at the midpoint of the round trip, within 0.5 s + half the round trip.
local function report(answer, sent, received)
  local ok, server_time = pcall(time.strptime, answer, FORMAT)
  if not ok or server_time == nil then
    return false
  end
  local middle = (sent + received) / 2
  local offset = server_time + 0.5 - middle
  print(string.format("offset: the server's clock is %+.3f s from this one (± %.3f s)", offset, 0.5 + (received - sent) / 2))
  return true
end

local function set_local_clock(answer)
  -- `date -s` takes the same "%Y-%m-%d %H:%M:%S" text; it fails unless we may set the clock.
  local r, err, story = exec.run({"date", "-s", answer}, {timeout = 10})
  if r == nil then
    print("set clock: " .. (story or err))
  elseif r.ok then
    print("clock set to " .. answer)
  else
    print("set clock: " .. wire.strip(r.stderr ~= "" and r.stderr or r.stdout))
  end
end

local client = socket.socket(serve.family(lesson.host), socket.SOCK_DGRAM)
client:settimeout(timeout)
while true do
  local msg = lesson.input(">>>:")
  if msg == nil then
    break -- nsh: end of input ends the client (the original raises EOFError)
  end
  msg = wire.strip(msg)
  if #msg > 0 then -- nsh: an empty line would send an empty datagram; skip it
    local sent = time.now()
    serve.check(client:sendto(msg, lesson.host, lesson.port))
    local data, server_addr, story = client:recvfrom(1024)
    local received = time.now()
    if data == nil then
      if server_addr ~= "timeout" and server_addr ~= "connection refused" then
        error(story or server_addr, 0)
      end
      print(string.format("no answer from %s:%d (%s)", lesson.host, lesson.port, server_addr))
    else
      print(data, server_addr)
      if msg == "time" and report(data, sent, received) and set_clock then
        set_local_clock(data)
      end
    end
  end
end
client:close()
