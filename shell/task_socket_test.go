package shell

import (
	"strings"
	"testing"
)

// TestTasksBlockedOnSocketsInsidePcall: many tasks blocked in socket calls
// inside pcall while others cancel some of them, close the sockets under
// others and serve the rest. Every task ends the way it should; run with
// -race it checks the lock hand-offs around netcore.
func TestTasksBlockedOnSocketsInsidePcall(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local n = 300
local srv = assert(socket.socket()); assert(srv:bind("127.0.0.1", 0)); assert(srv:listen(512))
local port = srv:getsockname().port
local clients, conns, readers = {}, {}, {}
for i = 1, n do
  clients[i] = assert(socket.socket()); assert(clients[i]:connect("127.0.0.1", port))
  conns[i] = assert(srv:accept())
end
for i = 1, n do
  readers[i] = spawn(function()
    local ok, data, short = pcall(conns[i].recvline, conns[i])
    assert(ok, data)
    return data, short
  end)
end
local acceptor = spawn(function() return pcall(srv.accept, srv) end)
local function waiting()
  local w = 0
  for _, t in ipairs(tasks()) do if t.state == "waiting" then w = w + 1 end end
  return w
end
while waiting() < n + 1 do sleep(0.001) end -- every reader is in recvline
for i = 1, n do
  if i % 3 == 0 then readers[i]:cancel()
  elseif i % 3 == 1 then conns[i]:close()
  else assert(clients[i]:sendall("line " .. i .. "\n")) end
end
srv:close()
local counts = {interrupted = 0, closed = 0, served = 0}
for i = 1, n do
  local ok, data, short = readers[i]:join()
  if i % 3 == 0 then assert(not ok and data == "interrupted", tostring(data)); counts.interrupted = counts.interrupted + 1
  elseif i % 3 == 1 then assert(ok and data == nil and short == "closed", tostring(short)); counts.closed = counts.closed + 1
  else assert(ok and data == "line " .. i, tostring(data)); counts.served = counts.served + 1 end
end
local ok, pok, c, short = acceptor:join()
assert(ok and pok and c == nil and short == "closed", tostring(short))
for i = 1, n do clients[i]:close(); conns[i]:close() end
print(counts.interrupted, counts.closed, counts.served)
`
	if st := s.RunSource("socks.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := strings.TrimSpace(out.String()); got != "100\t100\t100" {
		t.Fatalf("got %q; stderr %s", got, errb)
	}
}
