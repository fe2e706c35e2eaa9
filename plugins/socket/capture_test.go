package socket_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestCaptureMisuse: bad options raise an error naming socket.capture.
func TestCaptureMisuse(t *testing.T) {
	L, _ := newState(t)
	for code, want := range map[string]string{
		`socket.capture(5)`:           "socket.capture: bad argument #1 (table of options expected, got number)",
		`socket.capture{ports=8080}`:  "ports must be a table of port numbers, got number",
		`socket.capture{ports={0}}`:   "ports must be numbers from 1 to 65535, got 0",
		`socket.capture{ports={"x"}}`: "ports must be numbers from 1 to 65535, got x",
		`socket.capture{file=3}`:      "file must be a path, got number",
		`socket.capture{colour=true}`: "unknown option colour (ports, file, quiet)",
		`socket.capture({}, 2)`:       "socket.capture: too many arguments",
	} {
		err := L.DoString(code)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", code, err, want)
		}
	}
}

// TestCaptureToFile captures a UDP exchange of the state's sockets into a
// pcapng file; the live lines go to the host's stdout. Without the
// privilege it checks the error instead.
func TestCaptureToFile(t *testing.T) {
	L, h := newState(t)
	file := filepath.Join(t.TempDir(), "u.pcapng")
	L.SetGlobal("file", lua.LString(file))
	err := L.DoString(`
local cap, short, story = socket.capture{file=file}
if not cap then
  assert(short == "operation not permitted", short)
  assert(story:find("CAP_NET_RAW", 1, true), story)
  print("no privilege")
  return
end
assert(tostring(cap):find("^capture %(the session's sockets, 0 packets, file "), tostring(cap))
local a = assert(socket.udp()); assert(a:setsockname("127.0.0.1", 0))
local b = assert(socket.udp()); assert(b:setsockname("127.0.0.1", 0))
local _, bport = b:getsockname()
assert(a:sendto("hello", "127.0.0.1", bport))
assert(b:receive() == "hello")
for _ = 1, 200 do if cap:count() >= 1 then break end socket.sleep(0.01) end
local n = assert(cap:stop())
assert(n == 1, n)
assert(tostring(cap):find("stopped%)$"), tostring(cap))
assert(cap:stop() == 1) -- again: the same answer
`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.Out.String(), "no privilege") {
		t.Skip("no CAP_NET_RAW here; the error was checked")
	}
	if !strings.Contains(h.Out.String(), `5 bytes "hello"`) {
		t.Errorf("live lines:\n%s", h.Out.String())
	}
	if st, err := os.Stat(file); err != nil || st.Size() < 100 {
		t.Fatalf("capture file: %v %v", st, err)
	}
}
