-- Datagram paths (dgram_io.go): the reused per-socket state and the
-- remembered literal of sendto must never send to a stale address.
dofile("test/lib.lua")

local function udp(host)
  local u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  assert(u:bind(host, 0))
  u:settimeout(5)
  return u, u:getsockname()
end

-- One sender alternates between two literals and two ports: every
-- datagram lands where its own sendto said.
function TestSendtoAlternatingTargets()
  local a, aa = udp("127.0.0.1")
  local b, ba = udp("127.0.0.2")
  local c, ca = udp("127.0.0.1")
  local s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  for i = 1, 20 do
    eq(s:sendto("a" .. i, "127.0.0.1", aa.port), #("a" .. i))
    eq(s:sendto("b" .. i, {"127.0.0.2", ba.port}), #("b" .. i))
    eq(s:sendto("c" .. i, "127.0.0.1", ca.port), #("c" .. i))
  end
  for i = 1, 20 do
    eq(a:recvfrom(100), "a" .. i)
    eq(b:recvfrom(100), "b" .. i)
    eq(c:recvfrom(100), "c" .. i)
  end
  -- The same literal with a bad port is still an error naming the port,
  -- and a name after a literal is resolved as a name.
  local ok, err = pcall(s.sendto, s, "x", "127.0.0.1", 70000)
  assert(not ok and tostring(err):find("70000"), tostring(err))
  eq(s:sendto("l", "localhost", aa.port), 1)
  eq(a:recvfrom(100), "l")
  for _, u in ipairs({a, b, c, s}) do u:close() end
end

-- An echo loop answering addr[1], addr[2] from recvfrom, for peers on two
-- addresses, and LuaSocket's receivefrom/sendto on the same socket.
function TestEchoToRecvfromAddress()
  local srv, sa = udp("127.0.0.1")
  local p1 = udp("127.0.0.1")
  local p2 = udp("127.0.0.2")
  for i = 1, 10 do
    for _, p in ipairs({p1, p2}) do
      assert(p:sendto("m" .. i, sa))
      local data, addr = srv:recvfrom(65536)
      eq(data, "m" .. i)
      assert(srv:sendto(data:upper(), addr[1], addr[2]))
      local back, from = p:recvfrom(100)
      eq(back, "M" .. i)
      eq(from.port, sa.port)
    end
  end
  assert(p1:sendto("ls", sa))
  local data, ip, port = srv:receivefrom()
  eq(data, "ls")
  eq(ip, "127.0.0.1")
  assert(srv:sendto("LS", ip, port))
  eq(p1:recvfrom(10), "LS")
  for _, u in ipairs({srv, p1, p2}) do u:close() end
end
