package lessons_test

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
)

const refusal = "nsh: this server does not run commands; start it with --allow-exec to allow remote command execution\n"

// remote-cmd-text (seed 000 #2): "<decimal length><output>", no separator.
func TestRemoteCmdText(t *testing.T) {
	srv := startServer(t, "remote-cmd-text", "--allow-exec")
	// "printf 123" and "seq 1 10" produce output that starts with digits: glued to the
	// length they are ambiguous ("3123", "211\n2\n..."); "true" produces nothing.
	res := runClient(t, "remote-cmd-text", srv.Port, "echo hello\n\nprintf 123\nseq 1 10\ntrue\nq\n")
	want := "6\nhello\n\n" + "3\n123\n" + "21\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n\n" + "0\n\n"
	if res.Code != 0 || res.Stdout != want {
		t.Fatalf("client: exit %d\nstdout:\n%q\nwant:\n%q\nstderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
	wantLines(t, "server", srv.WaitFor(t, "\n0\n"), "listening on", "......", "echo hello\n6\n", "printf 123\n3\n", "seq 1 10\n21\n", "true\n0\n")
}

// TestRemoteCmdTextBytes checks the server's bytes with a plain Go client.
func TestRemoteCmdTextBytes(t *testing.T) {
	srv := startServer(t, "remote-cmd-text", "--allow-exec", "--pause", "0")
	c := dial(t, "tcp", srv.Port)
	c.Write([]byte("printf 'a|b'"))
	if got := string(readN(t, c, 4)); got != "3a|b" {
		t.Fatalf("got %q, want %q", got, "3a|b")
	}
}

func TestRemoteCmdTextRefusal(t *testing.T) {
	srv := startServer(t, "remote-cmd-text")
	srv.WaitFor(t, "commands are refused")
	c := dial(t, "tcp", srv.Port)
	c.Write([]byte("touch pwned"))
	want := strconv.Itoa(len(refusal)) + refusal
	if got := string(readN(t, c, len(want))); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	res := runClient(t, "remote-cmd-text", srv.Port, "id\n")
	if res.Stdout != strconv.Itoa(len(refusal))+"\n"+refusal+"\n" {
		t.Fatalf("client stdout %q", res.Stdout)
	}
}

func TestRemoteCmdTextLimits(t *testing.T) {
	srv := startServer(t, "remote-cmd-text", "--allow-exec", "--timeout", "0.5", "--max-output", "100")
	res := runClient(t, "remote-cmd-text", srv.Port, "echo early; sleep 30; echo late\nyes | head -c 5000\n")
	if res.Code != 0 {
		t.Fatalf("exit %d: %s", res.Code, res.Stderr)
	}
	timeoutNote := "early\n\n[nsh: command killed after 0.5 seconds]\n"
	capNote := strings.Repeat("y\n", 50) + "\n[nsh: output cut at 100 bytes]\n"
	want := strconv.Itoa(len(timeoutNote)) + "\n" + timeoutNote + "\n" + strconv.Itoa(len(capNote)) + "\n" + capNote + "\n"
	if res.Stdout != want {
		t.Fatalf("stdout:\n%q\nwant:\n%q", res.Stdout, want)
	}
}

// TestRemoteCmdTextClientStuck: a server that sends length and output in one
// write, the case the original client cannot read.
func TestRemoteCmdTextClientStuck(t *testing.T) {
	replies := map[string]string{"a": "5hello", "b": "4123\n", "c": "12hello world!", "d": "0"}
	port := fakeServer(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		buf := make([]byte, 1024)
		for {
			n, err := r.Read(buf)
			if err != nil {
				return
			}
			c.Write([]byte(replies[string(buf[:n])]))
		}
	})
	res := runClient(t, "remote-cmd-text", port, "a\nb\nc\nd\nq\n")
	want := "5\nhello\n4\n123\n\n12\nhello world!\n0\n\n"
	if res.Code != 0 || res.Stdout != want {
		t.Fatalf("exit %d\nstdout:\n%q\nwant:\n%q\nstderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
}

func TestRemoteCmdTextPythonClient(t *testing.T) {
	needPython(t)
	// --pause 0.5: the original client must get the length alone (a generous margin for a
	// loaded machine; the default is 0.1 s)
	srv := startServer(t, "remote-cmd-text", "--allow-exec", "--pause", "0.5")
	res := runPyClient(t, "remote-cmd-text", srv.Port, "echo hi\nprintf abc\nq\n")
	if res.Code != 0 {
		t.Fatalf("python client: exit %d\n%s", res.Code, res.Stderr)
	}
	wantLines(t, "python client", res.Stdout, "3\nhi\n\n", "3\nabc\n")
}

func TestRemoteCmdTextPythonServer(t *testing.T) {
	py := startPyServer(t, "remote-cmd-text")
	res := runClient(t, "remote-cmd-text", py.Port, "echo hi\nprintf 123\nq\n")
	if res.Code != 0 || res.Stdout != "3\nhi\n\n3\n123\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

// TestRemoteCmdTextOriginalClientFlaw: the stuck reply that the nsh client
// reads (TestRemoteCmdTextClientStuck) crashes the original client.
func TestRemoteCmdTextOriginalClientFlaw(t *testing.T) {
	needPython(t)
	port := fakeServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		if _, err := c.Read(buf); err == nil {
			c.Write([]byte("5hello"))
		}
	})
	res := runPyClient(t, "remote-cmd-text", port, "a\nq\n")
	if res.Code == 0 || !strings.Contains(res.Stderr, "ValueError") {
		t.Fatalf("the original client read a stuck reply? exit %d\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
}
