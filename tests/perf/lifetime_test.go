package perf

import "testing"

// benchConnChurn: a client connects, the accept loop spawns a handler that
// sends a byte and returns, closing its connection itself (arg[2] "close")
// or leaving it to its end, which closes it after a walk of what is alive
// found nothing else holds it (shell/lifetime.go). The ratio of the two is
// the cost of that walk.
const benchConnChurn = `
local n, mode = tonumber(arg[1]), arg[2]
local srv = assert(socket.bind("127.0.0.1", 0)); local _, port = srv:getsockname()
local loop = spawn(function()
  for i = 1, n do
    local conn = srv:accept()
    spawn(function() conn:send("x"); if mode == "close" then conn:close() end end)
  end
end)
for i = 1, n do
  local c = assert(socket.connect("127.0.0.1", port))
  assert(c:receive(1) == "x")
  assert(c:receive(1) == nil) -- the handler's end closed the connection
  c:close()
end
loop:join()
srv:close()`

// BenchmarkConnChurnHandlerCloses: connection churn where the handler
// closes its connection.
func BenchmarkConnChurnHandlerCloses(b *testing.B) {
	if !haveSocket(b) {
		b.Skip("the socket plugin is not built in")
	}
	run(b, benchConnChurn, n(b), "close")
}

// BenchmarkConnChurnHandlerForgets: the same, the handler leaving its
// connection for its end to close.
func BenchmarkConnChurnHandlerForgets(b *testing.B) {
	if !haveSocket(b) {
		b.Skip("the socket plugin is not built in")
	}
	run(b, benchConnChurn, n(b), "keep")
}

// TestConnChurn runs the churn script once each way: a handler that forgets
// to close still closes its connection when it ends.
func TestConnChurn(t *testing.T) {
	if !haveSocket(t) {
		t.Skip("the socket plugin is not built in")
	}
	run(t, benchConnChurn, "50", "close")
	run(t, benchConnChurn, "50", "keep")
}
