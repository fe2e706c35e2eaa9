-- Errors: misuse raises, run-time failures return nil, short, story.
dofile("test/lib.lua")

function TestWrongArgumentTypes()
  local s = socket.socket()
  raises("bind: bad argument #2 (port expected, got table)", s.bind, s, "127.0.0.1", {})
  raises("bind: bad argument #2 (port expected, got string)", s.bind, s, "127.0.0.1", "http")
  raises("bind: bad argument #1 (host or {host, port} expected, got number)", s.bind, s, 80)
  raises("bind: bad argument #2 (port expected, got no value)", s.bind, s, "127.0.0.1")
  raises("socket.bind: bad argument #2 (port expected, got string)", socket.bind, "127.0.0.1", "abc")
  raises("socket.connect: bad argument #1", socket.connect, nil, 80)
  raises("recv: bad argument #1 (bufsize expected, got no value)", s.recv, s)
  raises("recv: bad argument #1 (bufsize expected, got table)", s.recv, s, {})
  raises("recv: bufsize must not be negative", s.recv, s, -1)
  raises("recv: bad argument #1 (bufsize must be an integer, got 1.5)", s.recv, s, 1.5)
  raises("send: bad argument #1 (string expected, got nil)", s.send, s, nil)
  raises("setsockopt: bad argument #3 (number or boolean expected, got string)",
    s.setsockopt, s, socket.SOL_SOCKET, socket.SO_REUSEADDR, "yes")
  raises("settimeout: bad argument #1 (number or nil expected, got string)", s.settimeout, s, "1")
  raises("socket.socket: bad argument #1 (family expected, got table)", socket.socket, {})
  raises("recv: bad self (socket expected, got number; call it as sock:recv(...))", s.recv, 5)
  raises("setoption: unknown option \"nosuch\"", s.setoption, s, "nosuch", true)
  raises("shutdown: bad argument #1", s.shutdown, s, "sideways")
  raises("socket.select: bad argument #1 (table or nil expected, got string)", socket.select, "x")
  s:close()
end

function TestWrongArgumentCounts()
  local s = socket.socket()
  raises("recv: too many arguments (at most 2, got 3)", s.recv, s, 10, 0)
  raises("listen: too many arguments", s.listen, s, 5, 6)
  raises("bind: too many arguments", s.bind, s, "127.0.0.1", 0, 1)
  raises("socket.tcp: too many arguments (at most 0, got 1)", socket.tcp, 1)
  raises("accept: too many arguments", s.accept, s, 1)
  s:close()
end

function TestPortOutOfRange()
  local s = socket.socket()
  raises("bind: port out of range: 70000", s.bind, s, "127.0.0.1", 70000)
  raises("bind: port out of range: -1", s.bind, s, {"127.0.0.1", -1})
  raises("connect: port out of range: 65536", s.connect, s, "127.0.0.1", 65536)
  raises("socket.connect: port out of range: 70000", socket.connect, "127.0.0.1", 70000)
  raises("sendto: port out of range: 70000", socket.udp().sendto, socket.udp(), "x", "127.0.0.1", 70000)
  s:close()
end

function TestUnresolvableHost()
  local s = socket.socket()
  fails("host not found", "no.such.host.invalid", s:connect("no.such.host.invalid", 80))
  fails("host not found", "no.such.host.invalid", socket.connect("no.such.host.invalid", 80))
  fails("host not found", nil, socket.gethostbyname("no.such.host.invalid"))
  fails("host not found", "getaddrinfo no.such.host.invalid", socket.getaddrinfo("no.such.host.invalid", 80))
  local code, story = s:connect_ex("no.such.host.invalid", 80)
  assert(code == socket.EAI_NONAME or code == socket.EAI_AGAIN, "connect_ex: an EAI_* code for a name, got " .. tostring(code))
  assert(tostring(story):find("resolve no.such.host.invalid: host not found", 1, true), story)
  fails("host not found", nil, socket.udp():sendto("x", "no.such.host.invalid", 9))
  s:close()
