package lessons_test

import (
	"testing"
)

// TestStickyPackets runs the sticky-packets lesson (seed 002, Q7): two sends in
// one recv, the framed fix, and the TCP_NODELAY rounds, in every pairing of
// nsh and the Python programs written for it.
func TestStickyPackets(t *testing.T) {
	tests := []struct {
		name       string
		pyServer   bool
		pyClient   bool
		wantClient []string
		wantServer []string
	}{
		{"nsh to nsh", false, false,
			[]string{"one recv(1024) got: hellojames\n", "   message: hello\n", "   message: james\n", "TCP_NODELAY=0: ", "TCP_NODELAY=1: "},
			[]string{"one recv(1024) returned 10 bytes: hellojames\n", "message of 5 bytes: hello\n", "message of 5 bytes: james\n"}},
		{"python client to nsh server", false, true,
			[]string{"sticky: one recv(1024) got b'hellojames'\n", "framed: message b'hello'\n", "framed: message b'james'\n", "TCP_NODELAY=0: 3 rounds", "TCP_NODELAY=1: 3 rounds"},
			[]string{"one recv(1024) returned 10 bytes: hellojames\n", "message of 5 bytes: hello\n", "message of 5 bytes: james\n"}},
		{"nsh client to python server", true, false,
			[]string{"one recv(1024) got: hellojames\n", "   message: hello\n", "   message: james\n", "TCP_NODELAY=0: ", "TCP_NODELAY=1: "},
			[]string{"sticky: b'hellojames'\n", "framed: b'hello'\n", "framed: b'james'\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "sticky-packets", "0.5")
			} else {
				srv = startServer(t, "sticky-packets", "--wait", "0.5")
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "sticky-packets", srv.Port, "", "3")
			} else {
				res = runClient(t, "sticky-packets", srv.Port, "", "--rounds", "3")
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, tc.wantClient...)
			srv.WaitFor(t, tc.wantServer[len(tc.wantServer)-1])
			wantLines(t, "server stdout", srv.Stdout(), tc.wantServer...)
		})
	}
}
