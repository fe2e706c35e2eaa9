package socket_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

// doLua runs Lua code (with test/lib.lua's helpers) and fails the test on an error.
func doLua(t *testing.T, L *lua.LState, code string) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		t.Fatal(err)
	}
}

func traceState(t *testing.T) (*lua.LState, *plugintest.Host) {
	L, h := newState(t)
	doLua(t, L, `dofile("test/lib.lua")`)
	return L, h
}

var header = regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{6} #\d+ tcp 127\.0\.0\.1:\d+ -> `)

// TestTraceSession: socket.trace(true) prints every call of a conversation
// on stderr, a header and an xxd dump of the bytes; socket.trace(false)
// stops it; with no argument it tells.
func TestTraceSession(t *testing.T) {
	L, h := traceState(t)
	doLua(t, L, `
		eq(socket.trace(), false, "off at first")
		eq(socket.trace(true), true, "trace(true)")
		eq(socket.trace(), true, "on")
		c, a, srv = pair()
		assert(c:send("hello"))
		eq(a:recv(10), "hello", "recv")
		c:close()
		eq(a:recv(10), "", "EOF")
		socket.trace(false)
		a:close()
		srv:close()`)
	out := h.Err.String()
	for _, want := range []string{" bind\n", " listen backlog 16\n", " connect\n", " accept -> #3\n",
		" send 5 bytes\n00000000: 6865 6c6c 6f                             hello\n",
		" recv 5 bytes\n00000000: 6865 6c6c 6f", " recv EOF (the peer closed its side)\n", " close\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the trace lacks %q:\n%s", want, out)
		}
	}
	lines := 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "0000") {
			continue
		}
		lines++
		if !header.MatchString(line) {
			t.Errorf("not a header line: %q", line)
		}
	}
	if lines != 8 { // bind listen connect accept send recv close EOF; not a:close, after trace(false)
		t.Errorf("%d header lines, want 8:\n%s", lines, out)
	}
}

// TestTraceSocket: sock:trace traces one socket (and what it accepts),
// sock:trace(false) silences one under the session's trace, options apply.
func TestTraceSocket(t *testing.T) {
	L, h := traceState(t)
	doLua(t, L, `
		srv, port = listener()
		eq(srv:trace({hex = false}), true, "srv:trace")
		eq(srv:trace(), true, "srv traced")
		c = assert(socket.socket())
		eq(c:trace(), false, "c not traced")
		assert(c:connect("127.0.0.1", port))
		a = assert(srv:accept())
		eq(a:trace(), true, "accepted socket inherits")
		c:send("quiet")
		a:recv(10)
		socket.trace({max = 2})
		a:trace(false)
		a:send("xyz")
		c:recv(10)`)
	out := h.Err.String()
	if !strings.Contains(out, " accept -> #3\n") || !strings.Contains(out, " recv 5 bytes\n") ||
		strings.Contains(out, "00000000: 7175") {
		t.Errorf("own trace with hex=false:\n%s", out)
	}
	if !strings.Contains(out, " recv 3 bytes\n00000000: 7879                                     xy\n... 1 more bytes\n") {
		t.Errorf("session trace with max=2:\n%s", out)
	}
	if strings.Contains(out, " send 3 bytes") {
		t.Errorf("a:trace(false) did not silence it:\n%s", out)
	}
}

// TestTraceMisuse: bad options raise errors naming them; an unwritable
// file is a run-time failure naming the path.
func TestTraceMisuse(t *testing.T) {
	L, _ := traceState(t)
	doLua(t, L, `
		raises("unknown option 'colour'", socket.trace, {colour = true})
		raises("option max must be a whole number", socket.trace, {max = -1})
		raises("option max must be a whole number", socket.trace, {max = 1.5})
		raises("option hex must be a boolean", socket.trace, {hex = 1})
		raises("option file must be a file name", socket.trace, {file = ""})
		raises("true, false or an options table expected, got string", socket.trace, "yes")
		raises("too many arguments", socket.trace, true, true)
		fails("no such file or directory", "trace /no/such/folder/t.txt: no such file or directory",
			socket.trace{file = "/no/such/folder/t.txt"})
		fails("no such file or directory", "trace /no/such/folder/t.pcapng",
			socket.trace{pcap = "/no/such/folder/t.pcapng"})
		eq(socket.trace(), false, "a failed trace leaves it off")
		local s = socket.socket()
		s:close()
		fails("closed", nil, s:trace(true))`)
}

