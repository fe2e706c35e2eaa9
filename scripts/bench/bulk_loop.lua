-- Bulk transfer through the plain socket API, as a script would write it: a recv or recvfrom
-- loop with a 64 KiB buffer, a send loop of one 64 KiB string (or SIZE-byte datagrams). The
-- benchmark suite runs it against nc (cmd/nsh-bench/loops.go); nothing here is a fast path.
-- usage:
--   nsh scripts/bench/bulk_loop.lua tcp-recv PORT           connect, recv(65536) until the end
--   nsh scripts/bench/bulk_loop.lua tcp-send BYTES [PORT]   listen, send BYTES to one client
--   nsh scripts/bench/bulk_loop.lua udp-recv [PORT]         recvfrom(65536) until 0.5 s of quiet
--   nsh scripts/bench/bulk_loop.lua udp-send PORT BYTES SIZE
-- prints: RESULT bytes=N seconds=S mbps=M [datagrams=D]
local mode = arg[1]
local CHUNK = 65536

local function result(bytes, seconds, extra)
  print(string.format("RESULT bytes=%d seconds=%.4f mbps=%.1f%s", bytes, seconds,
    seconds > 0 and bytes / seconds / 1e6 or 0, extra or ""))
end

if mode == "tcp-recv" then
  local s = assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
  local port = tonumber(arg[2])
  assert(port, "usage: tcp-recv PORT")
  assert(s:connect("127.0.0.1", port))
  local t0, got = time.monotonic(), 0
  while true do
    local data, err = s:recv(CHUNK)
    if data == nil then error("recv: " .. tostring(err), 0) end
    if data == "" then break end
    got = got + #data
  end
  result(got, time.monotonic() - t0)
  s:close()
elseif mode == "tcp-send" then
  local total = tonumber(arg[2])
  assert(total, "usage: tcp-send BYTES [PORT]")
  local srv = assert(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
  assert(srv:bind("127.0.0.1", tonumber(arg[3] or "0")))
  assert(srv:listen(1))
  print("listening on " .. tostring(srv:getsockname()))
  local c = assert(srv:accept())
  local chunk = string.rep("abcdefghijklmnopqrstuvwxyz0123456789\n", math.floor(CHUNK / 37) + 1):sub(1, CHUNK)
  local t0, sent = time.monotonic(), 0
  while sent < total do
    local piece = chunk
    if total - sent < CHUNK then piece = chunk:sub(1, total - sent) end
    assert(c:sendall(piece))
    sent = sent + #piece
  end
  c:close()
  srv:close()
  result(sent, time.monotonic() - t0)
elseif mode == "udp-recv" then
  local s = assert(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
  assert(s:bind("127.0.0.1", tonumber(arg[2] or "0")))
  print("listening on " .. tostring(s:getsockname()))
  io.stdout:flush()
  local got, n, t0, t1 = 0, 0, nil, nil
  s:settimeout(30)
  while true do
    local data, err = s:recvfrom(CHUNK)
    if data == nil then
      if t0 and (err == "timeout" or err == "timed out") then break end
      error("recvfrom: " .. tostring(err), 0)
    end
    t1 = time.monotonic()
    if not t0 then
      t0 = t1
      s:settimeout(0.5)
    end
    got, n = got + #data, n + 1
  end
  result(got, t1 - t0, " datagrams=" .. n)
elseif mode == "udp-send" then
  local port, total, size = tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4])
  assert(port and total and size, "usage: udp-send PORT BYTES SIZE")
  local s = assert(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
  local chunk = string.rep("x", size)
  local t0, sent, n = time.monotonic(), 0, 0
  while sent < total do
    assert(s:sendto(chunk, "127.0.0.1", port))
    sent, n = sent + size, n + 1
  end
  result(sent, time.monotonic() - t0, " datagrams=" .. n)
  s:close()
else
  error("usage: bulk_loop.lua tcp-recv PORT | tcp-send BYTES [PORT] | udp-recv [PORT] | udp-send PORT BYTES SIZE", 0)
end
