package repl

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// kernelSockets lists what ss(8) shows on a TCP port in the states that
// hold a socket (LISTEN and ESTAB): after nsh closed its sockets only the
// kernel's TIME_WAIT and FIN_WAIT rows, which are no sockets, may remain.
func kernelSockets(t *testing.T, port string) string {
	t.Helper()
	out, err := exec.Command("ss", "-tanH", "state", "listening", "state", "established", "( sport = :"+port+" )").CombinedOutput()
	if err != nil {
		t.Fatalf("ss: %v: %s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func needSS(t *testing.T) {
	if _, err := exec.LookPath("ss"); err != nil {
		t.Skip("ss (iproute2) is not installed")
	}
}

// connectAndHold connects to port from outside nsh, sends a line and
// returns the connection (its reads see nsh's close).
func connectAndHold(t *testing.T, port string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, ptyWait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.Write([]byte("hello\n"))
	return c
}

// checkClosedAndFree: the peer reads the end of the stream, ss shows no
// socket of nsh's on the port, and the port can be bound again at once,
// by another process and by nsh itself.
func checkClosedAndFree(t *testing.T, p *ptySession, port string, peer net.Conn) {
	t.Helper()
	peer.SetReadDeadline(time.Now().Add(ptyWait))
	if _, err := bufio.NewReader(peer).ReadString('\n'); err == nil || !strings.Contains(err.Error(), "EOF") {
		t.Errorf("the peer did not see the connection close: %v", err)
	}
	if rows := kernelSockets(t, port); rows != "" {
		t.Errorf("ss still shows sockets on port %s after Ctrl-C:\n%s", port, rows)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("port %s cannot be bound again: %v", port, err)
	}
	ln.Close()
	if out := p.run(`again = assert(socket.bind("127.0.0.1", ` + port + `)); again:close(); print("rebound")`); !strings.Contains(out, "rebound") {
		t.Errorf("nsh cannot bind port %s again: %q", port, out)
	}
	if out := p.run(".sockets"); !strings.Contains(out, "no open sockets") {
		t.Errorf(".sockets after Ctrl-C:\n%s", out)
	}
}

var portRE = regexp.MustCompile(`port=(\d+)`)

// TestPTYCtrlCClosesTheLinesSockets: Ctrl-C on a line blocked in accept,
// then on one blocked reading the connection it accepted: what the line
// made, kept by no global, is closed at once.
func TestPTYCtrlCClosesTheLinesSockets(t *testing.T) {
	needPlugin(t, "socket")
	needSS(t)
	p := startNSH(t)
	p.send(`local srv = assert(socket.bind("127.0.0.1", 0)); print("port=" .. select(2, srv:getsockname())); srv:accept()` + "\r")
	port := portRE.FindStringSubmatch(p.expectRE(portRE))[1]
	if rows := kernelSockets(t, port); !strings.Contains(rows, "LISTEN") {
		t.Fatalf("ss shows no listener on %s:\n%s", port, rows)
	}
	p.send("\x03")
	p.expect("interrupted")
	p.expect("nsh> ")
	if rows := kernelSockets(t, port); rows != "" {
		t.Errorf("ss after Ctrl-C on accept:\n%s", rows)
	}
	// accepted, reading: both the listener and the connection go
	p.send(`local srv = assert(socket.bind("127.0.0.1", 0)); print("port=" .. select(2, srv:getsockname())); local c = srv:accept(); print(c:recvline()); c:recvline()` + "\r")
	port = portRE.FindStringSubmatch(p.expectRE(portRE))[1]
	peer := connectAndHold(t, port)
	p.expect("hello")
	p.send("\x03")
	p.expect("interrupted")
	p.expect("nsh> ")
	checkClosedAndFree(t, p, port, peer)
	// a listener the line kept in a global is the session's: it stays
	p.send(`kept = assert(socket.bind("127.0.0.1", 0)); print("port=" .. select(2, kept:getsockname())); kept:accept()` + "\r")
	port = portRE.FindStringSubmatch(p.expectRE(portRE))[1]
	p.send("\x03")
	p.expect("interrupted")
	p.expect("nsh> ")
	if rows := kernelSockets(t, port); !strings.Contains(rows, "LISTEN") {
		t.Errorf("the global's listener is gone after Ctrl-C:\n%s", rows)
	}
	if out := p.run("kept"); !strings.Contains(out, "LISTEN>") {
		t.Errorf("kept after Ctrl-C: %q", out)
	}
}

// TestPTYCtrlCClosesTheScriptsSockets: Ctrl-C on a script run with .run
// that serves a connection (its listener a global, the connection a local
// of a task) closes both.
func TestPTYCtrlCClosesTheScriptsSockets(t *testing.T) {
	needPlugin(t, "socket")
	needSS(t)
	p := startNSH(t)
	script := filepath.Join(p.cmd.Dir, "serve.lua")
	os.WriteFile(script, []byte(`srv = assert(socket.bind("127.0.0.1", 0))
print("port=" .. select(2, srv:getsockname()))
spawn(function()
  local c = srv:accept()
  print(c:recvline())
  c:recvline()
end)
while true do sleep(1) end
`), 0o644)
	p.send(".run serve.lua\r")
	port := portRE.FindStringSubmatch(p.expectRE(portRE))[1]
	peer := connectAndHold(t, port)
	p.expect("hello")
	if rows := kernelSockets(t, port); strings.Count(rows, "\n") != 1 {
		t.Fatalf("ss shows no listener and connection on %s:\n%s", port, rows)
	}
	p.send("\x03")
	p.expect(".run serve.lua: interrupted (closed the 2 sockets it left open)")
	p.expect("nsh> ")
	checkClosedAndFree(t, p, port, peer)
}
