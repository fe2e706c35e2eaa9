package lessons_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTimeServer runs seed 002's Q12/Q13 UDP time server: `time` answered with
// the server's clock, commands only when allowed, in every pairing of nsh and
// the Python original. The client's --set-clock is never used here.
func TestTimeServer(t *testing.T) {
	tests := []struct {
		name       string
		pyServer   bool
		pyClient   bool
		serverArgs []string
		input      string
		want       []string // substrings, in order, of the client's stdout
	}{
		{"nsh to nsh", false, false, nil, "time\n", []string{"\t127.0.0.1:", "offset: the server's clock is "}},
		{"refused by default", false, false, nil, "echo hi\n", []string{"nsh: refused: this server does not run commands."}},
		{"allow list", false, false, []string{"--allow", "echo"}, "echo hi there\nls\n", []string{"hi there\n", "nsh: refused"}},
		{"allow-exec", false, false, []string{"--allow-exec"}, "echo out; echo err >&2\n", []string{"out\nerr\n\t127.0.0.1:"}},
		{"answer capped to one datagram", false, false, []string{"--allow-exec"}, "head -c 3000 /dev/zero | tr '\\0' a\n",
			[]string{strings.Repeat("a", 990), "a\nnsh: answer cut at 1024 bytes\n\t127.0.0.1:"}},
		{"python client to nsh server", false, true, nil, "time\n", []string{" ('127.0.0.1', "}},
		{"nsh client to python server", true, false, nil, "time\necho hi\n", []string{"\t127.0.0.1:", "offset: ", "hi\n\t127.0.0.1:"}},
	}
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "time-server")
			} else {
				srv = startServer(t, "time-server", tc.serverArgs...)
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "time-server", srv.Port, tc.input)
			} else {
				res = runClient(t, "time-server", srv.Port, tc.input)
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, tc.want...)
			if strings.HasPrefix(tc.input, "time") {
				got := stamp.FindString(res.Stdout)
				if got == "" {
					t.Fatalf("no %%Y-%%m-%%d %%H:%%M:%%S time in %q", res.Stdout)
				}
				// same machine, same clock: the answer is the local time of a moment ago
				when, err := time.ParseInLocation("2006-01-02 15:04:05", got, time.Local)
				if err != nil || time.Since(when) > time.Minute || time.Until(when) > time.Second {
					t.Errorf("server time %q is not the local time now (%v)", got, time.Now())
				}
			}
		})
	}
}
