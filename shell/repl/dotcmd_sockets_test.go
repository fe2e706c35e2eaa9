package repl

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"nsh/plugins"
)

// .sockets shows TIME_WAIT as the kernel has it: the server closed its
// connection first (the active close), so the kernel holds that connection
// on the listener's port; and a client still open whose connection ended
// after it shut down first shows TIME_WAIT and its peer, not CLOSE.
func TestDotSocketsShowsTimeWait(t *testing.T) {
	if _, ok := plugins.Get("socket"); !ok {
		t.Skip("no socket plugin in this build")
	}
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("no /proc/net/tcp: the kernel's TIME_WAIT table is not readable here")
	}
	r, ed := newTestREPL(t,
		`srv = socket.bind("127.0.0.1", 0); _, port = srv:getsockname()`,
		`c = socket.connect("127.0.0.1", port); s = srv:accept()`,
		`s:close(); assert(c:recv(1) == ""); c:close()`,
		`c2 = socket.connect("127.0.0.1", port); s2 = srv:accept()`,
		`c2:shutdown("send"); assert(s2:recv(1) == ""); s2:shutdown("send"); assert(c2:recv(1) == "")`,
	)
	r.runLine(`port, (select(2, c2:getsockname()))`)
	ports := strings.Fields(ed.printed())
	if len(ports) != 2 {
		t.Fatalf("ports: %q", ports)
	}
	srvPort, c2Port := ports[0], ports[1]
	closedRow := regexp.MustCompile(`(?m)^-\s+tcp\s+127\.0\.0\.1:` + srvPort + `\s+127\.0\.0\.1:\d+\s+TIME_WAIT\s+-\s+-\s+-$`) // no id, bytes or owner
	openRow := regexp.MustCompile(`(?m)^\d+\s+tcp\s+127\.0\.0\.1:` + c2Port + `\s+127\.0\.0\.1:` + srvPort + `\s+TIME_WAIT\s+`)
	var out string
	// the last FIN reaches the kernel's table asynchronously: look again
	// until it is there (bounded)
	for deadline := time.Now().Add(5 * time.Second); ; {
		r.runLine(".sockets")
		out = ed.printed()
		if closedRow.MatchString(out) && openRow.MatchString(out) || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !closedRow.MatchString(out) {
		t.Errorf(".sockets lacks the closed connection in TIME_WAIT on port %s:\n%s", srvPort, out)
	}
	if !openRow.MatchString(out) {
		t.Errorf(".sockets lacks c2 (port %s) in TIME_WAIT with its peer:\n%s", c2Port, out)
	}
	if !strings.Contains(out, "LISTEN") || !strings.Contains(out, "kernel holds in TIME_WAIT") {
		t.Errorf(".sockets output:\n%s", out)
	}
}

// .sockets marks a socket that speaks TLS ("tcp+tls").
func TestDotSocketsShowsTLS(t *testing.T) {
	if _, ok := plugins.Get("ssl"); !ok {
		t.Skip("no ssl plugin in this build")
	}
	r, ed := newTestREPL(t,
		`ssl = require("ssl"); cert, key = ssl.selfsigned{hosts = {"localhost", "127.0.0.1"}}`,
		`srv = socket.bind("127.0.0.1", 0); _, port = srv:getsockname()`,
		`c = socket.connect("127.0.0.1", port); s = srv:accept()`,
		`ssl.wrap(s, {mode = "server", certificate = cert, key = key}); ssl.wrap(c, {cafile = cert})`,
	)
	r.runLine(".sockets")
	out := ed.printed()
	if !regexp.MustCompile(`(?m)^\d+\s+tcp\+tls\s+127\.0\.0\.1:\d+\s+127\.0\.0\.1:`).MatchString(out) {
		t.Fatalf(".sockets does not mark the TLS sockets:\n%s", out)
	}
}
