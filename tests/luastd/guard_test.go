package luastd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"nsh/internal/memguard"
)

// withMemLimit sets the memory guard's limit for one test.
func withMemLimit(t *testing.T, n int64) {
	t.Helper()
	old, how := memguard.Limit(), memguard.Source()
	memguard.Set(n, "--max-mem")
	t.Cleanup(func() { memguard.Set(old, how) })
}

// TestMemGuardPlugins: the plugins' outputs whose size a script chooses
// are checked before they are made (hex, codec, json, recv sizes), and
// fs.read stops at the limit or at max= with nil, "file too large".
func TestMemGuardPlugins(t *testing.T) {
	withMemLimit(t, 5e6)
	cases := []struct{ src, want string }{
		{`hex.tohex(string.rep("x", 1e6), string.rep(":", 1e6))`, "hex.tohex: result of 1 TB exceeds the memory limit (5 MB; --max-mem)"},
		{`hex.dump(string.rep("x", 2e6))`, "hex.dump: result of"},
		{`codec.b64encode(string.rep("x", 3e6))`, "codec.b64encode: result of 6 MB exceeds the memory limit"},
		{`codec.decode(string.rep("x", 2e6), "gbk")`, "codec.decode: result of 8 MB exceeds"},
		{`codec.quote(string.rep(" ", 2e6))`, "codec.quote: result of 6 MB exceeds"},
		{`json.decode("[" .. string.rep("[],", 1e5) .. "[]]")`, "json.decode: result of"},
		{`string.format("%s|%s", string.rep("x", 2e6), string.rep("y", 2e6))`, ""}, // 4 MB: under the limit
	}
	for _, c := range cases {
		s, out, errb := session(t)
		if st := s.RunSource("guard.lua", "local ok, e = pcall(function() return "+c.src+" end) print(ok, ok or e)", nil); st != 0 {
			t.Fatalf("%s: status %d: %s", c.src, st, errb)
		}
		got := out.String()
		if c.want == "" {
			if !strings.HasPrefix(got, "true") {
				t.Errorf("%s: %q, want success", c.src, got)
			}
		} else if !strings.HasPrefix(got, "false\t") || !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %q\nwant false, %q", c.src, got, c.want)
		}
	}
	s, out, errb := session(t)
	src := `print(#hex.tohex(string.rep("x", 1e6), ":"), #codec.b64encode(string.rep("x", 1e6)), #json.decode("[" .. string.rep("1,", 1e4) .. "1]"))`
	if st := s.RunSource("under.lua", src, nil); st != 0 || out.String() != "2999999\t1333336\t10001\n" {
		t.Errorf("under the limit: %d %q %s", st, out, errb)
	}
}

// TestFsReadBounds: fs.read of an endless file fails with a clear error
// instead of the process, max= bounds it, and task:cancel stops a read of
// /dev/zero and a read waiting for a FIFO's writer.
func TestFsReadBounds(t *testing.T) {
	withMemLimit(t, 8e6)
	dir := t.TempDir()
	small := filepath.Join(dir, "small.txt")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	src := `
print(fs.read("/dev/zero"))
print(fs.read(` + luaQuote(small) + `, {max = 10}))
print(fs.read(` + luaQuote(small) + `, {max = 9}))
print(pcall(fs.read, ` + luaQuote(small) + `, {max = 0}))
local t = spawn(function() return fs.read(` + luaQuote(fifo) + `) end)
sleep(0.05); t:cancel(); print(t:join(20))
print("served on")
`
	s, out, errb := session(t)
	if st := s.RunSource("read.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	want := []string{
		"nil\tfile too large\tfs.read /dev/zero: more than 8 MB, the memory limit (--max-mem)",
		"0123456789",
		"nil\tfile too large\tfs.read " + small + ": more than max=9 bytes",
		"false\tread.lua:5: fs.read: option max must be a whole number of bytes >= 1, got 0",
		"true\tnil\tinterrupted\tfs.read " + fifo + ": interrupted",
		"served on",
	}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFsReadDevZeroCancelled: with the default limit (gigabytes) a read
// of /dev/zero runs long enough to be cancelled, and cancel stops it.
func TestFsReadDevZeroCancelled(t *testing.T) {
	withMemLimit(t, 1<<40) // reading would take minutes: only cancel ends it
	s, out, errb := session(t)
	src := `local t = spawn(function() return fs.read("/dev/zero") end)
sleep(0.02); t:cancel(); print(t:join(30))`
	if st := s.RunSource("zero.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if got := out.String(); got != "true\tnil\tinterrupted\tfs.read /dev/zero: interrupted\n" {
		t.Fatalf("got %q", got)
	}
}

// TestMemGuardRecv: a peer sending more than the memory limit to a
// recvexactly(2^40) or a receive("*a") gets the reader a failure, not the
// process killed; counts under the limit work as before.
func TestMemGuardRecv(t *testing.T) {
	withMemLimit(t, 2e6)
	src := `
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
spawn(function() for i = 1, 2 do local c = srv:accept(); c:sendall(string.rep("z", 1e6)); c:sendall(string.rep("z", 1e6)); c:sendall("!!"); c:close() end end)
local c = socket.connect("127.0.0.1", port)
local data, short, story, partial = c:recvexactly(2^40)
print(data, story, #(partial or ""))
c:close()
c = socket.connect("127.0.0.1", port)
local all, err = c:receive("*a")
print(all, err)
c:close()
`
	s, out, errb := session(t)
	if st := s.RunSource("recv.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	got := out.String()
	if !strings.Contains(got, "nil\trecvexactly: more than 2 MB, the memory limit (--max-mem)\t") || !strings.Contains(got, "nil\treceive: result of 2 MB exceeds the memory limit (2 MB; --max-mem)") {
		t.Fatalf("got %q", got)
	}
}
