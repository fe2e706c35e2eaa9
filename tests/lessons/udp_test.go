package lessons_test

import (
	"strings"
	"testing"
)

// udp-server (seed 001): every datagram goes back to its sender.
func TestUDPServer(t *testing.T) {
	srv := startServer(t, "udp-server")
	res := runClient(t, "udp-server", srv.Port, "hello\n\n你好 udp\n")
	if res.Code != 0 || res.Stdout != "hello\n\n你好 udp\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	wantLines(t, "server", srv.WaitFor(t, "你好 udp"), "listening on 127.0.0.1:", "5 bytes\thello", "0 bytes", "你好 udp")

	// bytes: a plain Go UDP client gets its datagram back unchanged
	c := dial(t, "udp", srv.Port)
	c.Write([]byte("\x00raw\xffbytes"))
	buf := make([]byte, 100)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "\x00raw\xffbytes" {
		t.Fatalf("echo: %q, %v", buf[:n], err)
	}
}

// TestUDPServerSizeLimit: 65507 bytes is the largest IPv4 UDP payload.
func TestUDPServerSizeLimit(t *testing.T) {
	srv := startServer(t, "udp-server")
	res := runClient(t, "udp-server", srv.Port, "", "--size", "65507")
	if res.Code != 0 || res.Stdout != "sent one datagram of 65507 bytes, got 65507 bytes back\n" {
		t.Fatalf("65507: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	res = runClient(t, "udp-server", srv.Port, "", "--size", "65508")
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, "sendto 65508 bytes: ") || !strings.Contains(res.Stdout, "message too long") {
		t.Fatalf("65508: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestUDPServerPythonClient(t *testing.T) {
	needPython(t)
	srv := startServer(t, "udp-server")
	res := runPyClient(t, "udp-server", srv.Port, "from python\nagain\n")
	if res.Code != 0 || res.Stdout != ">>>from python\n>>>again\n>>>" {
		t.Fatalf("python client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestUDPServerPythonServer(t *testing.T) {
	py := startPyServer(t, "udp-server")
	res := runClient(t, "udp-server", py.Port, "to python\n")
	if res.Code != 0 || res.Stdout != "to python\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

// udp-feedback (seed 003): receive, then send a fixed feedback text.
func TestUDPFeedback(t *testing.T) {
	srv := startServer(t, "udp-feedback")
	res := runClient(t, "udp-feedback", srv.Port, "I love jingjing\nnoch einmal\n")
	if res.Code != 0 || res.Stdout != "Ich hab keine Hunge\nIch hab keine Hunge\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	wantLines(t, "server", srv.WaitFor(t, "noch einmal"), "listening on", "I love jingjing", "noch einmal")

	other := startServer(t, "udp-feedback", "--reply", "收到")
	c := dial(t, "udp", other.Port)
	c.Write([]byte("x"))
	buf := make([]byte, 100)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "收到" {
		t.Fatalf("feedback: %q, %v", buf[:n], err)
	}
}

// TestUDPFeedbackNoServer: UDP gives no error for a datagram nobody reads
// (or an ICMP "connection refused" on loopback); the client does not hang.
func TestUDPFeedbackNoServer(t *testing.T) {
	port := freePort(t, "udp")
	res := runClient(t, "udp-feedback", port, "anyone?\n", "--wait", "0.3")
	if res.Code != 0 || !strings.HasPrefix(res.Stdout, "no feedback: ") {
		t.Fatalf("exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestUDPFeedbackPythonClient(t *testing.T) {
	needPython(t)
	srv := startServer(t, "udp-feedback")
	res := runPyClient(t, "udp-feedback", srv.Port, "I love jingjing\n")
	if res.Code != 0 || res.Stdout != "Ich hab keine Hunge\n" {
		t.Fatalf("python client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	srv.WaitFor(t, "I love jingjing")
}

func TestUDPFeedbackPythonServer(t *testing.T) {
	py := startPyServer(t, "udp-feedback")
	res := runClient(t, "udp-feedback", py.Port, "I love jingjing\n")
	if res.Code != 0 || res.Stdout != "Ich hab keine Hunge\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	if code := py.WaitExit(t); code != 0 {
		t.Fatalf("python server exit %d: %s", code, py.Stderr())
	}
	wantLines(t, "python server", py.Stdout(), "I love jingjing")
}