// TestTraceFiles: the text trace goes to file=, the packets to a .pcapng
// that reads back with the conversation's bytes; the files are closed when
// the trace is turned off. A full disk is reported once, and the sockets
// work on.
func TestTraceFiles(t *testing.T) {
	L, h := traceState(t)
	dir := t.TempDir()
	txt, pcap := filepath.Join(dir, "t.txt"), filepath.Join(dir, "t.pcapng")
	L.SetGlobal("TXT", lua.LString(txt))
	L.SetGlobal("PCAP", lua.LString(pcap))
	doLua(t, L, `
		socket.trace{file = TXT, pcap = PCAP}
		c, a, srv = pair()
		c:sendall("ping\n")
		eq(a:recvline(), "ping", "recvline")
		a:sendall("pong\n")
		eq(c:recvline(), "pong", "reply")
		c:close() a:close() srv:close()
		socket.trace(false)`)
	if h.Err.Len() != 0 {
		t.Errorf("a file trace wrote on stderr: %s", h.Err.String())
	}
	b, err := os.ReadFile(txt)
	if err != nil || !strings.Contains(string(b), "send 5 bytes\n00000000: 7069 6e67 0a") {
		t.Errorf("text trace (%v):\n%s", err, b)
	}
	if got := pcapPayload(t, pcap); got != "ping\npong\n" {
		t.Errorf("pcapng payload %q", got)
	}

	doLua(t, L, `
		socket.trace{file = "/dev/full"}
		c, a, srv = pair()
		for i = 1, 5 do assert(c:send("x")) assert(a:recv(1)) end
		socket.trace(false)`)
	if n := strings.Count(h.Err.String(), "no space left on device"); n != 1 {
		t.Errorf("a full disk was reported %d times:\n%s", n, h.Err.String())
	}
}

func pcapPayload(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for {
		data, _, err := r.ReadPacketData()
		if err != nil {
			return b.String()
		}
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		if tcp, ok := p.TransportLayer().(*layers.TCP); ok {
			b.Write(tcp.Payload)
		}
	}
}

// TestTraceManySockets: 10,000 traced sockets, a thousand of them with
// their own trace file; every file is closed with its socket.
func TestTraceManySockets(t *testing.T) {
	L, h := traceState(t)
	dir := t.TempDir()
	L.SetGlobal("DIR", lua.LString(dir))
	before := fds(t)
	doLua(t, L, `
		socket.trace{file = DIR .. "/all.txt", hex = false}
		for i = 1, 10000 do
			local s = assert(socket.socket())
			if i % 10 == 0 then assert(s:trace{file = DIR .. "/own" .. i .. ".txt"}) end
			assert(s:bind("127.0.0.1", 0))
			s:close()
		end
		socket.trace(false)`)
	if after := fds(t); after != before {
		t.Errorf("%d descriptors open before, %d after", before, after)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "all.txt"))
	if n := strings.Count(string(b), "\n"); n != 9000*2 {
		t.Errorf("the session trace has %d lines, want 18000", n)
	}
	own, _ := os.ReadFile(filepath.Join(dir, "own5000.txt"))
	if !strings.Contains(string(own), "#5000 tcp 127.0.0.1:") || strings.Count(string(own), "\n") != 2 {
		t.Errorf("own trace of socket 5000:\n%s", own)
	}
	if h.Err.Len() != 0 {
		t.Error(h.Err.String())
	}
}

func fds(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// TestTraceCommand: .trace on, .trace ID, .trace off, and its errors.
func TestTraceCommand(t *testing.T) {
	L, h := traceState(t)
	p, _ := plugins.Get("socket")
	var cmd plugins.Command
	for _, c := range p.Commands {
		if c.Name == "trace" {
			cmd = c
		}
	}
	if cmd.Run == nil {
		t.Fatal("no .trace command")
	}
	do := func(args ...string) error { return cmd.Run(L, h, args) }
	if err := do(); err != nil || !strings.Contains(h.Out.String(), "trace: off") {
		t.Fatalf(".trace: %v %q", err, h.Out.String())
	}
	doLua(t, L, `c, a, srv = pair()`)
	if err := do("2"); err != nil || !strings.Contains(h.Out.String(), "#2 tcp: own trace, on the terminal") {
		t.Errorf(".trace 2: %v\n%s", err, h.Out.String())
	}
	doLua(t, L, `c:send("abc") a:recv(3)`)
	if !strings.Contains(h.Err.String(), "#2 tcp") || strings.Contains(h.Err.String(), "#3 tcp") {
		t.Errorf("only socket 2 should be traced:\n%s", h.Err.String())
	}
	if err := do("on"); err != nil || !strings.Contains(h.Out.String(), "trace: on, on the terminal, hex up to 1024 bytes a call") {
		t.Errorf(".trace on: %v\n%s", err, h.Out.String())
	}
	if err := do("off"); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{{"99"}, {"x"}, {"on", "a", "b"}, {"2", "maybe"}} {
		if err := do(bad...); err == nil {
			t.Errorf(".trace %v: no error", bad)
		}
	}
	if err := do("on", "/no/such/folder/x.txt"); err == nil || !strings.Contains(err.Error(), "/no/such/folder/x.txt: no such file") {
		t.Errorf(".trace on to a missing folder: %v", err)
	}
}