end

-- connect_ex answers Python's codes with a story: Python's socket.gaierror
-- numbers (glibc's EAI_*) for a name that does not resolve, the errno for a
-- failed connect. "bad host!" fails in the resolver without a query.
function TestConnectExCodes()
  eq(socket.EAI_NONAME, -2); eq(socket.EAI_AGAIN, -3); eq(socket.EAI_FAIL, -4)
  eq(socket.EAI_SERVICE, -8); eq(socket.EAI_SYSTEM, -11)
  local s = socket.socket()
  local code, story = s:connect_ex("bad host!", 80)
  eq(code, socket.EAI_NONAME, "unresolvable name")
  eq(story, "resolve bad host!: host not found")
  s:close()
  local srv, port = listener()
  srv:close()
  local d = socket.socket()
  code, story = d:connect_ex("127.0.0.1", port)
  eq(code, 111, "ECONNREFUSED")
  eq(story, "connect 127.0.0.1:" .. port .. ": connection refused")
  d:close()
end

function TestAcceptBeforeListen()
  local s = socket.socket()
  assert(s:bind("127.0.0.1", 0))
  raises("accept: socket is not listening", s.accept, s)
  s:close()
end

function TestListenOnUDP()
  local u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
  raises("listen: not supported on a udp socket", u.listen, u)
  raises("accept: not supported on a udp socket", u.accept, u)
  u:close()
end

-- A closed socket is no misuse (another task may close it at any moment):
-- every call answers nil, "closed", story.
function TestCallsOnClosedSocket()
  local c, a, srv = pair()
  c:close()
  fails("closed", nil, c:send("x"))
  fails("closed", "recv", c:recv(1))
  fails("closed", "connect 127.0.0.1:1", c:connect("127.0.0.1", 1))
  fails("closed", "getsockname", c:getsockname())
  assert(c:close(), "closing twice is harmless")
  a:close(); srv:close()
end

function TestPeerResetsMidRead()
  local c, a, srv = pair()
  assert(c:setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, {1, 0}))
  c:send("partial")
  c:close() -- linger 0: the kernel sends RST
  local data, short, story = a:recv(100)
  if data == "partial" then data, short, story = a:recv(100) end
  fails("connection reset by peer", "recv", data, short, story)
  a:close(); srv:close()
end

function TestPeerNeverAnswers()
  local c, a, srv = pair()
  c:settimeout(0.2)
  fails("timeout", "recv", c:recv(10))
  fails("timeout", nil, c:receive("*l"))
  fails("timeout", nil, c:recvline())
  a:close(); c:close(); srv:close()
end

function TestConnectTwice()
  local c, a, srv = pair()
  fails("already connected", "connect 127.0.0.1:", c:connect("127.0.0.1", srv:getsockname().port))
  eq(c:connect_ex("127.0.0.1", srv:getsockname().port), 106, "EISCONN")
  c:close(); a:close(); srv:close()
end

function TestConnectRefused()
  local port = closedPort()
  local s = socket.socket()
  fails("connection refused", "connect 127.0.0.1:" .. port .. ": connection refused", s:connect("127.0.0.1", port))
  s:close()
  fails("connection refused", "127.0.0.1:" .. port, socket.connect("127.0.0.1", port))
end

function TestBindBusyPort()
  local srv, port = listener()
  local s = socket.socket()
  fails("address already in use", "bind 127.0.0.1:" .. port .. ": address already in use", s:bind("127.0.0.1", port))
  s:close()
  fails("address already in use", nil, socket.bind("127.0.0.1", port))
  srv:close()
end

