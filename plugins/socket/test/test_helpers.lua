-- Protocol helpers, the fast file paths, addresses and module functions.
dofile("test/lib.lua")

function TestHelpersMixedWithRecvLoseNoBytes()
  local c, a, srv = pair()
  c:sendall("HEAD\r\nline two\nABCDEFGH<END>tail-bytes")
  eq(a:recvline(), "HEAD", "strips \\r\\n")
  eq(a:recvline(), "line two")
  eq(a:recvexactly(4), "ABCD")
  eq(a:recvuntil("<END>"), "EFGH<END>", "delimiter included")
  eq(a:recv(4), "tail", "recv takes the buffered bytes first")
  eq(a:receive(6), "-bytes")
  eq(c:sendline("ping"), 5)
  eq(a:recvline(), "ping")
  c:close()
  fails("closed", nil, a:recvline())
  a:close(); srv:close()
end

function TestHelperPartialAndLimits()
  local c, a, srv = pair()
  c:sendall("abc")
  c:shutdown(socket.SHUT_WR)
  local data, short, story, partial = a:recvexactly(10)
  eq(data, nil); eq(short, "closed"); eq(partial, "abc")
  a:close(); c:close(); srv:close()

  c, a, srv = pair()
  c:sendall("0123456789")
  data, short = a:recvuntil("\n", 4)
  eq(data, nil)
  assert(short ~= nil)
  raises("recvuntil: delimiter must not be empty", a.recvuntil, a, "")
  raises("recvline: max must be positive", a.recvline, a, 0)
  a:close(); c:close(); srv:close()
end

