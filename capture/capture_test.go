package capture

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/gopacket/pcapgo"
	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// lines collects the capture's live lines; safe for the capture goroutine.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.buf.String()), "\n")
}

// waitFor waits (bounded) until some line contains want.
func (l *lines) waitFor(t *testing.T, want string) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		for _, s := range l.all() {
			if strings.Contains(s, want) {
				return
			}
		}
	}
	t.Fatalf("no line with %q in:\n%s", want, strings.Join(l.all(), "\n"))
}

// start starts a capture or skips the test where packets cannot be read.
func start(t *testing.T, o Options) *Capture {
	t.Helper()
	c, err := Start(o)
	if errors.Is(err, ErrNoPrivilege) {
		t.Skipf("this test needs root or CAP_NET_RAW: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// echoOnce serves one connection on ln: reads 5 bytes, answers them in
// upper case and closes.
func echoOnce(ln net.Listener) {
	c, err := ln.Accept()
	if err != nil {
		return
	}
	defer c.Close()
	b := make([]byte, 5)
	if _, err := io.ReadFull(c, b); err == nil {
		c.Write(bytes.ToUpper(b))
	}
	io.Copy(io.Discard, c)
}

// wordsInOrder checks that each want appears in a later line than the one before.
func wordsInOrder(t *testing.T, got []string, want ...string) {
	t.Helper()
	i := 0
	for _, l := range got {
		if i < len(want) && strings.Contains(l, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Fatalf("missing %q (in order %q) in:\n%s", want[i], want, strings.Join(got, "\n"))
	}
}

func TestCapturePortToFile(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	file := filepath.Join(t.TempDir(), "lo.pcapng")
	var out lines
	c := start(t, Options{Ports: []int{port}, File: file, Lines: &out})
	go echoOnce(ln)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("hello"))
	io.ReadFull(conn, make([]byte, 5))
	conn.Close()
	out.waitFor(t, "FIN")
	time.Sleep(50 * time.Millisecond) // the last ACKs
	// Before Stop the file is under its temporary name, every packet in it
	// already: a process killed now leaves it valid up to the last packet.
	tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".lo.pcapng.tmp-*"))
	if len(tmp) != 1 {
		t.Fatalf("temporary files %v, want one", tmp)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("%s exists before Stop", file)
	}
	before := c.Count()
	if n, after := countPackets(t, tmp[0]), c.Count(); n < before || n > after {
		t.Errorf("the running capture's file holds %d packets, %d to %d were shown", n, before, after)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	got := out.all()
	wordsInOrder(t, got, " SYN seq=0", " SYN-ACK seq=0 ack=1", " ACK seq=1 ack=1", `PSH 5 bytes "hello" seq=1 ack=1`,
		`PSH 5 bytes "HELLO" seq=1 ack=6`, " FIN ")
	syns := 0
	for _, l := range got {
		if strings.Contains(l, " SYN ") {
			syns++
		}
	}
	if syns != 1 {
		t.Errorf("%d SYN lines (lo hands every packet over twice; one is wanted):\n%s", syns, strings.Join(got, "\n"))
	}
	if n := countPackets(t, file); n != c.Count() || n != len(got) {
		t.Errorf("file has %d packets, capture counted %d, %d lines", n, c.Count(), len(got))
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("a second Stop: %v", err)
	}
}

// countPackets reads a pcapng file back with gopacket's reader.
func countPackets(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	n := 0
	for {
		_, _, err := r.ReadPacketData()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("%s packet %d: %v", path, n+1, err)
		}
		n++
	}
}

// TestCaptureSessionSockets: with Source, a socket that connects, sends
// and closes before the capture reads its first packet is shown, and a
// connection of sockets not in the table is not.
func TestCaptureSessionSockets(t *testing.T) {
	tb := netcore.NewTable()
	defer tb.CloseAll()
	stop := tb.WatchPorts()
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out lines
	c := start(t, Options{Source: tableEndpoints(tb), Lines: &out})
	defer func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	}()

	go echoOnce(ln) // a foreign connection first
	foreign, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	foreign.Write([]byte("xxxxx"))
	io.ReadFull(foreign, make([]byte, 5))
	foreignPort := foreign.LocalAddr().(*net.TCPAddr).Port
	foreign.Close()

	go echoOnce(ln)
	s, err := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Connect(ctx, netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), ln.Addr().(*net.TCPAddr).Port)); err != nil {
		t.Fatal(err)
	}
	s.Send(ctx, []byte("short"))
	s.Recv(ctx, make([]byte, 5)) // unread data at close would make it a RST
	s.Close()
	out.waitFor(t, `"short"`)
	out.waitFor(t, " FIN ")
	for _, l := range out.all() {
		if strings.Contains(l, ":"+strconv.Itoa(foreignPort)+" ") || strings.Contains(l, "xxxxx") {
			t.Errorf("a packet of a socket not in the table was shown: %s", l)
		}
	}
	wordsInOrder(t, out.all(), " SYN ", " SYN-ACK ", `PSH 5 bytes "short"`, " FIN ")
}

