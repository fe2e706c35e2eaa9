package shell

import (
	"strings"
	"testing"
)

// TestBusyTaskDoesNotStarveOthers: a task in an endless Lua loop gives the
// session lock up between instructions, so a task beside it still runs,
// sockets are still served, and os.exit still ends the script.
func TestBusyTaskDoesNotStarveOthers(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
local busy = spawn(function() local x = 0 while true do x = x + 1 end end)
local t = spawn(function() sleep(0.01); return "ran" end)
print(t:join(20))
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
spawn(function() local c = srv:accept(); c:sendall(c:recv(100):upper()); c:close() end)
local c = socket.connect("127.0.0.1", port); c:send("hi"); print(c:receive(2)); c:close()
spawn(function() sleep(0.01); os.exit(3) end)
`
	if st := s.RunSource("busy.lua", src, nil); st != 3 {
		t.Fatalf("status %d, want 3 (os.exit beside a busy task): %s", st, errb)
	}
	if got := out.String(); !strings.Contains(got, "true\tran\n") || !strings.Contains(got, "HI\n") {
		t.Fatalf("stdout %q: a task or the echo did not run beside the busy loop", got)
	}
}
