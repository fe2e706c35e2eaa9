package lessons_test

// The peers the lessons are tested against: the Python originals under
// testdata/ and small Go programs (a fake server, a dialer) that send or
// check exact bytes.

import (
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// needPython skips the test when python3 is not installed.
func needPython(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found in PATH: skipping interop with the Python original (install python3 to run it)")
	}
	return py
}

// pyScript returns the path of testdata/NAME/FILE, failing when it is missing.
func pyScript(t *testing.T, name, file string) string {
	t.Helper()
	p := filepath.Join(testdata, name, file)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("python original: %v", err)
	}
	return p
}

// startPyServer runs testdata/NAME/server.py 127.0.0.1 0 ARGS... in a fresh
// temporary directory and waits for its ready line.
func startPyServer(t *testing.T, name string, args ...string) *Server {
	t.Helper()
	return startPyServerIn(t, t.TempDir(), name, args...)
}

// startPyServerIn is startPyServer with working directory dir.
func startPyServerIn(t *testing.T, dir, name string, args ...string) *Server {
	t.Helper()
	py := needPython(t)
	argv := append([]string{py, "-u", pyScript(t, name, "server.py"), "127.0.0.1", "0"}, args...)
	return start(t, "python "+name+" server", dir, argv...)
}

// startPyServerAt runs testdata/NAME/server.py 127.0.0.1 PORT ARGS... (a
// fixed port, e.g. one held in TIME_WAIT) and waits for its ready line.
func startPyServerAt(t *testing.T, name string, port int, args ...string) *Server {
	t.Helper()
	py := needPython(t)
	argv := append([]string{py, "-u", pyScript(t, name, "server.py"), "127.0.0.1", strconv.Itoa(port)}, args...)
	return start(t, "python "+name+" server", t.TempDir(), argv...)
}

// runPy runs testdata/NAME/FILE with args to its end.
func runPy(t *testing.T, name, file, stdin string, args ...string) Result {
	t.Helper()
	py := needPython(t)
	return run(t, t.TempDir(), stdin, append([]string{py, "-u", pyScript(t, name, file)}, args...)...)
}

// runPyClient runs testdata/NAME/client.py 127.0.0.1 PORT ARGS... with stdin.
func runPyClient(t *testing.T, name string, port int, stdin string, args ...string) Result {
	t.Helper()
	return runPyClientIn(t, t.TempDir(), name, port, stdin, args...)
}

// runPyClientIn is runPyClient with working directory dir.
func runPyClientIn(t *testing.T, dir, name string, port int, stdin string, args ...string) Result {
	t.Helper()
	py := needPython(t)
	argv := append([]string{py, "-u", pyScript(t, name, "client.py"), "127.0.0.1", strconv.Itoa(port)}, args...)
	return run(t, dir, stdin, argv...)
}

// freePort returns a loopback UDP or TCP port that was free a moment ago
// (for Python programs that cannot print their port; prefer --port 0).
func freePort(t *testing.T, network string) int {
	t.Helper()
	switch network {
	case "udp":
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port
	default:
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port
	}
}

// fakeServer listens on 127.0.0.1:0 and runs handle for each connection (in
// its own goroutine) until the test ends; it returns the port. handle must not
// call t.Fatal: it reports through t.Error.
func fakeServer(t *testing.T, handle func(c net.Conn)) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(clientTimeout))
				handle(c)
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// dial connects to a lesson server on loopback with the harness's deadline.
func dial(t *testing.T, network string, port int) net.Conn {
	t.Helper()
	c, err := net.Dial(network, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(clientTimeout))
	t.Cleanup(func() { c.Close() })
	return c
}

// readN reads exactly n bytes from c.
func readN(t *testing.T, c net.Conn, n int) []byte {
	t.Helper()
	buf := make([]byte, n)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read %d bytes: %v (got %q)", n, err, buf)
	}
	return buf
}
