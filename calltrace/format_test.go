package calltrace

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

var (
	at     = time.Date(2026, 12, 3, 14, 5, 6, 789012000, time.Local)
	client = netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), 50000)
	server = netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), 8080)
)

func tcpEvent(op string) *netcore.TraceEvent {
	return &netcore.TraceEvent{Time: at, ID: 3, Family: unix.AF_INET, Type: unix.SOCK_STREAM,
		Op: op, Local: client, Peer: server}
}

// TestFormatHeaders: one header line per kind of call.
func TestFormatHeaders(t *testing.T) {
	timeout := &netcore.OpError{Op: "recv", Addr: "127.0.0.1:8080", Err: netcore.ErrTimeout}
	refused := &netcore.OpError{Op: "connect", Addr: "127.0.0.1:8080", Err: unix.ECONNREFUSED}
	cases := []struct {
		ev   func(*netcore.TraceEvent)
		op   string
		want string
	}{
		{nil, "connect", "14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 connect"},
		{func(e *netcore.TraceEvent) { e.Err = refused }, "connect",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 connect error: connection refused"},
		{func(e *netcore.TraceEvent) { e.Data, e.N = []byte("hi"), 2 }, "send",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 send 2 bytes"},
		{func(e *netcore.TraceEvent) { e.Data, e.N = []byte("h"), 1 }, "recvline",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 recvline 1 byte"},
		{func(e *netcore.TraceEvent) { e.EOF = true; e.Data = []byte{} }, "recv",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 recv EOF (the peer closed its side)"},
		{func(e *netcore.TraceEvent) { e.Err = timeout }, "recv",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 recv error: timeout"},
		{func(e *netcore.TraceEvent) { e.Arg = unix.SHUT_WR }, "shutdown",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 shutdown SHUT_WR"},
		{func(e *netcore.TraceEvent) { e.Reset = true }, "close",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 close (RST: unread data or SO_LINGER 0)"},
		{func(e *netcore.TraceEvent) { e.NewID = 4; e.Local, e.Peer = server, client }, "accept",
			"14:05:06.789012 #3 tcp 127.0.0.1:8080 -> 127.0.0.1:50000 accept -> #4"},
		{func(e *netcore.TraceEvent) { e.Arg = 5; e.Peer = netcore.Addr{} }, "listen",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> - listen backlog 5"},
		{func(e *netcore.TraceEvent) {
			e.Family, e.Local, e.Peer, e.Data, e.N = unix.AF_UNIX, netcore.UnixAddr(""), netcore.UnixAddr("/tmp/s"), []byte("x"), 1
		}, "send", "14:05:06.789012 #3 unix (unnamed) -> /tmp/s send 1 byte"},
		{func(e *netcore.TraceEvent) { e.Data, e.N = []byte("plain"), 5 }, "tls-recv",
			"14:05:06.789012 #3 tcp 127.0.0.1:50000 -> 127.0.0.1:8080 tls-recv 5 bytes"},
		{func(e *netcore.TraceEvent) { e.Type, e.Data, e.N = unix.SOCK_DGRAM, []byte("x"), 1 }, "sendto",
			"14:05:06.789012 #3 udp 127.0.0.1:50000 -> 127.0.0.1:8080 sendto 1 byte"},
	}
	for _, c := range cases {
		ev := tcpEvent(c.op)
		if c.ev != nil {
			c.ev(ev)
		}
		got := Format(ev, Options{Hex: false})
		if got != c.want+"\n" {
			t.Errorf("%s:\n got %q\nwant %q", c.op, got, c.want+"\n")
		}
	}
}

// TestFormatDump: the bytes are dumped exactly as xxd dumps them, at most
// Max of them, with a count of the rest.
func TestFormatDump(t *testing.T) {
	data := []byte("GET / HTTP/1.0\r\nHost: example\r\n\r\n\x00\x01\xff")
	ev := tcpEvent("send")
	ev.Data, ev.N = data, int64(len(data))
	got := Format(ev, DefaultOptions())
	header, dump, _ := strings.Cut(got, "\n")
	if !strings.HasSuffix(header, "send 36 bytes") {
		t.Errorf("header %q", header)
	}
	if xxdPath, err := exec.LookPath("xxd"); err != nil {
		t.Log("xxd is not installed: the dump is not compared with it")
	} else {
		cmd := exec.Command(xxdPath)
		cmd.Stdin = bytes.NewReader(data)
		want, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if dump != string(want) {
			t.Errorf("dump\n%s\nxxd\n%s", dump, want)
		}
	}
	o := DefaultOptions()
	o.Max = 20
	lines := strings.Split(strings.TrimSuffix(Format(ev, o), "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[2], "00000010: 486f 7374  ") || lines[3] != "... 16 more bytes" {
		t.Errorf("max=20:\n%s", strings.Join(lines, "\n"))
	}
	o.Max = 0
	if got := Format(ev, o); strings.Count(got, "\n") != 1 {
		t.Errorf("max=0 dumps: %q", got)
	}
	ev.Err = &netcore.OpError{Op: "send", Err: unix.EPIPE}
	if got := Format(ev, DefaultOptions()); strings.Count(got, "\n") != 1 || !strings.Contains(got, "send error: broken pipe after 36 bytes") {
		t.Errorf("failed send: %q", got)
	}
}

// TestFormatColour: sent and received bytes are styled by direction; the
// plain form has no escape at all.
func TestFormatColour(t *testing.T) {
	mark := func(kind, s string) string { return "<" + kind + ">" + s + "</>" }
	for op, dir := range map[string]string{"send": "sent", "recvfrom": "recv"} {
		ev := tcpEvent(op)
		ev.Data, ev.N = []byte("hi"), 2
		got := Format(ev, Options{Hex: true, Max: 64, Style: mark})
		if !strings.Contains(got, "<"+dir+">"+op+" 2 bytes</>") || !strings.Contains(got, "<"+dir+">6869 ") ||
			!strings.Contains(got, "<"+dir+">hi</>") || !strings.Contains(got, "<dim>00000000:</>") {
			t.Errorf("%s styled:\n%s", op, got)
		}
		if strings.Contains(Format(ev, DefaultOptions()), "\x1b") {
			t.Errorf("%s: an escape without a Style", op)
		}
	}
}

// TestFormatSendfile: the bytes of a sendfile are read from the file, at
// most Max of them.
func TestFormatSendfile(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "sf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("0123456789")
	ev := tcpEvent("sendfile")
	ev.File, ev.FileOffset, ev.N = f, 2, 6
	got := Format(ev, Options{Hex: true, Max: 4})
	if !strings.Contains(got, "sendfile 6 bytes\n00000000: 3233 3435") || !strings.Contains(got, "... 2 more bytes") {
		t.Errorf("sendfile:\n%s", got)
	}
}

// failing fails every write after the first n.
type failing struct {
	mu     sync.Mutex
	n      int
	writes int
}

func (f *failing) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes++
	if f.writes > f.n {
		return 0, unix.ENOSPC
	}
	return len(p), nil
}

// TestWriterStopsAtFirstError: a full disk or a closed terminal stops the
// trace once, reported once; the caller is never blocked or failed.
func TestWriterStopsAtFirstError(t *testing.T) {
	f := &failing{n: 2}
	var reported []error
	w := NewWriter(f, DefaultOptions(), func(err error) { reported = append(reported, err) })
	for range 10 {
		w.Trace(tcpEvent("connect"))
	}
	if f.writes != 3 || len(reported) != 1 || !errors.Is(w.Err(), unix.ENOSPC) {
		t.Errorf("writes %d, reported %v, err %v", f.writes, reported, w.Err())
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	w = NewWriter(full, DefaultOptions(), nil)
	w.Trace(tcpEvent("connect"))
	if !errors.Is(w.Err(), unix.ENOSPC) {
		t.Errorf("/dev/full: %v", w.Err())
	}
}

// TestWriterConcurrent: events traced at once come out whole, one after
// the other (run with -race).
func TestWriterConcurrent(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, DefaultOptions(), nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				ev := tcpEvent("send")
				ev.Data, ev.N = bytes.Repeat([]byte("a"), 40), 40
				w.Trace(ev)
			}
		})
	}
	wg.Wait()
	one := Format(func() *netcore.TraceEvent {
		ev := tcpEvent("send")
		ev.Data, ev.N = bytes.Repeat([]byte("a"), 40), 40
		return ev
	}(), DefaultOptions())
	if buf.String() != strings.Repeat(one, 400) {
		t.Error("concurrent events interleaved")
	}
}
