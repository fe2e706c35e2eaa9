package luastd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// coroutineCases are C Lua 5.1's behaviour for a yield that cannot be
// made (inside a sort comparator, a metamethod): pcall catches "attempt to
// yield across metamethod/C-call boundary" and the coroutine goes on,
// never left "running". A yield inside pcall itself follows Lua 5.2+
// (yield_test.go).
var coroutineCases = []string{
	`(function() local w = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end return "done" end) return w(), w(), w(), w() end)()`,
	`(function() local co = coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)
		local ok, e = coroutine.resume(co) return ok, e, coroutine.status(co) end)()`,
	`(function() local t = setmetatable({}, {__index = function() coroutine.yield() return 1 end})
		local co = coroutine.create(function() return pcall(function() return t.x end) end) return coroutine.resume(co) end)()`,
	`(function() local co = coroutine.create(function() error("boom", 0) end) local a, b = coroutine.resume(co) return a, b, coroutine.status(co), coroutine.resume(co) end)()`,
	`(function() local co co = coroutine.create(function() return coroutine.resume(co) end) return coroutine.resume(co) end)()`,
	`(function() local co = coroutine.create(function(...) return select("#", ...), coroutine.yield(...) end)
		local a = {coroutine.resume(co, 1, nil, 3)} local b = {coroutine.resume(co, "x")} return a[1], a[2], a[3], a[4], b[1], b[2], b[3] end)()`,
	`coroutine.status(coroutine.create(print)), type(coroutine.running())`,
}

// TestCoroutinesAsLua51 compares coroutineCases with lua5.1.
func TestCoroutinesAsLua51(t *testing.T) {
	compareWithLua51(t, coroutineCases)
}

// TestYieldFromNshCallbacks: a yield from a callback nsh calls
// (recvfile's step) is the same clear error and never freezes the
// session: the script goes on to its last line.
func TestYieldFromNshCallbacks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "got.bin")
	src := `
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
spawn(function() local c = srv:accept(); c:sendall(string.rep("z", 5 * 1024 * 1024)); c:close() end)
local c = socket.connect("127.0.0.1", port)
local co = coroutine.create(function()
  return pcall(c.recvfile, c, ` + luaQuote(path) + `, 5 * 1024 * 1024, {step = function(n) coroutine.yield(n) end})
end)
print(coroutine.resume(co))
print(coroutine.status(co))
c:close()
print("after")
`
	s, out, errb := session(t)
	if st := s.RunSource("step.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	got := out.String()
	if !strings.Contains(got, "true\tfalse\t") || !strings.Contains(got, "attempt to yield across metamethod/C-call boundary") || !strings.HasSuffix(got, "dead\nafter\n") {
		t.Fatalf("got %q", got)
	}
	if _, err := os.Stat(path + ".nope"); err == nil {
		t.Fatal("impossible")
	}
}

func luaQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