-- Timeouts too large for time.Duration are capped (block_huge_test.go
-- checks they wait); math.huge blocks forever; NaN is misuse.
function TestHugeAndNaNTimeouts()
  local u = socket.udp()
  raises("settimeout: bad argument #1 (seconds must be a number, got nan)", u.settimeout, u, 0/0)
  raises("socket.sleep: bad argument #1 (seconds must be a number, got nan)", socket.sleep, 0/0)
  raises("socket.select: bad argument #3 (seconds must be a number, got nan)", socket.select, {u}, nil, 0/0)
  assert(u:settimeout(math.huge)); eq(u:gettimeout(), -1, "math.huge blocks")
  assert(u:settimeout(1/0)); eq(u:gettimeout(), -1, "+inf blocks")
  assert(u:settimeout(1e300)); eq(u:gettimeout(), 1e9, "capped")
  u:close()
end

-- Numbers the kernel takes as a C int raise when they do not fit, instead
-- of being cut to 32 bits (setsockopt(2^40, 1, 1) would set IP_TOS).
function TestIntArgumentsOutOfRange()
  local s = socket.socket()
  raises("setsockopt: bad argument #1 (level out of range: 1099511627776)", s.setsockopt, s, 2^40, 1, 1)
  raises("setsockopt: bad argument #3 (value out of range: 4294967296)", s.setsockopt, s, socket.SOL_SOCKET, socket.SO_RCVBUF, 2^32)
  raises("getsockopt: bad argument #2 (option out of range", s.getsockopt, s, socket.SOL_SOCKET, 2^40)
  raises("setsockopt: bad argument #3 (linger seconds out of range", s.setsockopt, s, socket.SOL_SOCKET, socket.SO_LINGER, {1, 2^40})
  raises("setoption: bad argument #2 (value out of range", s.setoption, s, "rcvbuf", 2^33)
  raises("listen: bad argument #1 (backlog out of range", s.listen, s, 2^40)
  raises("socket.socket: bad argument #1 (family out of range", socket.socket, 2^40)
  raises("socket.bind: bad argument #3 (backlog out of range", socket.bind, "127.0.0.1", 0, 2^40)
  eq(s:getsockopt(socket.IPPROTO_IP, socket.IP_TOS), 0, "IP_TOS untouched")
  assert(s:setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2^31 - 1), "the largest C int is fine")
  s:close()
end

-- A NUL inside an AF_UNIX path name would make the kernel bind the part
-- before it; it fails instead (abstract "@" names may hold any byte).
function TestUnixPathWithNUL()
  local u = socket.unix()
  local path = os.tmpname()
  os.remove(path)
  fails("invalid argument", "bind " .. path, u:bind(path .. "\0tail"))
  eq(io.open(path), nil, "nothing was created at the cut path")
  u:close()
end

-- Counts far beyond what will arrive must not allocate them up front (the
-- runtime would kill the process): recv and recvfrom give what is there,
-- recvexactly and receive(n) grow their buffer as bytes come.
function TestHugeCounts()
  local c, a, srv = pair()
  c:send("hello"); eq(a:recv(2^40), "hello")
  c:send("world"); c:close()
  local data, short, story, partial = a:recvexactly(2^40)
  eq(data, nil); eq(short, "closed"); eq(partial, "world")
  a:close(); srv:close()
  local u = socket.udp(); assert(u:setsockname("127.0.0.1", 0))
  local _, port = u:getsockname()
  local v = socket.udp()
  v:sendto("d1", "127.0.0.1", port); v:sendto("d2", "127.0.0.1", port); v:sendto("d3", "127.0.0.1", port)
  eq(u:receive(2^40), "d1")
  eq((u:receivefrom(2^40)), "d2")
  eq((u:recvfrom(2^40)), "d3")
  u:close(); v:close()
end

-- The story of a read cut short names the call made and says the peer closed.
function TestEndOfStreamStories()
  local c, a, srv = pair()
  c:send("par"); c:close()
  local data, short, story, partial = a:recvline()
  eq(data, nil); eq(short, "closed"); eq(partial, "par")
  assert(story:find("^recvline 127%.0%.0%.1:%d+: closed by the peer$"), story)
  a:close(); srv:close()
  local c2, b
  c2, b, srv = pair()
  c2:send("xy"); c2:close()
  local _, _, part, story2 = b:receive("*l")
  eq(part, "xy")
  assert(story2:find("^receive 127%.0%.0%.1:%d+: closed by the peer$"), story2)
  b:close(); srv:close()
  local c3, d
  c3, d, srv = pair()
  c3:send("part"); c3:close()
  local _, _, part3, story3 = d:receive(10)
  eq(part3, "part")
  assert(story3:find("^receive 127%.0%.0%.1:%d+: closed by the peer$"), story3)
  d:close(); srv:close()
