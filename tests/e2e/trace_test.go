package e2e

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// pyEcho starts a Python echo server on loopback that serves conns
// connections one after the other and returns its port.
func pyEcho(t *testing.T, conns int) int {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: no peer for the traced echo")
	}
	src := fmt.Sprintf(`
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
for _ in range(%d):
    c, _ = s.accept()
    while True:
        b = c.recv(65536)
        if not b:
            break
        c.sendall(b)
    c.close()
`, conns)
	cmd := exec.Command(py, "-c", src)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("python echo server: %v", err)
	}
	port, _ := strconv.Atoi(strings.TrimSpace(line))
	return port
}

const echoClient = `
local c = assert(socket.connect("127.0.0.1", tonumber(arg[1])))
local msg = "hello, \0\1\2 wire\n"
assert(c:sendall(msg))
local got = assert(c:recvexactly(#msg))
assert(got == msg, "echo differs")
c:shutdown(socket.SHUT_WR)
assert(c:recv(10) == "")
c:close()
print("ok")
`

// TestTraceEcho: nsh --trace against a Python echo server prints a header
// per call and the bytes both ways as xxd dumps them.
func TestTraceEcho(t *testing.T) {
	port := pyEcho(t, 1)
	script := filepath.Join(t.TempDir(), "echo.lua")
	writeFile(t, script, echoClient)
	r := nshtest.Run(t, "", 30*time.Second, "--trace", script, strconv.Itoa(port))
	if r.Code != 0 || r.Stdout != "ok\n" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", r.Code, r.Stdout, r.Stderr)
	}
	peer := fmt.Sprintf("127.0.0.1:%d", port)
	hdr := `\d\d:\d\d:\d\d\.\d{6} #1 tcp 127\.0\.0\.1:\d+ -> ` + regexp.QuoteMeta(peer) + ` `
	dump := "00000000: 6865 6c6c 6f2c 2000 0102 2077 6972 650a  hello, ... wire.\n"
	want := regexp.MustCompile(`^` + hdr + `connect\n` +
		hdr + `send 16 bytes\n` + regexp.QuoteMeta(dump) +
		hdr + `recvexactly 16 bytes\n` + regexp.QuoteMeta(dump) +
		hdr + `shutdown SHUT_WR\n` +
		hdr + `recv EOF \(the peer closed its side\)\n` +
		hdr + `close\n$`)
	if !want.MatchString(r.Stderr) {
		t.Errorf("trace:\n%s", r.Stderr)
	}
	if xxd, err := exec.LookPath("xxd"); err == nil {
		cmd := exec.Command(xxd)
		cmd.Stdin = strings.NewReader("hello, \x00\x01\x02 wire\n")
		if out, _ := cmd.Output(); string(out) != dump {
			t.Errorf("xxd dumps it as\n%s", out)
		}
	}
}

// tsharkPayload returns the TCP payload tshark reads in path, in order, and
// tshark's complaints (expert messages about bad checksums, malformed or
// cut packets).
func tsharkPayload(t *testing.T, path string) (payload []byte, problems string) {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed (Debian package tshark): the pcapng is not read back")
	}
	cmd := exec.Command(tshark, "-r", path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
		"-T", "fields", "-e", "tcp.payload", "-e", "_ws.expert.message")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v\n%s", path, err, stderr.String())
	}
	var probs []string
	if s := strings.TrimSpace(stderr.String()); s != "" && !strings.Contains(s, "Running as user") {
		probs = append(probs, s)
	}
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		hexPart, expert, _ := strings.Cut(line, "\t")
		b, err := hex.DecodeString(strings.ReplaceAll(hexPart, ":", ""))
		if err != nil {
			t.Fatalf("tshark payload %q: %v", hexPart, err)
		}
		payload = append(payload, b...)
		if expert != "" && !strings.Contains(expert, "Connection establish") && !strings.Contains(expert, "Connection finish") {
			probs = append(probs, expert)
		}
	}
	return payload, strings.Join(probs, "; ")
}

// TestTracePcapngTshark: nsh --trace=FILE.pcapng writes the echo as
// packets tshark reads, the payload bytes the same and in order.
func TestTracePcapngTshark(t *testing.T) {
	port := pyEcho(t, 1)
	dir := t.TempDir()
	script, pcap := filepath.Join(dir, "echo.lua"), filepath.Join(dir, "echo.pcapng")
	writeFile(t, script, echoClient)
	r := nshtest.Run(t, "", 30*time.Second, "--trace="+pcap, script, strconv.Itoa(port))
	if r.Code != 0 || r.Stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
	payload, problems := tsharkPayload(t, pcap)
	msg := "hello, \x00\x01\x02 wire\n"
	if string(payload) != msg+msg {
		t.Errorf("tshark's payload %q, want the message sent then echoed", payload)
	}
	if problems != "" {
		t.Errorf("tshark: %s", problems)
	}
}

