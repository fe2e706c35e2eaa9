-- Seed 002 (002_3da697648a31ddfe.txt), Q4 "为何基于tcp协议的通信比基于udp协议的通信更可靠?" ("tcp: 可靠,
-- 没收到确认信息就重发; udp: 不可靠 一直发数据"), shown live: the same N messages over UDP and TCP.
-- No program in the document: nsh's demo, receivers and senders in this one process. On a lossy
-- link (docs/lessons.md: a network namespace with tc netem, or an nftables random drop) UDP loses
-- datagrams and nobody resends them; TCP delivers every byte, in order, resending what was lost.
local serve = require("lessons.lib.serve")

local function number_flag(key, default, min, max)
  local v = lesson.flags[key]
  local n = tonumber(v or default)
  if n == nil or n < min or n > max then
    error(string.format("--%s needs a number from %s to %s, got %q", key, min, max, tostring(v)), 0)
  end
  return n
end

local COUNT = math.floor(number_flag("count", 200, 1, 100000)) -- messages over each protocol
local WAIT = number_flag("wait", 1, 0.05, 60) -- UDP: seconds of silence before the receiver stops
local TIMEOUT = number_flag("timeout", 60, 1, 3600) -- TCP: seconds at most for connect and each recv

-- message i: fixed size, numbered, so the receiver can tell which ones are missing
local function message(i)
  return string.format("message %06d of %06d\n", i, COUNT)
end
local SIZE = #message(1)

-- snmp returns the kernel's counter proto.field from /proc/net/snmp (counted for the whole
-- network namespace: exact inside a namespace of its own), or nil where there is none.
local function snmp(proto, field)
  local f = io.open("/proc/net/snmp", "r")
  if not f then
    return nil
  end
  local names
  for line in f:lines() do
    local p, rest = line:match("^(%a+): (.*)$")
    if p == proto then
      if not names then
        names = {}
        for w in rest:gmatch("%S+") do
          names[#names + 1] = w
        end
      else
        local i = 0
        for w in rest:gmatch("%S+") do
          i = i + 1
          if names[i] == field then
            f:close()
            return tonumber(w)
          end
        end
      end
    end
  end
  f:close()
  return nil
end

local function delta(before, proto, field)
  local now = snmp(proto, field)
  if before == nil or now == nil then
    return nil
  end
  return now - before
end

-- bound makes a socket of kind bound to lesson.host (port lesson.port; 0 picks a free one).
local function bound(kind)
  local s = socket.socket(serve.family(lesson.host), kind)
  local ok, err, story = s:bind(lesson.host, lesson.port)
  if ok == nil and err ~= nil then
    s:close()
    error(story or err, 0)
  end
  lesson.own(s) -- closed by the runner if the lesson is stopped
  return s
end

local function missing_list(got)
  local out = {}
  for i = 1, COUNT do
    if not got[i] then
      out[#out + 1] = tostring(i)
      if #out == 10 then
        out[#out + 1] = "..."
        break
      end
    end
  end
  return table.concat(out, ", ")
end

-- 1. UDP: COUNT datagrams as fast as sendto goes, no acknowledgement, no resending.
local function udp_round()
  local rx = bound(socket.SOCK_DGRAM)
  -- a buffer for the whole burst, so that what is lost is lost on the link, not at a full
  -- receive buffer (that happens too, and the kernel counts it: RcvbufErrors below)
  rx:setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
  local addr = rx:getsockname()
  local overflows = snmp("Udp", "RcvbufErrors")
  local receiver = spawn(function()
    rx:settimeout(WAIT)
    local got, n = {}, 0
    while n < COUNT do
      local data, err, story = rx:recvfrom(SIZE)
      if data == nil then
        if err == "timeout" then
          break -- nothing for WAIT seconds: whatever is missing is not coming
        end
        error(story or err, 0)
      end
      local i = tonumber(data:match("^message (%d+) of"))
      if i and i >= 1 and i <= COUNT and not got[i] then
        got[i], n = true, n + 1
      end
    end
    return got, n
  end)
  local tx = socket.socket(serve.family(lesson.host), socket.SOCK_DGRAM)
  lesson.own(tx)
  local refused = 0
  for i = 1, COUNT do
    local ok, err = tx:sendto(message(i), addr[1], addr[2])
    if ok == nil and err ~= nil then
      refused = refused + 1 -- e.g. an ICMP error reported on a later send: UDP goes on
    end
  end
  tx:close()
  local ok, got, n = receiver:join()
  rx:close()
  if not ok then
    error(got, 0)
  end
  print(string.format("UDP: sent %d datagrams of %d bytes to %s; %d arrived, %d lost", COUNT, SIZE, tostring(addr), n, COUNT - n))
  if n < COUNT then
    print("     lost: " .. missing_list(got))
    print("     nobody resends them: UDP has no acknowledgements (the receiver gave up after " .. WAIT .. " s of silence)")
  else
    print("     nothing lost: this link drops nothing (docs/lessons.md shows how to make a lossy one)")
  end
  local full = delta(overflows, "Udp", "RcvbufErrors")
  if full and full > 0 then
    print(string.format("     %d of the losses were the receiver's full buffer (Udp RcvbufErrors)", full))
  end
  if refused > 0 then
    print(string.format("     %d sendto calls failed", refused))
  end
  return n
end

-- 2. TCP: the same COUNT messages, one sendall each, on one connection.
local function tcp_round()
  local lst = bound(socket.SOCK_STREAM)
  serve.check(lst:listen(1))
  local addr = lst:getsockname()
  local segs, resent = snmp("Tcp", "OutSegs"), snmp("Tcp", "RetransSegs")
  local receiver = spawn(function()
    lst:settimeout(TIMEOUT)
    local conn = serve.check(lst:accept())
    lesson.own(conn)
    conn:settimeout(TIMEOUT)
    local parts = {}
    while true do
      local data, err, story = conn:recv(65536)
      if data == nil then
        conn:close()
        error(story or err, 0)
      end
      if data == "" then
        break
      end
      parts[#parts + 1] = data
    end
    conn:close()
    return table.concat(parts)
  end)
  local tx = socket.socket(serve.family(lesson.host), socket.SOCK_STREAM)
  lesson.own(tx)
  tx:settimeout(TIMEOUT)
  serve.check(tx:connect(addr[1], addr[2]))
  for i = 1, COUNT do
    serve.check(tx:sendall(message(i)))
  end
  serve.check(tx:shutdown(socket.SHUT_WR)) -- the end of the stream: the receiver's recv returns ""
  local ok, stream = receiver:join()
  tx:close()
  lst:close()
  if not ok then
    error("TCP receiver: " .. tostring(stream), 0)
  end
  local whole = 0 -- messages that arrived whole and in their place in the stream
  for i = 1, COUNT do
    if stream:sub((i - 1) * SIZE + 1, i * SIZE) == message(i) then
      whole = whole + 1
    end
  end
  local total = COUNT * SIZE
  print(string.format("TCP: sent %d messages of %d bytes to %s (%d sendall calls, %d bytes); %d of %d bytes arrived",
    COUNT, SIZE, tostring(addr), COUNT, total, #stream, total))
  if whole == COUNT and #stream == total then
    print("     every message whole and in order")
  else
    print(string.format("     %d of %d messages whole and in place", whole, COUNT))
  end
  local out, again = delta(segs, "Tcp", "OutSegs"), delta(resent, "Tcp", "RetransSegs")
  if out and again then
    -- the kernel glues the small sends into fewer segments, so fewer packets can be lost
    print(string.format("     the kernel sent %d segments (acknowledgements included) and resent %d of them", out, again))
    print("     (Tcp OutSegs and RetransSegs in /proc/net/snmp, counted for the whole network namespace)")
  end
  return whole
end

local udp = udp_round()
local tcp = tcp_round()
print(string.format("same %d messages: UDP delivered %d (%.1f%%), TCP delivered %d (%.1f%%)",
  COUNT, udp, 100 * udp / COUNT, tcp, 100 * tcp / COUNT))