end

-- recvfrom gives the same address table for the same peer, so it can key a
-- table as Python's tuples can; a table the script changed is not reused.
function TestAddressTablesReused()
  local u = socket.udp(); assert(u:bind("127.0.0.1", 0))
  local _, port = u:getsockname()
  local v, w = socket.udp(), socket.udp()
  assert(v:bind("127.0.0.1", 0)); assert(w:bind("127.0.0.1", 0))
  v:sendto("a", "127.0.0.1", port); v:sendto("b", "127.0.0.1", port); w:sendto("c", "127.0.0.1", port)
  local seen = {}
  local _, a1 = u:recvfrom(10); local _, a2 = u:recvfrom(10); local _, a3 = u:recvfrom(10)
  assert(a1 == a2, "one peer, one table")
  assert(a1 ~= a3, "another peer, another table")
  seen[a1] = (seen[a1] or 0) + 1; seen[a2] = (seen[a2] or 0) + 1
  eq(seen[a1], 2)
  eq(tostring(a1), "127.0.0.1:" .. select(2, v:getsockname()))
  a1.port = 1
  v:sendto("d", "127.0.0.1", port)
  local _, a4 = u:recvfrom(10)
  assert(a4 ~= a1, "a changed table is not handed out again")
  eq(a4.port, select(2, v:getsockname()))
  u:close(); v:close(); w:close()
end

-- Option values are checked against the option's range before the kernel
-- sees them: it would truncate IP_TOS 300 to 44, clamp SO_RCVBUF -1 to the
-- maximum, or answer a bare "invalid argument".
function TestOptionValueRanges()
  local s = socket.socket()
  local SOL, TCP, IP = socket.SOL_SOCKET, socket.IPPROTO_TCP, socket.IPPROTO_IP
  raises("setsockopt: bad argument #3 (IP_TOS must be an integer 0..255, got 300)", s.setsockopt, s, IP, socket.IP_TOS, 300)
  raises("IP_TTL must be -1 (the system default) or an integer 1..255, got 0", s.setsockopt, s, IP, socket.IP_TTL, 0)
  raises("IP_TTL must be", s.setsockopt, s, IP, socket.IP_TTL, 256)
  raises("SO_RCVBUF must be an integer >= 0, got -1", s.setsockopt, s, SOL, socket.SO_RCVBUF, -1)
  raises("SO_SNDBUF must be an integer >= 0", s.setsockopt, s, SOL, socket.SO_SNDBUF, -5)
  raises("TCP_KEEPCNT must be an integer 1..127, got 128", s.setsockopt, s, TCP, socket.TCP_KEEPCNT, 128)
  raises("TCP_KEEPIDLE must be an integer 1..32767, got 0", s.setsockopt, s, TCP, socket.TCP_KEEPIDLE, 0)
  raises("TCP_KEEPINTVL must be", s.setsockopt, s, TCP, socket.TCP_KEEPINTVL, 40000)
  raises("TCP_MAXSEG must be an integer 0..32767", s.setsockopt, s, TCP, socket.TCP_MAXSEG, -1)
  raises("SO_TYPE is read-only (getsockopt only)", s.setsockopt, s, SOL, socket.SO_TYPE, 1)
  raises("SO_ERROR is read-only", s.setsockopt, s, SOL, socket.SO_ERROR, 0)
  raises("SO_RCVTIMEO takes a struct timeval, not a number (use settimeout)", s.setsockopt, s, SOL, socket.SO_RCVTIMEO, 5)
  raises("setsockopt: bad argument #3 (value must be an integer", s.setsockopt, s, SOL, socket.SO_RCVBUF, 1.5)
  raises("setoption: bad argument #2 (SO_RCVBUF must be an integer >= 0, got -1)", s.setoption, s, "rcvbuf", -1)
  raises("setoption: bad argument #2 (IP_TTL must be", s.setoption, s, "ip-ttl", 1000)
  eq(s:getsockopt(IP, socket.IP_TOS), 0, "IP_TOS untouched by the refused values")
  -- the edges are accepted and take effect
  assert(s:setsockopt(IP, socket.IP_TOS, 255)); eq(s:getsockopt(IP, socket.IP_TOS), 252, "IP_TOS 255 (the kernel masks the ECN bits)")
  assert(s:setsockopt(IP, socket.IP_TTL, -1)); eq(s:getsockopt(IP, socket.IP_TTL), 64, "IP_TTL -1 is the default")
  assert(s:setsockopt(IP, socket.IP_TTL, 255)); eq(s:getsockopt(IP, socket.IP_TTL), 255)
  assert(s:setsockopt(TCP, socket.TCP_KEEPCNT, 127)); eq(s:getsockopt(TCP, socket.TCP_KEEPCNT), 127)
  assert(s:setsockopt(SOL, socket.SO_RCVBUF, 0))
  s:close()
