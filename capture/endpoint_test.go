package capture

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// tableEndpoints is the Source a session gives (shell/wire.Endpoints).
func tableEndpoints(tb *netcore.Table) func() []Endpoint {
	return func() []Endpoint {
		return EndpointsOf(tb.Endpoints())
	}
}

// TestCaptureSharedLocalPort: Linux lets connections to different
// destinations share a local port (the ephemeral port of connect, or an
// explicit bind with SO_REUSEADDR). A socket outside the table that has the
// session socket's local port — connected elsewhere, and refused by a
// closed port like the CI's stray "127.0.0.1:P -> 127.0.0.1:1" — is not
// shown, while the session's own connection is, whole.
func TestCaptureSharedLocalPort(t *testing.T) {
	tb := netcore.NewTable()
	defer tb.CloseAll()
	stop := tb.WatchPorts()
	defer stop()
	mine, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	theirs, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	var out lines
	c := start(t, Options{Source: tableEndpoints(tb), Lines: &out})
	defer func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	}()

	ctx := context.Background()
	s, err := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetOption(unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Bind(ctx, netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), 0)); err != nil {
		t.Fatal(err)
	}
	la, err := s.LocalAddr()
	if err != nil {
		t.Fatal(err)
	}
	go echoOnce(mine)
	if err := s.Connect(ctx, netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), mine.Addr().(*net.TCPAddr).Port)); err != nil {
		t.Fatal(err)
	}

	// The foreign sockets, same local address and port.
	d := net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: la.Port},
		Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			rc.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_REUSEADDR, 1) })
			return serr
		},
	}
	if _, err := d.Dial("tcp", "127.0.0.1:1"); err == nil {
		t.Fatal("connect to 127.0.0.1:1 succeeded; want it refused")
	}
	go echoOnce(theirs)
	foreign, err := d.Dial("tcp", theirs.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	foreign.Write([]byte("xxxxx"))
	io.ReadFull(foreign, make([]byte, 5))
	foreign.Close()

	s.Send(ctx, []byte("short"))
	s.Recv(ctx, make([]byte, 5)) // unread data at close would make it a RST
	s.Close()
	out.waitFor(t, `"short"`)
	out.waitFor(t, " FIN ")
	myPort := ":" + strconv.Itoa(mine.Addr().(*net.TCPAddr).Port) + " "
	for _, l := range out.all() {
		if !strings.Contains(l, myPort) || strings.Contains(l, "xxxxx") || strings.Contains(l, ":1 ") {
			t.Errorf("a packet of a socket not in the table was shown: %s", l)
		}
	}
	wordsInOrder(t, out.all(), " SYN ", " SYN-ACK ", `PSH 5 bytes "short"`, " FIN ")
}
