package luastd

import (
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// ioWith wraps body in a function that has a file holding content open as
// f (rb) and removes the file afterwards; body returns the case's values.
func ioWith(content, body string) string {
	return `(function() local p = os.tmpname() local w = assert(io.open(p, "wb")) w:write(` + content + `) w:close()
		local f = assert(io.open(p, "rb")) local r = {(function() ` + body + ` end)()} f:close() os.remove(p) return unpack(r, 1, 12) end)()`
}

// ioReadCases are the fork's read(n), read("*l"), read("*a") and lines()
// (nsh_iolib.go) against C Lua 5.1: sizes across the read buffer's edges,
// the end of the file, CRLF lines, lines longer than the buffer.
var ioReadCases = []string{
	ioWith(`"hello"`, `return f:read(2), f:read(0), f:read(10), f:read(0), f:read(1), f:read("*a"), f:read("*l")`),
	ioWith(`""`, `return f:read(0), f:read(5), f:read("*a"), f:read("*l")`),
	ioWith(`string.rep("abcdefgh", 10000)`, `local a = f:read(16383) local b = f:read(2) local c = f:read(100000) return #a, b, #c, c:sub(-3), f:read(1)`),
	ioWith(`string.rep("x", 70000)`, `local t = {} while true do local s = f:read(2048) if not s then break end t[#t+1] = #s end return #t, t[1], t[#t]`),
	ioWith(`"tiny"`, `return f:read(2^31)`),
	ioWith(`"a\r\nb\n\nc\r\n\r\nlast"`, `return f:read("*l"), f:read("*l"), f:read("*l"), f:read("*l"), f:read("*l"), f:read("*l"), f:read("*l")`),
	ioWith(`string.rep("y", 40000) .. "\nshort\n" .. string.rep("z", 20000)`, `local n = {} for l in f:lines() do n[#n+1] = #l end return unpack(n)`),
	ioWith(`"1\r\n2\n3"`, `local n = {} for l in f:lines() do n[#n+1] = l end return unpack(n)`),
	ioWith(`"x\ny"`, `return f:read("*a"), f:read("*a"), f:read(1), f:read(0)`),
	ioWith(`"line1\nrest of it"`, `return f:read("*l", 3, "*a")`),
	ioWith(`"12 34\n"`, `return f:read("*n", "*n", "*l", "*l")`),
	`(function() local p = os.tmpname() local w = io.open(p, "wb") w:write(string.rep("q", 30000), "\n", "end\n") w:close()
		local n = {} for l in io.lines(p) do n[#n+1] = #l end os.remove(p) return unpack(n) end)()`,
}

// TestIOReadAsLua51 compares ioReadCases with lua5.1.
func TestIOReadAsLua51(t *testing.T) { compareWithLua51(t, ioReadCases) }

// BenchmarkFileRead2K: f:read(2048) to the end of an 8 MiB file, the read
// ltn12.source.file makes (before nsh_iolib.go: ~2.8 µs and ~6 KB of
// garbage per read; after: ~1 µs and ~2 KB, the string itself).
func BenchmarkFileRead2K(b *testing.B) {
	path := filepath.Join(b.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 8<<20), 0o644); err != nil {
		b.Fatal(err)
	}
	L := lua.NewState()
	defer L.Close()
	L.SetGlobal("PATH", lua.LString(path))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := L.DoString(`local f = io.open(PATH, "rb") while f:read(2048) do end f:close()`); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4096, "ns/read")
}
