package e2e

import (
	"strings"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// The packet plugin's builders on real raw sockets (here, not in the
// plugin's tests: a plugin's tests may not load the socket plugin).

// raw runs code, which returns "no privilege" when it could not open a raw
// socket (checked by netcore's tests), and skips then.
func raw(t *testing.T, code string) {
	t.Helper()
	res := nshtest.Run(t, "", 20*time.Second, "-e", code)
	if res.Code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	if strings.Contains(res.Stdout, "no privilege") {
		t.Skip("raw sockets need root or CAP_NET_RAW here")
	}
	if !strings.Contains(res.Stdout, "ok") {
		t.Fatalf("stdout:\n%s", res.Stdout)
	}
}

// TestICMPEchoOnRawSocket sends a built echo request to 127.0.0.1 and
// decodes the kernel's reply (a raw ICMP socket reads the IP header too).
func TestICMPEchoOnRawSocket(t *testing.T) {
	raw(t, `
local s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
if not s then print("no privilege") return end
s:settimeout(5)
assert(s:sendto(packet.icmp{id=0x4e53, seq=9, payload="nsh ping"}, "127.0.0.1", 0))
-- a raw ICMP socket sees every ICMP packet of the host: look for our reply (bounded)
local t0 = socket.gettime()
while socket.gettime() - t0 < 5 do
  local data = assert(s:recvfrom(1500))
  local ok, p = pcall(packet.decode, data, "ip")
  if ok and p.icmp and p.icmp.type == 0 and p.icmp.id == 0x4e53 then
    assert(p.icmp.seq == 9 and p.payload == "nsh ping" and p.ip.src == "127.0.0.1", p.payload)
    s:close()
    print("ok")
    return
  end
end
error("no echo reply")
`)
}

// TestUDPOnRawSocket sends built datagrams from raw sockets to an ordinary
// UDP socket: the kernel delivers them only with a correct checksum (the
// corrupted copy must not arrive). IPPROTO_UDP takes the UDP header,
// IPPROTO_RAW the whole IPv4 packet.
func TestUDPOnRawSocket(t *testing.T) {
	raw(t, `
local r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
if not r then print("no privilege") return end
local u = assert(socket.udp()); assert(u:setsockname("127.0.0.1", 0)); u:settimeout(0.5)
local _, port = u:getsockname()
local function dgram(payload, ip)
  return packet.udp{src="127.0.0.1", dst="127.0.0.1", sport=12345, dport=port, payload=payload, ip=ip}
end
-- a wrong checksum first: same datagram, one payload byte changed after building
local bad = dgram("hellp"); bad = bad:sub(1, -2) .. "o"
assert(r:sendto(bad, "127.0.0.1", 0))
assert(r:sendto(dgram("hello"), "127.0.0.1", 0))
local data, ip, from = u:receivefrom()
assert(data == "hello" and from == 12345, tostring(data) .. " from " .. tostring(from))
local whole = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
assert(whole:sendto(dgram("whole packet", true), "127.0.0.1", 0))
data, ip, from = u:receivefrom()
assert(data == "whole packet" and from == 12345, tostring(data))
data = u:receivefrom()
assert(data == nil, "a datagram with a bad checksum was delivered: " .. tostring(data))
r:close(); whole:close(); u:close()
print("ok")
`)
}
