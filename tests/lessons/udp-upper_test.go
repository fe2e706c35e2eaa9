package lessons_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestUDPUpper runs seed 002's Q11 UDP upper-case program with every pairing of
// nsh and the Python original.
func TestUDPUpper(t *testing.T) {
	tests := []struct {
		name     string
		pyServer bool
		pyClient bool
	}{
		{"nsh to nsh", false, false},
		{"python client to nsh server", false, true},
		{"nsh client to python server", true, false},
	}
	const input = "hello\n\n  udp world  \nhéllo 中\n"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "udp-upper")
			} else {
				srv = startServer(t, "udp-upper")
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "udp-upper", srv.Port, input)
			} else {
				res = runClient(t, "udp-upper", srv.Port, input)
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, "HELLO\n", "UDP WORLD\n", "HéLLO 中\n")
			if strings.Count(res.Stdout, "\n") != 3 {
				t.Errorf("client printed %q: want three answers (the empty line is skipped)", res.Stdout)
			}
			if !tc.pyServer {
				srv.WaitFor(t, "udp world\t127.0.0.1:")
				wantLines(t, "server stdout", srv.Stdout(), "hello\t127.0.0.1:", "udp world\t127.0.0.1:")
			}
		})
	}
}

// TestUDPUpperNoAnswer: a lost answer no longer hangs the client.
func TestUDPUpperNoAnswer(t *testing.T) {
	port := freePort(t, "udp")
	res := runClient(t, "udp-upper", port, "hello\n", "--timeout", "0.2")
	want := "no answer from 127.0.0.1:" + strconv.Itoa(port)
	if res.Code != 0 || !strings.Contains(res.Stdout, want) {
		t.Fatalf("exit %d, stdout %q, want %q\nstderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
}
