package repl

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"nsh/plugins"
)

// TestDotCapture: .capture on shows the live lines of the session's own
// sockets above the prompt, .capture on ID follows one socket, .capture off
// stops with a count; bad arguments are clear errors.
func TestDotCapture(t *testing.T) {
	if _, ok := plugins.Get("socket"); !ok {
		t.Skip("no socket plugin in this build")
	}
	r, ed := newTestREPL(t, `srv = socket.bind("127.0.0.1", 0); _, port = srv:getsockname()`)
	for _, tc := range []struct{ line, want string }{
		{".capture", "capture is off"},
		{".capture off", "capture is off already"},
		{".capture on 0", "capture on 0: want a socket ID, a port or :PORT"},
		{".capture on :99999", "want a socket ID, a port or :PORT"},
		{".capture a b c", "usage: .capture"},
	} {
		r.runLine(tc.line)
		if out := ed.printed(); !strings.Contains(out, tc.want) {
			t.Errorf("%s printed %q, want %q", tc.line, out, tc.want)
		}
	}
	r.runLine(".capture on")
	out := ed.printed()
	if strings.Contains(out, "CAP_NET_RAW") {
		t.Skipf("no privilege to capture: %s", out)
	}
	if !strings.Contains(out, "capture on: the session's sockets") {
		t.Fatalf(".capture on printed %q", out)
	}
	r.runLine(`c = socket.connect("127.0.0.1", port); s = srv:accept(); c:send("hello"); print(s:recv(5)); c:close(); s:close()`)
	out = waitPrinted(t, ed, out, " FIN ", 2)
	wantInOrder(t, out, " SYN seq=0", " SYN-ACK ", `PSH 5 bytes "hello"`, " FIN ", " FIN ")
	r.runLine(".capture")
	if got := ed.printed(); !strings.Contains(got, "capture (the session's sockets, ") {
		t.Errorf(".capture printed %q", got)
	}
	// one socket by its ID: the other connection is not shown
	r.runLine(`c = socket.udp(); c:setpeername("127.0.0.1", port)`)
	list := r.s.Sockets().List()
	id := strconv.Itoa(list[len(list)-1].ID) // the newest socket: c
	r.runLine(`c2 = socket.udp(); c2:setpeername("127.0.0.1", port)`)
	ed.printed()
	r.runLine(".capture on " + id)
	if got := ed.printed(); !strings.Contains(got, "capture off: (the session's sockets, ") || !strings.Contains(got, "capture on: socket "+id) {
		t.Fatalf(".capture on %s printed %q", id, got)
	}
	r.runLine(`c:send("one"); c2:send("two")`)
	// c's datagram and the port unreachable it causes (nothing listens on UDP)
	out = waitPrinted(t, ed, "", "destination unreachable (port)", 1)
	r.runLine(".capture off")
	out += ed.printed()
	if strings.Contains(out, `"two"`) || !strings.Contains(out, "capture off: (socket "+id+", 2 packets, stopped)") {
		t.Errorf("capture of socket %s:\n%s", id, out)
	}
}

// waitPrinted gathers what the REPL prints (bounded) until want appears n times.
func waitPrinted(t *testing.T, ed *scriptedEditor, out, want string, n int) string {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); strings.Count(out, want) < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d times %q not printed:\n%s", n, want, out)
		}
		out += ed.printed()
	}
	time.Sleep(20 * time.Millisecond)
	return out + ed.printed()
}

func wantInOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("missing %q (in order %q) in:\n%s", w, want, got)
		}
		rest = rest[i+len(w):]
	}
}
