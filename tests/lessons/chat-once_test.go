package lessons_test

import (
	"strings"
	"testing"
)

// TestChatOnce runs seed 002's Q8 chat (one message each way) with every pairing
// of nsh and the Python original.
func TestChatOnce(t *testing.T) {
	tests := []struct {
		name       string
		pyServer   bool
		pyClient   bool
		input      string
		wantClient string // the answer line the client prints
		wantServer string
	}{
		{"nsh to nsh", false, false, "hello nsh\n", "HELLO NSH\n", "这是收到的消息: hello nsh\n"},
		// bytes.upper(): ASCII letters only, the UTF-8 bytes of é and 中 unchanged
		{"nsh to nsh non-ASCII", false, false, "  héllo 中文 \n", "HéLLO 中文\n", "这是收到的消息: héllo 中文\n"},
		// an empty line: the nsh client ends its side instead of hanging in recv
		{"nsh to nsh empty", false, false, "\n", "开始发送数据\n\n", "这是收到的消息: \n"},
		{"python client to nsh server", false, true, "hello python\n", "b'HELLO PYTHON'\n", "这是收到的消息: hello python\n"},
		{"nsh client to python server", true, false, "hello nsh\n", "HELLO NSH\n", "这是收到的消息: hello nsh\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var srv *Server
			if tc.pyServer {
				srv = startPyServer(t, "chat-once")
			} else {
				srv = startServer(t, "chat-once")
			}
			var res Result
			if tc.pyClient {
				res = runPyClient(t, "chat-once", srv.Port, tc.input)
			} else {
				res = runClient(t, "chat-once", srv.Port, tc.input)
			}
			if res.Code != 0 {
				t.Fatalf("client exit %d\nstdout:\n%s\nstderr:\n%s", res.Code, res.Stdout, res.Stderr)
			}
			if !strings.HasSuffix(res.Stdout, tc.wantClient) {
				t.Errorf("client stdout %q, want it to end with %q", res.Stdout, tc.wantClient)
			}
			if code := srv.WaitExit(t); code != 0 {
				t.Errorf("server exit %d\nstderr:\n%s", code, srv.Stderr())
			}
			wantLines(t, "server stdout", srv.Stdout(), "等待数据连接:。。》》\n", tc.wantServer)
		})
	}
}
