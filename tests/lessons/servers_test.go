package lessons_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestServersServeConcurrently: every TCP lesson server that says it serves
// clients at once answers an nsh client while a first connection sits idle
// (the originals would leave the second client waiting in the listen queue).
// tcp-chat and chat-once are one-to-one on purpose and not listed.
func TestServersServeConcurrently(t *testing.T) {
	tests := []struct {
		lesson     string
		serverArgs []string
		setup      func(t *testing.T, srvDir, cliDir string) // files the roles need
		input      string
		want       []string
		serverWant string // and on the server's stdout, where the client gets no answer
	}{
		{"tcp-upper", nil, nil, "hello\n", []string{"HELLO\n"}, ""},
		{"reuseaddr", nil, nil, "hello\n", []string{"HELLO\n"}, ""},
		{"remote-cmd", []string{"--allow", "echo"}, nil, "echo hi\n", []string{"返回的消息:hi\n"}, ""},
		{"remote-cmd-text", []string{"--allow-exec"}, nil, "echo hi\n", []string{"3\nhi\n"}, ""},
		{"sticky-packets", nil, nil, "", []string{"got: hellojames\n", "   message: james\n", "TCP_NODELAY=1: "}, ""},
		{"upload-post", nil, func(t *testing.T, _, cliDir string) {
			writeFile(t, filepath.Join(cliDir, "a.txt"), "upload me\n")
		}, "post|a.txt\n", []string{"上传成功\n"}, "saved tupian/a.txt (10 bytes"},
		{"ftp", nil, func(t *testing.T, srvDir, _ string) {
			writeFile(t, filepath.Join(srvDir, "share", "a.txt"), "get me\n")
		}, "get a.txt\n", []string{"md5 ok", "下载成功!"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.lesson, func(t *testing.T) {
			srvDir, cliDir := t.TempDir(), t.TempDir()
			if tc.setup != nil {
				tc.setup(t, srvDir, cliDir)
			}
			srv := startServerIn(t, srvDir, tc.lesson, tc.serverArgs...)
			idle := dialTCP(t, srv.Addr) // connected, says nothing
			defer idle.Close()
			args := []string{}
			if tc.lesson == "sticky-packets" {
				args = []string{"--rounds", "2"}
			}
			res := runClientIn(t, cliDir, tc.lesson, srv.Port, tc.input, args...)
			if res.Code != 0 {
				t.Fatalf("client exit %d while another client was connected\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			wantLines(t, "client stdout", res.Stdout, tc.want...)
			if tc.serverWant != "" {
				srv.WaitFor(t, tc.serverWant)
			}
		})
	}
}

// writeFile writes text to path, creating its folder.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLessonsOverIPv6: --host ::1 on both roles, for a TCP and a UDP lesson of
// each kind (the clients pick AF_INET6 from the address).
func TestLessonsOverIPv6(t *testing.T) {
	if l, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	} else {
		l.Close()
	}
	tests := []struct {
		lesson string
		input  string
		want   string
	}{
		{"tcp-upper", "hello\n", "HELLO\n"},
		{"chat-once", "hello\n", "HELLO\n"},
		{"udp-upper", "hello\n", "HELLO\n"},
		{"udp-feedback", "hello\n", "Ich hab keine Hunge\n"},
		{"time-server", "time\n", "\t[::1]:"},
		{"ftp", "get a.txt\n", "下载成功!"},
	}
	for _, tc := range tests {
		t.Run(tc.lesson, func(t *testing.T) {
			srvDir := t.TempDir()
			writeFile(t, filepath.Join(srvDir, "share", "a.txt"), "over IPv6\n")
			srv := startServerIn(t, srvDir, tc.lesson, "--host", "::1")
			if srv.Host != "::1" {
				t.Fatalf("server bound %s, want [::1]", srv.Addr)
			}
			res := runNsh(t, "", tc.input, "lesson", "run", tc.lesson, "client", "--host", "::1", "--port", strconv.Itoa(srv.Port))
			if res.Code != 0 || !strings.Contains(res.Stdout, tc.want) {
				t.Fatalf("exit %d, want %q\nstdout:\n%s\nstderr:\n%s", res.Code, tc.want, res.Stdout, res.Stderr)
			}
		})
	}
}
