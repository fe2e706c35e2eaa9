package lessons_test

import (
	"strings"
	"testing"
)

// tcp-chat (seed 000 #1): one message, one operator reply, one at a time.
func TestTCPChat(t *testing.T) {
	srv := startServer(t, "tcp-chat")
	// The operator's replies, typed ahead; the empty line is refused and asked again.
	srv.Send(t, "pong one\n\npong two\npong three\n")
	res := runClient(t, "tcp-chat", srv.Port, "hello\n\nsecond\nq\nnot sent\n")
	if res.Code != 0 || res.Stdout != "pong one\npong two\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	out := srv.WaitFor(t, "empty reply")
	wantLines(t, "server", out, "listening on 127.0.0.1:", "......", "127.0.0.1:", "hello\n", "second\n", "empty reply")
	if strings.Contains(out, "not sent") {
		t.Fatalf("client sent text after q:\n%s", out)
	}
	// A second client is served after the first has left; when the operator's input
	// ends, the server closes the connection and stops.
	srv.CloseStdin()
	res = runClient(t, "tcp-chat", srv.Port, "third\nfourth\n")
	if res.Code != 0 || res.Stdout != "pong three\nthe server closed the connection\n" {
		t.Fatalf("second client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	if code := srv.WaitExit(t); code != 0 {
		t.Fatalf("server exit %d\n%s", code, srv.Stderr())
	}
	wantLines(t, "server", srv.Stdout(), "third\n", "fourth\n", "no more input: closing")
}

func TestTCPChatPythonClient(t *testing.T) {
	needPython(t)
	srv := startServer(t, "tcp-chat")
	srv.Send(t, "你好 python\nbye\n")
	res := runPyClient(t, "tcp-chat", srv.Port, "hello from python\nagain\nq\n")
	if res.Code != 0 {
		t.Fatalf("python client: exit %d\n%s", res.Code, res.Stderr)
	}
	wantLines(t, "python client", res.Stdout, ">>>>:你好 python\n", ">>>>:bye\n")
	wantLines(t, "server", srv.WaitFor(t, "again\n"), "hello from python\n", "again\n")
}

func TestTCPChatPythonServer(t *testing.T) {
	py := startPyServer(t, "tcp-chat")
	py.Send(t, "pong from python\n")
	res := runClient(t, "tcp-chat", py.Port, "héllo nsh\nq\n")
	if res.Code != 0 || res.Stdout != "pong from python\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	py.WaitFor(t, "héllo nsh\n")
}
