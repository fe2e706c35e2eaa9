package lessons_test

import (
	"strings"
	"testing"
)

// TestUDPBoundaries runs seed 002's "UDP does not stick packets" program: each
// recvfrom(5) gets one whole datagram, in every pairing of nsh and Python.
func TestUDPBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		pyServer bool
		pyClient bool
		words    []string
		want     []string
	}{
		{"nsh to nsh", false, false, nil, []string{"res1: hello from 127.0.0.1:", "res2: james from 127.0.0.1:"}},
		// a 10-byte datagram is cut to 5 bytes; the next one still arrives whole
		{"nsh to nsh truncated", false, false, []string{"helloworld", "james"}, []string{"res1: hello from", "res2: james from"}},
		{"python client to nsh server", false, true, nil, []string{"res1: hello from 127.0.0.1:", "res2: james from 127.0.0.1:"}},
		{"nsh client to python server", true, false, nil, []string{"res1: (b'hello', ('127.0.0.1', ", "res2: (b'james', ('127.0.0.1', "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "udp-boundaries")
			} else {
				srv = startServer(t, "udp-boundaries")
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "udp-boundaries", srv.Port, "")
			} else {
				res = runClient(t, "udp-boundaries", srv.Port, "", tc.words...)
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			if code := srv.WaitExit(t); code != 0 {
				t.Fatalf("server exit %d\nstderr:\n%s", code, srv.Stderr())
			}
			out := srv.Stdout()
			wantLines(t, "server stdout", out, tc.want...)
			if strings.Count(out, "res") != 2 || strings.Contains(out, "world") {
				t.Errorf("server stdout: want exactly two 5-byte datagrams, the rest of helloworld dropped:\n%s", out)
			}
		})
	}
}