// TestTracePcapngInterrupted: Ctrl-C (SIGINT) during a traced exchange
// leaves a pcapng tshark reads whole up to its last packet.
func TestTracePcapngInterrupted(t *testing.T) {
	port := pyEcho(t, 1)
	dir := t.TempDir()
	script, pcap := filepath.Join(dir, "loop.lua"), filepath.Join(dir, "loop.pcapng")
	writeFile(t, script, `
local c = assert(socket.connect("127.0.0.1", tonumber(arg[1])))
print("connected")
for i = 1, 100000 do
  assert(c:sendall("line " .. i .. "\n"))
  assert(c:recvline())
  socket.sleep(0.001)
end`)
	p := nshtest.Start(t, "--trace="+pcap, script, strconv.Itoa(port))
	p.WaitLine(t, "^connected$", 20*time.Second)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if st, err := os.Stat(pcap); err == nil && st.Size() > 20000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the pcapng does not grow")
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.Cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- p.Cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("nsh did not end after SIGINT")
	}
	if code := p.Cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status %d after SIGINT, want 130", code)
	}
	payload, problems := tsharkPayload(t, pcap)
	// Ctrl-C ends the script, whose end closes its connection (shell/
	// lifetime.go); when that falls between a send and the read of its echo,
	// the kernel resets the connection (close with unread data) and the trace
	// shows the reset, truthfully, as the last packet.
	problems = strings.TrimSuffix(strings.TrimSuffix(problems, "Connection reset (RST)"), "; ")
	if problems != "" {
		t.Errorf("tshark: %s", problems)
	}
	// The payload is the lines, each followed by its echo, in order.
	text := string(payload)
	for i := 1; len(text) > 0; i++ {
		line := fmt.Sprintf("line %d\n", i)
		if strings.HasPrefix(text, line+line) {
			text = text[2*len(line):]
			continue
		}
		if !strings.HasPrefix(line+line, text) { // the last exchange may be cut after its send
			t.Fatalf("payload goes wrong at line %d: %.40q", i, text)
		}
		break
	}
}

// TestREADMETracedSession types the README's traced first session into
// nsh -i and checks the trace it shows: the calls, the bytes both ways.
func TestREADMETracedSession(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(nshtest.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "### The same session, traced")
	if !ok {
		t.Fatal("the README's traced session is gone")
	}
	section, _, _ = strings.Cut(section, "\n```\n")
	var lines []string
	for _, l := range strings.Split(section, "\n") {
		if rest, ok := strings.CutPrefix(l, "nsh> "); ok {
			lines = append(lines, rest)
		}
	}
	r := nshtest.Run(t, strings.Join(lines, "\n")+"\n", 30*time.Second, "-i")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"HELLO"`) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.Code, r.Stdout, r.Stderr)
	}
	for _, want := range []string{" bind\n", " listen backlog 5\n", " accept -> #3\n", " connect\n",
		" send 5 bytes\n00000000: 6865 6c6c 6f                             hello\n",
		" send 5 bytes\n00000000: 4845 4c4c 4f                             HELLO\n",
		" recv EOF (the peer closed its side)\n"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the trace lacks %q:\n%s", want, r.Stderr)
		}
	}
}

// TestLessonTrace: nsh lesson run ... --trace traces a role's calls, on
// stderr or (--trace=FILE) in a file.
func TestLessonTrace(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "server.txt")
	srv := nshtest.Start(t, "lesson", "run", "tcp-upper", "server", "--port", "0", "--trace="+trace)
	port := srv.WaitLine(t, `listening on 127\.0\.0\.1:(\d+)`, 20*time.Second)[1]
	r := nshtest.Run(t, "hello\n", 30*time.Second, "lesson", "run", "tcp-upper", "client", "--port", port, "--trace")
	if r.Code != 0 || !strings.Contains(r.Stdout, "HELLO") {
		t.Fatalf("client: exit %d\nstdout %s\nstderr %s", r.Code, r.Stdout, r.Stderr)
	}
	for _, want := range []string{" -> 127.0.0.1:" + port + " connect\n", " send 5 bytes\n00000000: 6865 6c6c 6f ",
		" recv 5 bytes\n00000000: 4845 4c4c 4f ", " close\n"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("client trace lacks %q:\n%s", want, r.Stderr)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(trace)
		if strings.Contains(string(b), "recv EOF (the peer closed its side)\n") {
			if !strings.Contains(string(b), "127.0.0.1:"+port+" -> - listen backlog 5\n") ||
				!strings.Contains(string(b), " send 5 bytes\n00000000: 4845 4c4c 4f ") {
				t.Errorf("server trace:\n%s", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's trace never showed the client's EOF:\n%s", b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if r := nshtest.Run(t, "", 10*time.Second, "lesson", "run", "tcp-upper", "server", "--port", "0", "--trace=/no/such/dir/t.txt"); r.Code != 1 ||
		!strings.Contains(r.Stderr, "trace /no/such/dir/t.txt: no such file or directory") {
		t.Errorf("a trace file in a missing folder: exit %d, stderr %q", r.Code, r.Stderr)
	}
	if r := nshtest.Run(t, "", 10*time.Second, "--trace=/no/such/dir/t.pcapng", "-e", "print(1)"); r.Code != 2 ||
		!strings.Contains(r.Stderr, "trace /no/such/dir/t.pcapng: no such file or directory") {
		t.Errorf("nsh --trace to a missing folder: exit %d, stderr %q", r.Code, r.Stderr)
	}
}
