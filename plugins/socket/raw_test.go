package socket_test

import (
	"strings"
	"testing"
)

// TestRawICMPEcho pings 127.0.0.1 from Lua through a SOCK_RAW socket, the
// packet built and checked in Lua. Without CAP_NET_RAW it checks the
// error instead and skips.
func TestRawICMPEcho(t *testing.T) {
	L, h := newState(t)
	err := L.DoString(`
local function checksum(s)
  local sum = 0
  for i = 1, #s - 1, 2 do sum = sum + s:byte(i) * 256 + s:byte(i + 1) end
  if #s % 2 == 1 then sum = sum + s:byte(#s) * 256 end
  while sum > 0xffff do sum = (sum % 0x10000) + math.floor(sum / 0x10000) end
  return 0xffff - sum
end
local function u16(n) return string.char(math.floor(n / 256), n % 256) end
local id, seq, payload = 0x4e53, 9, "nsh lua ping"
local body = u16(id) .. u16(seq) .. payload
local pkt = "\8\0" .. u16(checksum("\8\0\0\0" .. body)) .. body
local s, short, story = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
if not s then
  assert(short == "operation not permitted", short)
  assert(story == "socket: operation not permitted", story)
  print("no privilege")
  return
end
assert(tostring(s):find("^<raw "), tostring(s))
s:settimeout(5)
assert(s:sendto(pkt, "127.0.0.1", 0) == #pkt)
-- A raw socket sees every ICMP packet, our own request too.
for _ = 1, 50 do
  local data, from = assert(s:recvfrom(1500))
  local msg = data:sub((data:byte(1) % 16) * 4 + 1)
  if msg:byte(1) == 0 and msg:sub(5, 8) == u16(id) .. u16(seq) then
    assert(from.host == "127.0.0.1", tostring(from))
    assert(msg:sub(9) == payload, msg)
    assert(checksum(msg) == 0, "reply checksum")
    print("echo reply")
    break
  end
end
s:close()
`)
	if err != nil {
		t.Fatal(err)
	}
	switch out := strings.TrimSpace(h.Out.String()); out {
	case "echo reply":
	case "no privilege":
		t.Skip("raw sockets need CAP_NET_RAW; the error was checked")
	default:
		t.Fatalf("no echo reply: %q", out)
	}
}
