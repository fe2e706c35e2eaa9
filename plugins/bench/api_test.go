package bench

import (
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
)

func newLua(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "bench")
	L.SetGlobal("ECHO_PORT", lua.LNumber(echoServer(t, nil)))
	L.SetGlobal("UDP_PORT", lua.LNumber(udpServer(t, nil)))
	L.SetGlobal("CLOSED_PORT", lua.LNumber(freePort(t)))
	return L, h
}

func TestLuaAPI(t *testing.T) {
	L, _ := newLua(t)
	plugintest.RunLuaTests(t, L, "test/test_api.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newLua(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestCLI(t *testing.T) {
	echo := itoa(echoServer(t, nil))
	udp := itoa(udpServer(t, nil))
	closed := itoa(freePort(t))
	for _, tc := range []struct {
		args    []string
		code    int
		out     string // in stdout
		errText string // in stderr
	}{
		{[]string{"rr", "--port", echo, "--conns", "3", "--size", "64", "--requests", "90"}, 0, "RESULT mode=rr target=127.0.0.1:" + echo + " conns=3 size=64", ""},
		{[]string{"rr", "--port", echo, "--requests", "5", "--quiet"}, 0, "RESULT mode=rr", ""},
		{[]string{"rr", "-port", echo, "-duration", "0.05"}, 0, "round trips/s", ""},
		{[]string{"conns", "--port", echo, "--conns", "20", "--hold", "10ms"}, 0, "answered=20", ""},
		{[]string{"udp", "--port", udp, "--requests", "20", "--timeout", "1s"}, 0, "sent=20", ""},
		{[]string{"bulk", "--port", echo, "--dir", "send", "--bytes", "64K"}, 0, "bytes=65536", ""},
		{[]string{"rr", "--port", closed, "--requests", "1"}, 1, "", "connection refused"},
		{[]string{"rr", "--host", "192.168.1.10", "--port", "80"}, 2, "", "only loopback targets"},
		{[]string{"rr", "--conns", "5"}, 2, "", "--port is required"},
		{[]string{"fly", "--port", echo}, 2, "", "unknown mode"},
		{[]string{"rr", "--port", echo, "--duration", "soon"}, 2, "", "want a duration"},
		{[]string{}, 2, "usage: nsh bench", ""},
		{[]string{"--help"}, 0, "usage: nsh bench", ""},
	} {
		var out, errb strings.Builder
		code := Main(tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.errText) {
			t.Errorf("nsh bench %v: exit %d (want %d)\nstdout: %s\nstderr: %s", tc.args, code, tc.code, out.String(), errb.String())
		}
		if tc.code == 0 && tc.out != "" && strings.HasPrefix(tc.out, "RESULT") {
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if !strings.HasPrefix(lines[len(lines)-1], "RESULT ") {
				t.Errorf("nsh bench %v: last line is not the RESULT line:\n%s", tc.args, out.String())
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
