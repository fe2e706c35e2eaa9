package socket_test

import (
	"strconv"
	"testing"
)

// BenchmarkReceiveTimeout: a non-blocking LuaSocket receive that finds
// nothing, what a socket.select loop gets on most of its calls: nil,
// "timeout", partial. Its error and story cost more than the empty read.
func BenchmarkReceiveTimeout(b *testing.B) {
	L, _ := newState(b)
	if err := L.DoString(`
		local srv = assert(socket.bind("127.0.0.1", 0))
		local _, port = srv:getsockname()
		c = assert(socket.connect("127.0.0.1", port))
		a = assert(srv:accept())
		a:settimeout(0)
		function loop(n)
			for i = 1, n do
				local d, err, partial = a:receive(64)
				if err ~= "timeout" or partial ~= "" then error(tostring(err)) end
			end
		end`); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := L.DoString("loop(" + strconv.Itoa(b.N) + ")"); err != nil {
		b.Fatal(err)
	}
}
