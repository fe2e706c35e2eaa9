package socket_test

import (
	"strconv"
	"testing"
)

// BenchmarkPingPong measures one request/response round trip through the
// Lua API on a connected loopback pair: send, recv, send, recv.
func BenchmarkPingPong(b *testing.B) {
	for _, mode := range []string{"recv", "recvline", "receive"} {
		b.Run(mode, func(b *testing.B) {
			L, _ := newState(b)
			if err := L.DoString(`
				local srv = assert(socket.bind("127.0.0.1", 0))
				local _, port = srv:getsockname()
				c = assert(socket.connect("127.0.0.1", port))
				a = assert(srv:accept())
				function loop_recv(n)
					for i = 1, n do c:send("ping\n"); local r = a:recv(64); a:send(r); c:recv(64) end
				end
				function loop_recvline(n)
					for i = 1, n do c:sendline("ping"); local r = a:recvline(); a:sendline(r); c:recvline() end
				end
				function loop_receive(n)
					for i = 1, n do c:send("ping\n"); local r = a:receive(); a:send(r .. "\n"); c:receive() end
				end`); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			if err := L.DoString("loop_" + mode + "(" + strconv.Itoa(b.N) + ")"); err != nil {
				b.Fatal(err)
			}
		})
	}
}
