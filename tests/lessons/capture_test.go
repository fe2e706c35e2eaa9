package lessons_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// skipWithoutCapture skips when the nsh process could not open a packet
// socket (its stderr names CAP_NET_RAW).
func skipWithoutCapture(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "CAP_NET_RAW") {
		t.Skipf("packet capture needs root or CAP_NET_RAW here: %s", strings.TrimSpace(stderr))
	}
}

// TestTCPUpperCapture runs the tcp-upper lesson with --capture on both
// sides: the client prints the live lines of its connection, the server
// writes a pcapng file, completed when Ctrl-C (SIGINT) ends it, which
// tshark reads back with the handshake, the data and the close in order.
func TestTCPUpperCapture(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("packet capture needs root or CAP_NET_RAW (the unprivileged path is TestCaptureWithoutPrivilege)")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "server.pcapng")
	srv := startServer(t, "tcp-upper", "--capture", file)
	res := runClient(t, "tcp-upper", srv.Port, "hello\n", "--capture")
	skipWithoutCapture(t, res.Stderr)
	if res.Code != 0 {
		t.Fatalf("client: exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
	wantLines(t, "client --capture", res.Stdout,
		" SYN seq=0 win=", " SYN-ACK seq=0 ack=1 ", " ACK seq=1 ack=1 ",
		`PSH 5 bytes "hello" seq=1 ack=1 `, `PSH 5 bytes "HELLO" seq=1 ack=6 `,
		" FIN seq=6 ack=6 ", " FIN seq=6 ack=7 ", " ACK seq=7 ack=7 ")
	if n := strings.Count(res.Stdout, " SYN seq=0"); n != 1 {
		t.Errorf("%d SYN lines, want 1 (lo hands each packet over twice):\n%s", n, res.Stdout)
	}
	srv.WaitFor(t, `"hello"`)
	time.Sleep(100 * time.Millisecond) // the close's last packets reach the server's capture
	srv.cmd.Process.Signal(syscall.SIGINT)
	if code := srv.WaitExit(t); code == 0 {
		t.Errorf("server exit status 0 after SIGINT")
	}
	if !strings.Contains(srv.Stderr(), "packets written to "+file) {
		t.Fatalf("server stderr after SIGINT:\n%s", srv.Stderr())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	tshark := needTshark(t)
	out, err := exec.Command(tshark, "-r", file, "-T", "fields", "-e", "tcp.flags.str", "-e", "tcp.len", "-e", "tcp.payload").CombinedOutput()
	if err != nil {
		t.Fatalf("tshark -r %s: %v\n%s", file, err, out)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(l, "Running as user") {
			continue
		}
		f := strings.Split(l, "\t")
		for len(f) < 3 {
			f = append(f, "")
		}
		payload, _ := hex.DecodeString(strings.ReplaceAll(f[2], ":", ""))
		got = append(got, flagsWord(f[0])+" "+f[1]+" "+string(payload))
	}
	want := []string{"SYN 0 ", "SYN-ACK 0 ", "ACK 0 ", "PSH-ACK 5 hello", "ACK 0 ", "PSH-ACK 5 HELLO", "ACK 0 ", "FIN-ACK 0 ", "FIN-ACK 0 ", "ACK 0 "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("tshark -r %s read:\n%s\nwant:\n%s\n(raw:\n%s)", file, strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}
}

// flagsWord turns tshark's tcp.flags.str ("·······A··S·") into "SYN-ACK".
func flagsWord(s string) string {
	var w []string
	for _, f := range []struct {
		c    rune
		name string
	}{{'S', "SYN"}, {'P', "PSH"}, {'R', "RST"}, {'F', "FIN"}, {'A', "ACK"}} {
		if strings.ContainsRune(s, f.c) {
			w = append(w, f.name)
		}
	}
	return strings.Join(w, "-")
}

func needTshark(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not found in PATH: skipping the read-back of the capture file (install tshark to run it)")
	}
	return p
}

// TestCaptureWithoutPrivilege runs nsh in a new user namespace (no
// capability over the host's network): --capture and socket.capture fail
// with an error naming CAP_NET_RAW, and sockets go on working.
func TestCaptureWithoutPrivilege(t *testing.T) {
	srv := startServer(t, "tcp-upper")
	unpriv := func(dir, stdin string, args ...string) (string, string, int) {
		cmd := exec.Command(nshBin, args...)
		cmd.Dir = dir
		cmd.Env = testEnv()
		cmd.Stdin = strings.NewReader(stdin)
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER}
		}
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		if err != nil && cmd.ProcessState == nil {
			t.Skipf("cannot start a process in a new user namespace: %v", err)
		}
		return out.String(), errOut.String(), exitCode(err)
	}
	port := strings.TrimPrefix(srv.Addr, "127.0.0.1:")
	dir := t.TempDir()
	_, stderr, code := unpriv(dir, "hello\n", "lesson", "run", "tcp-upper", "client", "--port", port, "--capture")
	if code == 0 || !strings.Contains(stderr, "CAP_NET_RAW") {
		t.Fatalf("lesson --capture (live) without privilege: exit %d, stderr:\n%s", code, stderr)
	}
	// With a file, the call trace is written as synthesised packets instead.
	stdout, stderr, code := unpriv(dir, "hello\n", "lesson", "run", "tcp-upper", "client", "--port", port, "--capture", "x.pcapng")
	if code != 0 || stdout != "HELLO\n" || !strings.Contains(stderr, "writing the call trace as synthesised packets to x.pcapng instead") {
		t.Fatalf("lesson --capture x.pcapng without privilege: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if tshark, err := exec.LookPath("tshark"); err == nil {
		out, err := exec.Command(tshark, "-r", filepath.Join(dir, "x.pcapng"), "-T", "fields", "-e", "tcp.flags.str", "-e", "tcp.payload").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "68:65:6c:6c:6f") && !strings.Contains(string(out), "68656c6c6f") || !strings.Contains(string(out), "S") {
			t.Errorf("tshark -r x.pcapng (synthesised): %v\n%s", err, out)
		}
	}
	script := `local cap, err, story = socket.capture{ports={` + port + `}}
print(cap, err, story)
local c = assert(socket.connect("127.0.0.1", ` + port + `))
assert(c:send("still works\n"))
print(c:receive())
c:close()
`
	stdout, stderr, code = unpriv(dir, "", "-e", script)
	if code != 0 || !strings.Contains(stdout, "nil\toperation not permitted\tcapture: capturing packets needs root or CAP_NET_RAW") ||
		!strings.Contains(stdout, "STILL WORKS") {
		t.Fatalf("socket.capture without privilege: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestReuseAddrCapture: the reuseaddr server's own rounds show, live, the
// handshake and the close in which the server sends the first FIN (the
// active close that leaves its side in TIME_WAIT).
func TestReuseAddrCapture(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("packet capture needs root or CAP_NET_RAW")
	}
	srv := startServer(t, "reuseaddr", "--capture")
	skipWithoutCapture(t, srv.Stderr())
	out := srv.Stdout()
	m := regexp.MustCompile(`1\. bound 127\.0\.0\.1:(\d+) without`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no first round in:\n%s", out)
	}
	// the capture's lines of the first round's connection (they may print after the round's own lines)
	line := regexp.MustCompile(`(?m)^\S+ tcp 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ .*$`)
	var first string
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var mine []string
		for _, l := range line.FindAllString(srv.Stdout(), -1) {
			if strings.Contains(l, "127.0.0.1:"+m[1]+" ") {
				mine = append(mine, l)
			}
		}
		first = strings.Join(mine, "\n")
		if len(mine) >= 6 || time.Now().After(end) {
			break
		}
	}
	wantLines(t, "first round", first, " SYN seq=0 ", " SYN-ACK seq=0 ack=1 ", " ACK seq=1 ack=1 ",
		" FIN seq=1 ack=1 ", " FIN seq=1 ack=2 ", " ACK seq=2 ack=2 ")
	fin := regexp.MustCompile(`tcp (\S+) -> \S+ FIN `).FindStringSubmatch(first)
	if fin == nil || fin[1] != "127.0.0.1:"+m[1] {
		t.Errorf("the first FIN is not the server's (port %s): %v\n%s", m[1], fin, first)
	}
}
