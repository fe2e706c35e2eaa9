package socket_test

import (
	"bufio"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// lingerPeer is a python3 server: it prints its port, accepts one
// connection, reads to the end and prints how many bytes arrived and how
// the stream ended ("eof" or "reset").
const lingerPeer = `
import socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
print(srv.getsockname()[1], flush=True)
c, _ = srv.accept()
n, end = 0, "eof"
try:
    while True:
        b = c.recv(65536)
        if not b: break
        n += len(b)
except ConnectionResetError:
    end = "reset"
print(n, end, flush=True)
`

// TestLingerShapesAgainstPeer sends 2 MiB with sendall to a python3 peer
// and closes, after a setsockopt(SO_LINGER) of each shape: the malformed
// ones must raise and leave the socket as it was (so the peer gets all
// 2 MiB and a clean end), where {1} used to set "linger 0 s" and the peer
// got ~128 KB, then a reset. {1, 5} lingers and also delivers everything;
// {1, 0} is the one that asks for the reset.
func TestLingerShapesAgainstPeer(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the SO_LINGER test against a real peer")
	}
	const size = 2 << 20
	cases := []struct {
		value, raise, end string
	}{
		{"{1}", "SO_LINGER takes {onoff, seconds}", "eof"},
		{"{1, -1}", "linger seconds out of range", "eof"},
		{"{1, 0.5}", "linger seconds must be a whole number", "eof"},
		{"{on = 1, timeout = 0}", "linger field on must be a boolean", "eof"},
		{"{on = true}", "linger timeout must be a number, got nil", "eof"},
		{"{1, 0, on = true}", "exactly the fields on and timeout", "eof"},
		{"{1, 5}", "", "eof"},
		{"{on = true, timeout = 5}", "", "eof"},
		{"{1, 0}", "", "reset"},
	}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			cmd := exec.Command(py, "-c", lingerPeer)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			r := bufio.NewReader(out)
			port, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			L, _ := newState(t)
			L.SetGlobal("port", lua.LString(strings.TrimSpace(port)))
			L.SetGlobal("value", mustEval(t, L, c.value))
			err = L.DoString(`
				local s = assert(socket.socket())
				assert(s:connect("127.0.0.1", tonumber(port)))
				local ok, err = pcall(s.setsockopt, s, socket.SOL_SOCKET, socket.SO_LINGER, value)
				raised = not ok and tostring(err) or ""
				assert(s:sendall(string.rep("x", ` + strconv.Itoa(size) + `)))
				s:close()`)
			if err != nil {
				t.Fatal(err)
			}
			raised := L.GetGlobal("raised").String()
			if c.raise == "" && raised != "" || !strings.Contains(raised, c.raise) {
				t.Fatalf("setsockopt(SO_LINGER, %s) raised %q, want %q", c.value, raised, c.raise)
			}
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			f := strings.Fields(line)
			if len(f) != 2 || f[1] != c.end || (c.end == "eof" && f[0] != strconv.Itoa(size)) {
				t.Fatalf("after SO_LINGER %s the peer got %s bytes and %s, want %d and %s", c.value, f[0], f[1], size, c.end)
			}
		})
	}
}

func mustEval(t *testing.T, L *lua.LState, expr string) lua.LValue {
	t.Helper()
	if err := L.DoString("return " + expr); err != nil {
		t.Fatal(err)
	}
	v := L.Get(-1)
	L.Pop(1)
	return v
}
