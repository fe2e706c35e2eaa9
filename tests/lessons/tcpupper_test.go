package lessons_test

import (
	"fmt"
	"strings"
	"testing"
)

// tcp-upper (seed 004): replies upper-cased; connect_ex; empty input skipped.
func TestTCPUpper(t *testing.T) {
	srv := startServer(t, "tcp-upper")
	// A first client stays connected: the nsh server serves the second one meanwhile
	// (the original would leave it waiting in the listen queue).
	idle := dial(t, "tcp", srv.Port)
	srv.WaitFor(t, "接到来自127.0.0.1的电话")
	long := strings.Repeat("abcdefghij", 300) // 3000 bytes: more than one recv(1024)
	res := runClient(t, "tcp-upper", srv.Port, "hello\n\n   \n  mixed Case 123 ünï  \n"+long+"\nlast\n")
	want := "HELLO\nMIXED CASE 123 üNï\n" + strings.ToUpper(long) + "\nLAST\n"
	if res.Code != 0 || res.Stdout != want {
		t.Fatalf("client: exit %d\nstdout:\n%q\nwant:\n%q\nstderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
	out := srv.WaitFor(t, `"last"`)
	if strings.Count(out, "接到来自127.0.0.1的电话") != 2 {
		t.Fatalf("server did not serve both clients:\n%s", out)
	}
	// bytes: exactly the message, upper-cased (ASCII only, like Python's bytes.upper)
	idle.Write([]byte("raw ÿ\x00x\xff"))
	if got := string(readN(t, idle, 9)); got != "RAW ÿ\x00X\xff" {
		t.Fatalf("got %q", got)
	}
}

func TestTCPUpperPythonClient(t *testing.T) {
	needPython(t)
	srv := startServer(t, "tcp-upper")
	// the original client ends with EOFError at the end of input
	res := runPyClient(t, "tcp-upper", srv.Port, "hello\n\nworld\n")
	wantLines(t, "python client", res.Stdout, ">>: HELLO\n", ">>: >>: WORLD\n")
}

func TestTCPUpperPythonServer(t *testing.T) {
	py := startPyServer(t, "tcp-upper")
	res := runClient(t, "tcp-upper", py.Port, "hello python\n")
	if res.Code != 0 || res.Stdout != "HELLO PYTHON\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
	wantLines(t, "python server", py.WaitFor(t, "hello python"), "接到来自127.0.0.1的电话", "b'hello python' <class 'bytes'>")
}

// reuseaddr (seed 004): a real TIME_WAIT makes the restart fail, SO_REUSEADDR fixes it.
func TestReuseAddr(t *testing.T) {
	srv := startServer(t, "reuseaddr")
	out := srv.Stdout()
	wantLines(t, "server", out,
		"1. bound 127.0.0.1:", "without SO_REUSEADDR", "in TIME_WAIT",
		"2. restart without SO_REUSEADDR: bind 127.0.0.1:", ": address already in use",
		"3. restart with SO_REUSEADDR: bind 127.0.0.1:", ": address already in use",
		fmt.Sprintf("4. bound 127.0.0.1:%d with SO_REUSEADDR", srv.Port), fmt.Sprintf("port %d in TIME_WAIT", srv.Port),
		fmt.Sprintf("5. restart without SO_REUSEADDR: bind 127.0.0.1:%d: address already in use", srv.Port),
		"6. restart with SO_REUSEADDR: bind succeeded",
		fmt.Sprintf("listening on 127.0.0.1:%d", srv.Port))
	res := runClient(t, "reuseaddr", srv.Port, "after the restart\n")
	if res.Code != 0 || res.Stdout != "AFTER THE RESTART\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}

	// The nsh server has gone, its TIME_WAIT stays: the Python original fails the same way
	// without SO_REUSEADDR and starts with it; then the nsh client talks to it.
	srv.Stop()
	needPython(t)
	fail := runPy(t, "reuseaddr", "server.py", "", "127.0.0.1", fmt.Sprint(srv.Port), "noreuse")
	if fail.Code == 0 || !strings.Contains(fail.Stderr, "Address already in use") {
		t.Fatalf("python server without SO_REUSEADDR: exit %d\n%s", fail.Code, fail.Stderr)
	}
	py := startPyServerAt(t, "reuseaddr", srv.Port)
	res = runClient(t, "reuseaddr", py.Port, "to python\n")
	if res.Code != 0 || res.Stdout != "TO PYTHON\n" {
		t.Fatalf("client: exit %d\nstdout:\n%q\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
	}
}

func TestReuseAddrPythonClient(t *testing.T) {
	needPython(t)
	srv := startServer(t, "reuseaddr")
	res := runPyClient(t, "tcp-upper", srv.Port, "hi\n")
	wantLines(t, "python client", res.Stdout, ">>: HI\n")
}
