package socket_test

import (
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
	_ "nsh/plugins/socket"
)

func newState(t testing.TB) (*lua.LState, *plugintest.Host) {
	t.Helper()
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "socket"), h
}

// TestLua runs every Test* function of test/test_*.lua, one fresh state per file.
func TestLua(t *testing.T) {
	files, err := filepath.Glob("test/test_*.lua")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Lua test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			L, _ := newState(t)
			plugintest.RunLuaTests(t, L, f)
		})
	}
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

// TestNoDescriptorLeak opens and closes 10,000 sockets from Lua and counts
// /proc/self/fd before and after.
func TestNoDescriptorLeak(t *testing.T) {
	checkNoLeak(t, `
		for i = 1, 10000 do
			local s = assert(socket.socket(socket.AF_INET, i % 2 == 0 and socket.SOCK_STREAM or socket.SOCK_DGRAM))
			if i % 100 == 0 then assert(s:bind("127.0.0.1", 0)) end
			s:close()
		end
		local srv = assert(socket.bind("127.0.0.1", 0))
		local _, port = srv:getsockname()
		for i = 1, 500 do
			local c = assert(socket.connect("127.0.0.1", port))
			local a = assert(srv:accept())
			c:close(); a:close()
		end
		srv:close()`)
}

// checkNoLeak runs code in a fresh state and fails when it leaves more
// descriptors open (/proc/self/fd) or sockets in the session table.
func checkNoLeak(t *testing.T, code string) {
	t.Helper()
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		t.Skip("no /proc/self/fd on this system")
	}
	L, h := newState(t)
	count := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return len(ents)
	}
	before := count()
	if err := L.DoString(code); err != nil {
		t.Fatal(err)
	}
	if after := count(); after > before {
		t.Fatalf("descriptor leak: %d open before, %d after", before, after)
	}
	if n := len(h.Sockets().List()); n != 0 {
		t.Fatalf("%d sockets left in the session table", n)
	}
}

// TestSocketsJoinSessionTable checks that sockets are listed in the
// session's table and closed by CloseAll, after which calls return "closed".
func TestSocketsJoinSessionTable(t *testing.T) {
	L, h := newState(t)
	if err := L.DoString(`srv = assert(socket.bind("127.0.0.1", 0)); u = socket.udp4()`); err != nil {
		t.Fatal(err)
	}
	if n := len(h.Sockets().List()); n != 2 {
		t.Fatalf("session table lists %d sockets, want 2", n)
	}
	h.Sockets().CloseAll()
	err := L.DoString(`
		local c, short = srv:accept()
		assert(c == nil and short == "closed", tostring(short))
		assert(tostring(srv):match("^tcp{server}: 0x%x+ <tcp closed>$"), tostring(srv))
		local d, short = u:recvfrom(10)
		assert(d == nil and short == "closed", tostring(short))
		assert(srv:close() == 1 and u:close() == 1, "close after the session closed them")`)
	if err != nil {
		t.Fatal(err)
	}
}
