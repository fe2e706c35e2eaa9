package lessons_test

import (
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestLessonList checks that `nsh lesson list` shows every lesson of L1 with
// its seed, roles and default port, one line each.
func TestLessonList(t *testing.T) {
	res := runNsh(t, "", "", "lesson", "list")
	if res.Code != 0 {
		t.Fatalf("exit %d\n%s", res.Code, res.Stderr)
	}
	want := map[string]string{
		"tcp-chat":        "000_f54574ad7420c1b1.txt  server,client  tcp/8000",
		"remote-cmd-text": "000_f54574ad7420c1b1.txt  server,client  tcp/8000",
		"upload-post":     "000_f54574ad7420c1b1.txt  server,client  tcp/8000",
		"udp-server":      "001_394bf0749423bbd3.txt  server,client  udp/9000",
		"udp-feedback":    "003_a5ec4fc2432cb0f4.txt  server,client  udp/7852",
		"tcp-upper":       "004_2238c7022b5357ff.txt  server,client  tcp/8081",
		"reuseaddr":       "004_2238c7022b5357ff.txt  server,client  tcp/8080",
		"udp-boundaries":  "002_3da697648a31ddfe.txt  server,client,loss  udp/8989",
	}
	all := strings.Split(strings.TrimSpace(res.Stdout), "\n")
	if len(all) != 14 {
		t.Errorf("lesson list shows %d lessons, want the fourteen of LESSONS.md:\n%s", len(all), res.Stdout)
	}
	portColumn := regexp.MustCompile(` (tcp|udp)/\d+ `)
	for _, line := range all { // the columns line up, whatever a lesson's list of roles
		if got, want := portColumn.FindStringIndex(line), portColumn.FindStringIndex(all[0]); got == nil || want == nil || got[0] != want[0] {
			t.Errorf("port column not aligned:\n%s", res.Stdout)
			break
		}
	}
	lines := map[string]string{}
	for _, line := range all {
		name, rest, _ := strings.Cut(line, " ")
		lines[name] = strings.Join(strings.Fields(rest), "  ")
	}
	for name, w := range want {
		got, ok := lines[name]
		if !ok {
			t.Errorf("lesson list lacks %s:\n%s", name, res.Stdout)
			continue
		}
		if !strings.HasPrefix(got, w) {
			t.Errorf("%s: %q, want prefix %q", name, got, w)
		}
	}
}

func TestLessonShowAndUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"show role", []string{"lesson", "show", "tcp-upper", "server"}, 0, "-- Seed 004 (004_2238c7022b5357ff.txt)", ""},
		{"show all roles", []string{"lesson", "show", "tcp-chat"}, 0, "-- ==> scripts/lessons/tcp-chat/server.lua (server) <==", ""},
		{"show shared role", []string{"lesson", "show", "reuseaddr", "client"}, 0, "-- Seed 004", ""},
		{"show unknown", []string{"lesson", "show", "nope"}, 2, "", `no lesson "nope"`},
		{"show bad role", []string{"lesson", "show", "tcp-chat", "judge"}, 2, "", `no role "judge"`},
		{"run unknown lesson", []string{"lesson", "run", "nope", "server"}, 2, "", `no lesson "nope"`},
		{"run unknown flag", []string{"lesson", "run", "upload-post", "server", "--bogus"}, 2, "", "--max-size"},
		{"run bad port", []string{"lesson", "run", "tcp-upper", "client", "--port", "70000"}, 2, "", "0 to 65535"},
		{"run help", []string{"lesson", "run", "remote-cmd-text", "server", "--help"}, 0, "--allow-exec", ""},
		{"run help without role", []string{"lesson", "run", "upload-post", "--help"}, 0, "usage: nsh lesson run upload-post server|client", ""},
		{"run without role", []string{"lesson", "run", "tcp-upper"}, 2, "", "which role of tcp-upper? (server, client)"},
		{"no subcommand", []string{"lesson"}, 2, "", "usage: nsh lesson"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runNsh(t, "", "", tc.args...)
			if res.Code != tc.code || !strings.Contains(res.Stdout, tc.stdout) || !strings.Contains(res.Stderr, tc.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", res.Code, tc.code, res.Stdout, res.Stderr)
			}
		})
	}
}

// TestClientRefusedConnection: a client whose server is not there exits 1
// with the error on stderr.
func TestClientRefusedConnection(t *testing.T) {
	port := freePort(t, "tcp")
	res := runClient(t, "tcp-chat", port, "hello\n")
	if res.Code != 1 || !strings.Contains(res.Stderr, "refused") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

// TestServerPortBusy: a server whose port is taken exits 1 and says why.
func TestServerPortBusy(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	res := runNsh(t, "", "", "lesson", "run", "tcp-upper", "server", "--port", strconv.Itoa(port))
	want := fmt.Sprintf("bind 127.0.0.1:%d: address already in use\n  (another server is listening on port %d; --port P picks another port", port, port)
	if res.Code != 1 || !strings.Contains(res.Stderr, want) {
		t.Fatalf("exit %d, want 1 and %q\nstdout:\n%s\nstderr:\n%s", res.Code, want, res.Stdout, res.Stderr)
	}
}

// TestServerPortInTimeWait: a server that closed a connection first and
// stopped leaves the port in TIME_WAIT; the lesson servers set no
// SO_REUSEADDR (nor do the originals), so the restart fails, and says why.
func TestServerPortInTimeWait(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // the server closes first: its side ends in TIME_WAIT
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("client read: %v, want EOF", err)
	}
	c.Close()
	l.Close()
	res := runNsh(t, "", "", "lesson", "run", "tcp-chat", "server", "--port", strconv.Itoa(port))
	want := fmt.Sprintf("a connection of a server that just stopped on port %d is in TIME_WAIT for up to 60 s", port)
	if res.Code != 1 || !strings.Contains(res.Stderr, "address already in use") || !strings.Contains(res.Stderr, want) {
		t.Fatalf("exit %d, want 1 and %q\nstdout:\n%s\nstderr:\n%s", res.Code, want, res.Stdout, res.Stderr)
	}
}

// TestClientPromptOnTerminal: on a terminal the client shows the original's
// prompt; at the end of input (Ctrl-D) it exits 0.
func TestClientPromptOnTerminal(t *testing.T) {
	srv := startServer(t, "tcp-upper")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	cmd := exec.Command(nshBin, "lesson", "run", "tcp-upper", "client", "--port", strconv.Itoa(srv.Port))
	cmd.Env = testEnv()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	done := make(chan struct{}) // closed when the client has exited; waitErr is then set
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			cmd.Process.Kill() // our own child, by PID
			select {
			case <-done:
			case <-time.After(readyTimeout):
				t.Errorf("client pid %d still running after SIGKILL", cmd.Process.Pid)
			}
		}
	})
	out := newOutput()
	go io.Copy(out, ptmx)
	waitText := func(text string) {
		t.Helper()
		deadline := time.After(readyTimeout)
		for {
			got, next := out.snapshot()
			if strings.Contains(got, text) {
				return
			}
			select {
			case <-next:
			case <-deadline:
				t.Fatalf("no %q on the terminal; got %q", text, got)
			}
		}
	}
	waitText(">>: ")
	ptmx.Write([]byte("hi there\n"))
	waitText("HI THERE")
	waitText("HI THERE\r\n>>: ")
	ptmx.Write([]byte{4}) // Ctrl-D: end of input
	select {
	case <-done:
		if waitErr != nil {
			t.Fatalf("client: %v", waitErr)
		}
	case <-time.After(clientTimeout):
		t.Fatal("client did not end at Ctrl-D")
	}
}