function TestSendfileRecvfile()
  local src = os.tmpname()
  local f = io.open(src, "wb")
  local body = string.rep("0123456789abcdef", 4096) -- 64 KiB
  f:write(body); f:close()
  local c, a, srv = pair()
  eq(c:sendfile(src), #body)
  eq(c:sendfile(src, 10, 6), 6)
  c:close()
  local dst = os.tmpname()
  eq(a:recvfile(dst, #body), #body)
  eq(a:recv(100), "abcdef")
  local g = io.open(dst, "rb"); local got = g:read("*a"); g:close()
  eq(#got, #body); assert(got == body, "file content differs")
  eq(a:recvfile(dst, 10), 0, "peer closed: nothing more to move")
  os.remove(src); os.remove(dst)
  a:close(); srv:close()
end

function TestAddressForms()
  local srv = socket.socket()
  assert(srv:bind({host = "127.0.0.1", port = 0}))
  assert(srv:listen())
  local addr, port, family = srv:getsockname()
  eq(addr.port, port); eq(family, "inet"); eq(addr.family, "inet")
  local c = socket.socket()
  assert(c:connect(addr), "an address table is accepted back")
  local a, from = srv:accept()
  eq(getmetatable(from), getmetatable(addr))
  eq(tostring(from), "127.0.0.1:" .. from.port)
  a:close(); c:close(); srv:close()
end

function TestConstantsAndByteOrder()
  for _, name in ipairs({"AF_INET", "AF_INET6", "AF_UNIX", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW",
      "SOL_SOCKET", "SO_REUSEADDR", "SO_REUSEPORT", "SO_BROADCAST", "SO_KEEPALIVE", "SO_RCVBUF",
      "SO_SNDBUF", "SO_LINGER", "IPPROTO_TCP", "TCP_NODELAY", "SHUT_RD", "SHUT_WR", "SHUT_RDWR"}) do
    assert(type(socket[name]) == "number", name)
  end
  eq(socket.ntohs(socket.htons(0x1234)), 0x1234)
  eq(socket.ntohl(socket.htonl(0x12345678)), 0x12345678)
  eq(socket.htons(1), 256, "little-endian host")
  eq(socket.htonl(1), 16777216)
  raises("socket.htons: value out of range: 65536", socket.htons, 65536)
end

function TestInetConversions()
  eq(socket.inet_aton("127.0.0.1"), "\127\0\0\1")
  eq(socket.inet_ntoa("\10\0\0\1"), "10.0.0.1")
  eq(#socket.inet_pton(socket.AF_INET6, "::1"), 16)
  eq(socket.inet_ntop(socket.AF_INET6, socket.inet_pton(socket.AF_INET6, "fe80::1")), "fe80::1")
  eq(socket.inet_ntop(socket.AF_INET, socket.inet_pton(socket.AF_INET, "1.2.3.4")), "1.2.3.4")
  raises("socket.inet_aton: illegal IP address string", socket.inet_aton, "1.2.3")
  raises("socket.inet_ntoa: packed IP wrong length", socket.inet_ntoa, "abc")
  raises("socket.inet_pton: illegal IP address string", socket.inet_pton, socket.AF_INET, "::1")
  raises("socket.inet_ntop: invalid length", socket.inet_ntop, socket.AF_INET6, "abcd")
end

function TestNameLookups()
  assert(#socket.gethostname() > 0)
  eq(socket.gethostbyname("127.0.0.1"), "127.0.0.1")
  eq(socket.gethostbyname("localhost"), "127.0.0.1")
  local infos = socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM)
  eq(#infos, 1)
  eq(infos[1].family, socket.AF_INET); eq(infos[1].type, socket.SOCK_STREAM)
  eq(infos[1].proto, socket.IPPROTO_TCP)
  eq(tostring(infos[1].addr), "127.0.0.1:80")
  eq(#socket.getaddrinfo("127.0.0.1", nil), 2, "stream and datagram")
  raises("socket.getaddrinfo: port out of range: 70000", socket.getaddrinfo, "localhost", 70000)
end

function TestFileErrors()
  local c, a, srv = pair()
  fails("no such file or directory", "sendfile /nonexistent/file: no such file or directory",
    c:sendfile("/nonexistent/file"))
  fails("no such file or directory", "recvfile /nonexistent/dir/out", a:recvfile("/nonexistent/dir/out", 10))
  raises("sendfile: offset must not be negative: -1", c.sendfile, c, "/etc/hostname", -1)
  raises("recvfile: bad argument #2 (count expected, got no value)", a.recvfile, a, "/tmp/x")
  c:close(); a:close(); srv:close()
end

function TestShutdownNames()
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local c = assert(socket.connect("127.0.0.1", port))
  local a = server:accept()
  eq(c:shutdown("send"), 1)
  fails("closed", nil, a:receive("*a")) -- the peer sees the end of stream
  eq(a:shutdown("receive"), 1)
  eq(a:shutdown(), 1, "default both")
  c:close(); a:close(); server:close()
end

function TestLuaSocketDNS()
  local ip, info = socket.dns.toip("localhost")
  eq(ip, "127.0.0.1"); eq(info.name, "localhost"); eq(info.ip[1], "127.0.0.1")
  eq(socket.dns.toip("10.1.2.3"), "10.1.2.3")
  fails("host not found", "toip no.such.host.invalid", socket.dns.toip("no.such.host.invalid"))
  eq(socket.dns.gethostname(), socket.gethostname())
  local list = socket.dns.getaddrinfo("127.0.0.1")
  eq(list[1].family, "inet"); eq(list[1].addr, "127.0.0.1")
  eq(socket.dns.tohostname("127.0.0.1"), "localhost", "from /etc/hosts")
end

function TestSetbufferBatchesReplies()
  local c, a, srv = pair()
  eq(a:setbuffer(4096), 1)
  for i = 1, 3 do eq(a:sendall("+OK\r\n"), 5) end
  eq(a:sendline("x"), 2)
  c:settimeout(0)
  fails("timeout", nil, c:recv(100)) -- nothing has left yet
  c:settimeout(nil)
  eq(a:flush(), 1)
  eq(c:recvexactly(17), "+OK\r\n+OK\r\n+OK\r\nx\n")
  -- a read that goes to the kernel sends the buffer first: request/reply cannot hang
  c:sendall("pong")
  a:sendall("bye")
  eq(a:recv(4), "pong") -- flushed "bye" before waiting
  eq(c:recvexactly(3), "bye")
  a:sendall("last")
  a:close() -- close sends what is left
  eq(c:receive("*a"), "last")
  c:close(); srv:close()
end

function TestSetbufferMisuse()
  local u = socket.udp()
  raises("setbuffer: only a stream", u.setbuffer, u, 10)
  local c, a, srv = pair()
  raises("setbuffer: bad argument #1 (size must be 0 to", c.setbuffer, c, -1)
  eq(c:setbuffer(0), 1)
  eq(c:flush(), 1) -- nothing buffered: nothing to do
  u:close(); c:close(); a:close(); srv:close()
end
