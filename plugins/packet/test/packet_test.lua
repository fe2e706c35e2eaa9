-- Lua-level tests of the packet plugin; every global Test* function runs as
-- a Go subtest.

local function raises(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error matching " .. pattern)
  assert(string.find(err, pattern, 1, true), "error was: " .. tostring(err))
end

local function eq(got, want)
  assert(got == want, "got " .. string.format("%q", tostring(got)) .. ", want " .. string.format("%q", tostring(want)))
end

function TestUDPRoundTrip()
  local d = packet.udp{src="127.0.0.1", dst="127.0.0.2", sport=5000, dport=9999, payload="hello", ip=true, ttl=7}
  eq(#d, 20 + 8 + 5)
  local p = packet.decode(d, "ip")
  eq(table.concat(p.layers, ","), "ipv4,udp")
  eq(p.ip.version, 4); eq(p.ip.src, "127.0.0.1"); eq(p.ip.dst, "127.0.0.2"); eq(p.ip.ttl, 7); eq(p.ip.proto, 17)
  eq(p.udp.sport, 5000); eq(p.udp.dport, 9999); eq(p.udp.len, 13)
  eq(p.payload, "hello")
  -- without ip=true: the 8-byte header and the payload, as a SOCK_RAW IPPROTO_UDP socket sends them
  local bare = packet.udp{src="127.0.0.1", dst="127.0.0.2", sport=5000, dport=9999, payload="hello"}
  eq(bare, d:sub(21))
  eq(packet.decode(bare, "udp").udp.checksum, p.udp.checksum)
end

function TestUDPv6()
  local d = packet.udp{src="::1", dst="::1", sport=1, dport=2, payload="x", ip=true}
  local p = packet.decode(d, "ip")
  eq(p.ip.version, 6); eq(p.ip.src, "::1"); eq(p.udp.dport, 2); eq(p.payload, "x")
end

function TestTCPFlagsAndOptions()
  for _, flags in ipairs({"SYN,ACK", "SYN-ACK", "syn ack", {SYN=true, ACK=true}}) do
    local s = packet.tcp{src="10.0.0.1", dst="10.0.0.2", sport=40000, dport=80, seq=4294967295, ack=7,
      flags=flags, window=1024, mss=1460, wscale=7, ip=true}
    local p = packet.decode(s, "ipv4")
    eq(p.tcp.flags, "SYN,ACK"); assert(p.tcp.flag.SYN and p.tcp.flag.ACK and not p.tcp.flag.FIN)
    eq(p.tcp.seq, 4294967295); eq(p.tcp.ack, 7); eq(p.tcp.window, 1024)
    eq(p.tcp.options.mss, 1460); eq(p.tcp.options.wscale, 7)
    eq(p.payload, "")
  end
  local data = packet.decode(packet.tcp{src="::1", dst="::1", sport=1, dport=2, flags="PSH,ACK", payload="hi", ip=true}, "ipv6")
  eq(data.tcp.flags, "PSH,ACK"); eq(data.payload, "hi")
end

function TestICMPAndIPv4()
  local ping = packet.icmp{id=7, seq=3, payload="nsh"}
  local p = packet.decode(ping, "icmp")
  eq(p.icmp.type, 8); eq(p.icmp.code, 0); eq(p.icmp.id, 7); eq(p.icmp.seq, 3); eq(p.payload, "nsh")
  eq(p.icmp.name, "EchoRequest")
  local whole = packet.ipv4{src="127.0.0.1", dst="127.0.0.1", proto="icmp", payload=ping, id=99, df=true}
  local q = packet.decode(whole, "ipv4")
  eq(table.concat(q.layers, ","), "ipv4,icmp"); eq(q.ip.id, 99); eq(q.ip.flags, "DF"); eq(q.icmp.seq, 3)
  eq(packet.icmp{id=7, seq=3, payload="nsh", ip=true, src="127.0.0.1", dst="127.0.0.1"}:sub(21), ping)
end

-- A DNS query for example.com (type A) as a resolver sends it, decoded
-- alone and inside UDP to port 53.
function TestDNS()
  local q = "\18\52\1\0\0\1\0\0\0\0\0\0\7example\3com\0\0\1\0\1"
  local p = packet.decode(q, "dns")
  eq(p.dns.id, 0x1234); eq(p.dns.qr, false); eq(p.dns.rd, true)
  eq(#p.dns.questions, 1); eq(p.dns.questions[1].name, "example.com"); eq(p.dns.questions[1].type, "A")
  local answer = "\18\52\129\128\0\1\0\1\0\0\0\0\7example\3com\0\0\1\0\1" ..
    "\192\12\0\1\0\1\0\0\14\16\0\4\93\184\216\34"
  local u = packet.decode(packet.udp{src="127.0.0.1", dst="127.0.0.1", sport=53, dport=4000, payload=answer, ip=true}, "ip")
  eq(table.concat(u.layers, ","), "ipv4,udp,dns")
  eq(u.dns.qr, true); eq(u.dns.rcode, "No Error")
  eq(u.dns.answers[1].name, "example.com"); eq(u.dns.answers[1].data, "93.184.216.34"); eq(u.dns.answers[1].ttl, 3600)
  eq(u.payload, answer)
  -- port 53 carrying something else: the bytes stay payload
  eq(packet.decode(packet.udp{src="127.0.0.1", dst="127.0.0.1", sport=53, dport=53, payload="hello", ip=true}, "ip").payload, "hello")
end

function TestEthernet()
  local frame = string.rep("\0", 12) .. "\8\0" .. packet.udp{src="127.0.0.1", dst="127.0.0.1", sport=1, dport=2, payload="e", ip=true}
  local p = packet.decode(frame)
  eq(table.concat(p.layers, ","), "ethernet,ipv4,udp"); eq(p.eth.type, 0x0800); eq(p.eth.src, "00:00:00:00:00:00")
end

function TestBadInput()
  local whole = packet.tcp{src="127.0.0.1", dst="127.0.0.1", sport=1, dport=2, flags="ACK", payload="hi", ip=true}
  for n = 1, 19 do
    raises("packet.decode: malformed or truncated ipv4 header", packet.decode, whole:sub(1, n), "ipv4")
  end
  for n = 20, 41 do
    raises("packet.decode: truncated ipv4 packet (its header says 42 bytes, " .. n .. " given)", packet.decode, whole:sub(1, n), "ipv4")
  end
  for n = 1, 19 do
    raises("packet.decode: malformed or truncated tcp header", packet.decode, whole:sub(21, 20 + n), "tcp")
  end
  raises("packet.decode: malformed or truncated udp header", packet.decode, "abc", "udp")
  raises("packet.decode: no bytes to decode", packet.decode, "", "ipv4")
  raises("packet.decode: bad argument #1 (string of bytes expected, got number)", packet.decode, 5)
  raises("packet.decode: bad argument #2 (layer name expected, got table)", packet.decode, "x", {})
  raises([[packet.decode: bad argument #2 (unknown layer "arp"]], packet.decode, "x", "arp")
  raises("packet.tcp: bad argument #1 (table of fields expected, got no value)", packet.tcp)
  raises("packet.tcp: unknown field colour (fields: ", packet.tcp, {colour=1})
  raises("packet.tcp: field dst is needed", packet.tcp, {src="127.0.0.1"})
  raises([[packet.udp: field src must be an IP address, got "localhost"]], packet.udp, {src="localhost", dst="127.0.0.1"})
  raises("packet.udp: field sport must be a whole number from 0 to 65535, got 70000", packet.udp, {src="::1", dst="::1", sport=70000})
  raises("packet.udp: field sport must be a number, got string", packet.udp, {src="::1", dst="::1", sport="x"})
  raises("packet.udp: src 127.0.0.1 and dst ::1 are not of one family", packet.udp, {src="127.0.0.1", dst="::1"})
  raises("packet.udp: field payload is 65528 bytes", packet.udp, {src="::1", dst="::1", payload=string.rep("x", 65528)})
  raises([[packet.tcp: field flags has an unknown flag "SYNN"]], packet.tcp, {src="::1", dst="::1", flags="SYNN"})
  raises("packet.tcp: field ip must be a boolean, got number", packet.tcp, {src="::1", dst="::1", ip=1})
  raises("packet.icmp: field src is needed", packet.icmp, {ip=true})
  raises("packet.icmp: builds ICMPv4 only", packet.icmp, {src="::1", dst="::1"})
  raises([[packet.ipv4: field proto must be "tcp", "udp", "icmp" or a number, got "sctpx"]], packet.ipv4, {src="1.2.3.4", dst="1.2.3.4", proto="sctpx"})
  raises("packet.ipv4: src and dst must be IPv4 addresses", packet.ipv4, {src="::1", dst="::1"})
  raises("packet.ipv4: too many arguments", packet.ipv4, {}, 2)
end
