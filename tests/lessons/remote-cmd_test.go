package lessons_test

import (
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestRemoteCmd runs seed 002's Q9 remote command program: nsh to nsh under the
// exec policies, and both directions of interop with the Python original.
func TestRemoteCmd(t *testing.T) {
	tests := []struct {
		name       string
		pyServer   bool
		pyClient   bool
		serverArgs []string
		clientArgs []string
		input      string
		want       []string // in order in the client's stdout
	}{
		{"refused by default", false, false, nil, nil, "echo hi\n",
			[]string{"返回的消息:nsh: refused: this server does not run commands."}},
		{"allow list runs without a shell", false, false, []string{"--allow", "echo,printf"}, nil,
			"echo hello world\necho a; id\nls /\n",
			[]string{"返回的消息:hello world\n\n", "返回的消息:a; id\n\n", "返回的消息:nsh: refused"}},
		{"allow-exec: stderr before stdout", false, false, []string{"--allow-exec"}, nil,
			"echo out; echo err >&2\n", []string{"返回的消息:err\nout\n\n"}},
		{"timeout", false, false, []string{"--allow-exec", "--timeout", "0.3"}, nil,
			"echo started; sleep 30\n", []string{"返回的消息:nsh: the command ran out of time (0.3 s) and was killed\nstarted\n"}},
		{"output cap", false, false, []string{"--allow-exec", "--max-output", "100"}, nil,
			"head -c 5000 /dev/zero | tr '\\0' a\n",
			[]string{"返回的消息:nsh: output cut at 100 bytes\n" + strings.Repeat("a", 100) + "\n"}},
		{"gbk output decoded", false, false, []string{"--allow-exec"}, []string{"--encoding", "gbk"},
			"printf '\\304\\343\\272\\303'\n", []string{"返回的消息:你好\n"}},
		{"python client to nsh server", false, true, []string{"--allow-exec"}, nil,
			"echo hello python\necho again\n", []string{"返回的消息:hello python\n", "返回的消息:again\n"}},
		{"nsh client to python server", true, false, nil, nil,
			"echo hello nsh\necho err >&2\n", []string{"返回的消息:hello nsh\n", "返回的消息:err\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "remote-cmd")
			} else {
				srv = startServer(t, "remote-cmd", tc.serverArgs...)
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "remote-cmd", srv.Port, tc.input)
			} else {
				res = runClient(t, "remote-cmd", srv.Port, tc.input, tc.clientArgs...)
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, tc.want...)
		})
	}
}

// TestRemoteCmdWire checks the bytes: a native ('<' on this machine) 4-byte
// length of stderr+stdout, then stderr, then stdout, and a refusal in the same
// framing; and that two clients are served at once.
func TestRemoteCmdWire(t *testing.T) {
	tests := []struct {
		name string
		args []string
		cmd  string
		want string
	}{
		{"exec", []string{"--allow-exec"}, "printf out; printf err >&2", "errout"},
		{"refusal", nil, "printf out", "nsh: refused: this server does not run commands. Start it with --allow-exec to run every command (as the original did), or with --allow PROG,PROG to allow some programs.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, "remote-cmd", tc.args...)
			idle := dialTCP(t, srv.Addr) // an idle first client must not block the second
			defer idle.Close()
			c := dialTCP(t, srv.Addr)
			defer c.Close()
			if _, err := c.Write([]byte(tc.cmd)); err != nil {
				t.Fatal(err)
			}
			var n int32
			if err := binary.Read(c, binary.LittleEndian, &n); err != nil {
				t.Fatalf("header: %v", err)
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(c, body); err != nil {
				t.Fatalf("body: %v", err)
			}
			if string(body) != tc.want {
				t.Errorf("body %q (length %d), want %q", body, n, tc.want)
			}
		})
	}
}

// dialTCP connects to addr with a deadline on every later read and write.
func dialTCP(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, readyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(clientTimeout))
	return c
}

// TestExecFlags: the command servers check --allow-exec, --timeout and
// --max-output at start (exec wants a timeout > 0 and whole bytes), so a bad
// value stops the server with a message instead of failing every command.
func TestExecFlags(t *testing.T) {
	tests := []struct {
		lesson string
		args   []string
		want   string
	}{
		{"remote-cmd", []string{"--allow-exec", "--timeout", "0"}, `--timeout needs a number of seconds > 0, got "0"`},
		{"remote-cmd", []string{"--max-output", "1.5"}, `--max-output needs a whole number of bytes >= 0, got "1.5"`},
		// the runner takes the next word for the flag's value: it must not slip by as "on"
		{"remote-cmd", []string{"--allow-exec", "0.0.0.0"}, `--allow-exec is a switch: give it alone (or true/false), got "0.0.0.0"`},
		{"remote-cmd-text", []string{"--allow-exec", "--timeout", "-1"}, `--timeout needs a number of seconds > 0, got "-1"`},
		{"remote-cmd-text", []string{"--allow-exec", "maybe"}, `--allow-exec is a switch`},
		{"remote-cmd-text", []string{"--pause", "-1"}, `--pause needs a number of seconds >= 0`},
		{"time-server", []string{"--allow-exec", "--timeout", "0"}, `--timeout needs a number of seconds > 0`},
	}
	for _, tc := range tests {
		t.Run(tc.lesson+" "+strings.Join(tc.args, " "), func(t *testing.T) {
			res := runNsh(t, "", "", append([]string{"lesson", "run", tc.lesson, "server", "--port", "0"}, tc.args...)...)
			if res.Code != 1 || !strings.Contains(res.Stderr, tc.want) || strings.Contains(res.Stdout, "listening on") {
				t.Fatalf("exit %d, want 1 and %q before listening\nstdout:\n%s\nstderr:\n%s", res.Code, tc.want, res.Stdout, res.Stderr)
			}
		})
	}
}

// TestExecSwitchOff: --allow-exec false (or no, 0) keeps the refusal, in both
// command servers.
func TestExecSwitchOff(t *testing.T) {
	srv := startServer(t, "remote-cmd", "--allow-exec", "false")
	res := runClient(t, "remote-cmd", srv.Port, "echo hi\n")
	wantLines(t, "remote-cmd client", res.Stdout, "返回的消息:nsh: refused")
	srv = startServer(t, "remote-cmd-text", "--allow-exec=no")
	srv.WaitFor(t, "commands are refused")
	res = runClient(t, "remote-cmd-text", srv.Port, "echo hi\n")
	wantLines(t, "remote-cmd-text client", res.Stdout, "nsh: this server does not run commands")
}