end

-- SO_LINGER takes exactly {onoff, seconds} (integers >= 0, onoff may be a
-- boolean), LuaSocket's {on = boolean, timeout = seconds}, or Python's
-- struct.pack("ii", onoff, seconds); anything else raises and leaves the
-- option as it was (linger_test.go checks the data against a real peer).
function TestLingerValidation()
  local s = socket.socket()
  local SOL, L = socket.SOL_SOCKET, socket.SO_LINGER
  for _, bad in ipairs{ {}, {1}, {nil, 5}, {1, 2, 3}, {1, -1}, {1, 0.5}, {-1, 0}, {0.5, 1}, {"1", 1}, {1, "5"},
      {1, 0/0}, {1, 1/0}, {on = true}, {timeout = 1}, {on = 1, timeout = 1}, {on = true, timeout = -1},
      {on = true, timeout = 1, x = 1}, {1, 1, on = true, timeout = 1} } do
    local ok, err = pcall(s.setsockopt, s, SOL, L, bad)
    assert(not ok and err:find("setsockopt: bad argument #3 (", 1, true), "accepted a bad linger value: " .. tostring(err))
  end
  raises("setsockopt: bad argument #3 ({onoff, seconds} for SO_LINGER expected, got number)", s.setsockopt, s, SOL, L, 1)
  raises("a string must be the 8 bytes of struct.pack", s.setsockopt, s, SOL, L, "\1\0\0\0")
  raises("SO_LINGER onoff and seconds must be >= 0, got 1, -1", s.setsockopt, s, SOL, L, "\1\0\0\0\255\255\255\255")
  raises("setoption: bad argument #2 (linger field on must be a boolean", s.setoption, s, "linger", {on = "yes", timeout = 1})
  raises("setoption: bad argument #2 (SO_LINGER takes", s.setoption, s, "linger", {true})
  local l = s:getsockopt(SOL, L); eq(l[1], 0, "still off after the refusals"); eq(l[2], 0)
  assert(s:setsockopt(SOL, L, {true, 7})); l = s:getsockopt(SOL, L); eq(l[1], 1); eq(l[2], 7)
  assert(s:setsockopt(SOL, L, {0, 0})); l = s:getsockopt(SOL, L); eq(l[1], 0)
  assert(s:setsockopt(SOL, L, "\1\0\0\0\9\0\0\0")); l = s:getsockopt(SOL, L); eq(l[1], 1); eq(l[2], 9)
  assert(s:setoption("linger", {on = false, timeout = 0})); eq(s:getoption("linger").on, false)
  s:close()
end