// TestCaptureUDP shows a datagram and the port unreachable it causes.
func TestCaptureUDP(t *testing.T) {
	u, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	port := u.LocalAddr().(*net.UDPAddr).Port
	var out lines
	c := start(t, Options{Ports: []int{port}, Lines: &out})
	defer c.Stop()
	// port 9 (discard) is closed on loopback: the kernel answers port unreachable
	u.WriteToUDP([]byte("hello"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9})
	out.waitFor(t, `udp 127.0.0.1:`+strconv.Itoa(port)+` -> 127.0.0.1:9 5 bytes "hello"`)
	out.waitFor(t, `destination unreachable (port) (udp 127.0.0.1:`+strconv.Itoa(port)+` -> 127.0.0.1:9)`)
}

func TestBadFiles(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(t.TempDir(), "no", "such", "x.pcapng"), "no such file or directory"},
		{"/dev/full", "no space left on device"},
	} {
		c, err := Start(Options{Ports: []int{1}, File: tc.path})
		if errors.Is(err, ErrNoPrivilege) {
			t.Skipf("this test needs root or CAP_NET_RAW: %v", err)
		}
		if err == nil {
			c.Stop()
			t.Fatalf("%s: no error", tc.path)
		}
		if !strings.Contains(err.Error(), "capture file "+tc.path+": "+tc.want) {
			t.Errorf("%s: error %q, want it to name the file and %q", tc.path, err, tc.want)
		}
	}
	if _, err := os.Stat("/dev/full"); err != nil || !strings.HasPrefix(mustReadlink("/dev/full"), "") {
		t.Fatal("/dev/full is gone")
	}
}

func mustReadlink(p string) string { s, _ := os.Readlink(p); return s }

// TestWithoutPrivilege re-runs itself in a new user namespace, which holds
// no capability over the host's network (as netcore's raw socket test does).
func TestWithoutPrivilege(t *testing.T) {
	if os.Getenv("NSH_CAPTURE_CHILD") == "" && os.Geteuid() == 0 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWithoutPrivilege$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "NSH_CAPTURE_CHILD=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER}
		out, err := cmd.CombinedOutput()
		if err != nil && cmd.ProcessState == nil {
			t.Skipf("cannot start a process in a new user namespace: %v", err)
		}
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("in a user namespace: %v\n%s", err, out)
		}
		return
	}
	c, err := Start(Options{Ports: []int{80}})
	if err == nil {
		c.Stop()
		t.Skip("this process has CAP_NET_RAW")
	}
	if !errors.Is(err, ErrNoPrivilege) || !strings.Contains(err.Error(), "CAP_NET_RAW") {
		t.Fatalf("error %q: want one naming CAP_NET_RAW", err)
	}
}

// TestFileFailsMidway: a write that fails after the start (the disk filled
// up) stops the file, names it, and the temporary file is removed at the
// end instead of being renamed into place.
func TestFileFailsMidway(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mid.pcapng")
	n, err := createNgFile(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	n.f.Close() // every write from now on fails, as on a full disk
	fr := frame{data: make([]byte, 60), ts: time.Now(), ifindex: 1, wire: 60}
	var werr error
	for i := 0; i < 100 && werr == nil; i++ { // bufio holds the first ones
		werr = n.write(fr, func(int) string { return "lo" })
	}
	if werr == nil || !strings.Contains(werr.Error(), "capture file "+path+": ") {
		t.Fatalf("write error %v, want one naming %s", werr, path)
	}
	if err := n.close(); err == nil {
		t.Errorf("close after a failed write: no error")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) != 0 {
		t.Errorf("files left: %v", left)
	}
}
