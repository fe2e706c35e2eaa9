package structlib

import (
	"encoding/hex"
	"math"
	"os/exec"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "struct"), h
}

// luaString runs code (which returns one string) and returns the result.
func luaString(t *testing.T, L *lua.LState, code string) (string, error) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		return "", err
	}
	v := L.Get(-1)
	L.Pop(1)
	return v.String(), nil
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/struct_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestPackBytes(t *testing.T) {
	tests := []struct {
		code string
		want string // hex
	}{
		{`struct.pack("<hIq", -2, 7, -1)`, "feff07000000ffffffffffffffff"},
		{`struct.pack(">hIq", -2, 7, 1)`, "fffe000000070000000000000001"},
		{`struct.pack("!H", 0x1234)`, "1234"},
		{`struct.pack("@bi", 1, 2)`, "0100000002000000"},
		{`struct.pack("@ci0l", "a", 1)`, "6100000001000000"},
		{`struct.pack("3s", "a")`, "610000"},
		{`struct.pack("5p", "abcdefg")`, "0461626364"},
		// CPython copies all that fits but the length byte stops at 255.
		{`struct.pack("257p", string.rep("a", 300))`, "ff" + strings.Repeat("61", 256)},
		{`struct.pack("0s", "abc")`, ""},
		{`struct.pack("<2x?", 0)`, "000000"},
		{`struct.pack("<??", true, 5)`, "0101"},
		{`struct.pack("<e", 65504)`, "ff7b"},
		{`struct.pack("<e", 1e-8)`, "0000"},
		{`struct.pack("<f", 1.5)`, "0000c03f"},
		{`struct.pack(">d", -0.0)`, "8000000000000000"},
		{`struct.pack("<Q", "18446744073709551615")`, "ffffffffffffffff"},
		{`struct.pack("<q", "-9223372036854775808")`, "0000000000000080"},
		{`struct.pack("<Q", "0x0102030405060708")`, "0807060504030201"},
		{`struct.pack("< h h", 1, 2)`, "01000200"},
		{`struct.pack("@N", 2^53)`, "0000000000002000"},
	}
	L, _ := newState(t)
	for _, tt := range tests {
		got, err := luaString(t, L, "return "+tt.code)
		if err != nil {
			t.Errorf("%s: %v", tt.code, err)
			continue
		}
		if h := hex.EncodeToString([]byte(got)); h != tt.want {
			t.Errorf("%s = %s, want %s", tt.code, h, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct{ code, want string }{
		{`struct.pack("i", 2^31)`, "struct.pack: bad argument #2 ('i' format requires -2147483648 <= number <= 2147483647)"},
		{`struct.pack("<h", 1, 40000)`, "struct.pack: expected 1 items for packing (got 2)"},
		{`struct.pack("<hh", 1, 40000)`, "struct.pack: bad argument #3 ('h' format requires -32768 <= number <= 32767)"},
		{`struct.pack("B", -1)`, "'B' format requires 0 <= number <= 255"},
		{`struct.pack("b", 1.5)`, "bad argument #2 (required argument is not an integer)"},
		{`struct.pack("i", "7")`, "required argument is not an integer"},
		{`struct.pack("<Q", 2^60)`, "'Q' value 1152921504606846976 is beyond 2^53"},
		{`struct.pack("<Q", 2^64)`, "'Q' format requires 0 <= number <= 18446744073709551615"},
		{`struct.pack("<Q", "-1")`, "'Q' format requires 0 <= number <= 18446744073709551615"},
		{`struct.pack("<q", "9223372036854775808")`, "'q' format requires -9223372036854775808 <= number <= 9223372036854775807"},
		{`struct.pack("<q", "12ab")`, "required argument is not an integer"},
		{`struct.pack("c", "ab")`, "char format requires a string of length 1"},
		{`struct.pack("s", 1)`, "argument for 's' must be a string"},
		{`struct.pack("f", "x")`, "required argument is not a float"},
		{`struct.pack("<f", 1e300)`, "float too large to pack with f format"},
		{`struct.pack("f", 1e300)`, "struct.pack: bad argument #2 (float too large to pack with f format)"},
		{`struct.pack("@f", -1e300)`, "float too large to pack with f format"},
		{`struct.pack("<e", 65520)`, "float too large to pack with e format"},
		{`struct.pack("z")`, "struct.pack: bad argument #1 (bad char in struct format)"},
		{`struct.pack("<n", 1)`, "bad char in struct format"},
		{`struct.pack("4 h", 1)`, "bad char in struct format"},
		{`struct.pack("h<", 1)`, "bad char in struct format"},
		{`struct.pack("4")`, "repeat count given without format specifier"},
		{`struct.pack("999999999x")`, "total struct size too long"},
		{`struct.pack(5)`, "struct.pack: bad argument #1 (string expected, got number)"},
		{`struct.unpack("<i", "abc")`, "struct.unpack: bad argument #2 (unpack requires a buffer of 4 bytes, got 3)"},
		{`struct.unpack("<i")`, "struct.unpack: bad argument #2 (string expected, got no value)"},
		{`struct.unpack("5000B", string.rep("x", 5000))`, "format yields 5000 values"},
		{`struct.unpack_from("<i", "abcdef", 4)`, "unpack_from requires a buffer of at least 8 bytes for unpacking 4 bytes at offset 4 (actual buffer size is 6)"},
		{`struct.unpack_from("<i", "abcdef", -10)`, "offset -10 out of range for 6-byte buffer"},
		{`struct.unpack_from("<i", "abcdef", 1.5)`, "bad argument #3 (offset must be an integer, got number)"},
		{`struct.iter_unpack("<i", "abcdef")`, "iterative unpacking requires a buffer of a multiple of 4 bytes, got 6"},
		{`struct.iter_unpack("<0i", "")`, "cannot iteratively unpack with a struct of length 0"},
	}
	L, _ := newState(t)
	for _, tt := range tests {
		_, err := luaString(t, L, "return "+tt.code)
		if err == nil {
			t.Errorf("%s: no error, want %q", tt.code, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want it to contain %q", tt.code, err, tt.want)
		}
	}
}

func TestCalcsize(t *testing.T) {
	tests := []struct {
		format string
		want   int
	}{
		{"", 0}, {"@bhilqd", 32}, {"@ci0l", 8}, {"@3s i", 8}, {"@?e", 4}, {"@bP", 16},
		{"=bhilqd", 27}, {"<5p2x", 7}, {"!nothing", -1}, {"@nN", 16}, {"@bn", 16}, {"<10s", 10},
	}
	for _, tt := range tests {
		f, err := parseFormat(tt.format)
		if tt.want < 0 {
			if err == nil {
				t.Errorf("calcsize(%q) = %d, want an error", tt.format, f.size)
			}
			continue
		}
		if err != nil || f.size != tt.want {
			t.Errorf("calcsize(%q) = %v, %v; want %d", tt.format, f, err, tt.want)
		}
	}
}

func TestFloat16(t *testing.T) {
	for _, x := range []float64{0, 1, -2, 0.5, 65504, 6.1035156e-05, 5.96e-08, math.Inf(1), math.Inf(-1)} {
		h, err := float16bits(x)
		if err != nil {
			t.Fatalf("float16bits(%v): %v", x, err)
		}
		if back := float16value(h); math.Abs(back-x) > math.Abs(x)*1e-3 && !(math.IsInf(x, 0) && back == x) {
			t.Errorf("float16 %v -> %#04x -> %v", x, h, back)
		}
	}
	h, _ := float16bits(math.NaN())
	if !math.IsNaN(float16value(h)) {
		t.Errorf("NaN did not survive: %#04x", h)
	}
	// Every half value round-trips exactly.
	for u := 0; u < 1<<16; u++ {
		x := float16value(uint16(u))
		if math.IsNaN(x) {
			continue
		}
		h, err := float16bits(x)
		if err != nil || h != uint16(u) {
			t.Fatalf("half %#04x -> %v -> %#04x, %v", u, x, h, err)
		}
	}
}

// TestAgainstPython packs the same values with CPython's struct and compares
// the bytes, then checks that unpack gives the values back.
func TestAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the comparison with CPython's struct")
	}
	cases := []struct{ format, lua, py string }{
		{"<hIq", "-2, 7, -1", "-2, 7, -1"},
		{">bBhHiIlLqQ", "-128, 255, -32768, 65535, -2147483648, 4294967295, -5, 6, -9007199254740992, 9007199254740992",
			"-128, 255, -32768, 65535, -2147483648, 4294967295, -5, 6, -9007199254740992, 9007199254740992"},
		{"@bhilqnNP", "1, 2, 3, 4, 5, -6, 7, 8", "1, 2, 3, 4, 5, -6, 7, 8"},
		{"@c?hi0q", `"z", true, -1, 1`, `b"z", True, -1, 1`},
		{"=efd", "1.5, 3.25, 0.1", "1.5, 3.25, 0.1"},
		{"<e", "0.1", "0.1"},
		{"<e", "-65504", "-65504"},
		{"<e", "0.00001", "0.00001"},
		{">f", "16777217", "16777217"},
		{"!4s3p", `"ab", "hello"`, `b"ab", b"hello"`},
		{"@b 2x h 3s", `1, 2, "xyz"`, `1, 2, b"xyz"`},
		{"<Qq", `"18446744073709551615", "-9223372036854775807"`, "18446744073709551615, -9223372036854775807"},
		{"256p", `string.rep("a", 300)`, `b"a"*300`},
	}
	var script strings.Builder
	script.WriteString("import struct, sys\n")
	for _, c := range cases {
		script.WriteString("print(struct.pack(" + pyQuote(c.format) + ", " + c.py + ").hex())\n")
	}
	out, err := exec.Command(py, "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr(err))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("python printed %d lines for %d cases", len(lines), len(cases))
	}
	L, _ := newState(t)
	for i, c := range cases {
		got, err := luaString(t, L, "return struct.pack("+pyQuote(c.format)+", "+c.lua+")")
		if err != nil {
			t.Errorf("%s: %v", c.format, err)
			continue
		}
		if h := hex.EncodeToString([]byte(got)); h != lines[i] {
			t.Errorf("struct.pack(%q, %s) = %s, python gives %s", c.format, c.lua, h, lines[i])
		}
	}
}

func pyQuote(s string) string { return `"` + s + `"` }

// TestUnpackAgainstPython unpacks the same bytes with CPython and compares
// the integers (beyond 2^53 nsh returns decimal strings, which print alike).
func TestUnpackAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the comparison with CPython's struct")
	}
	data := "\xff\xfe\x80\x01\x7f\x00\x10\x20\x81\x92\xa3\xb4\xc5\xd6\xe7\xf8\x01\x02\x03\x04\x05\x06\x07\x08\x00\x00\x00\x00\x00\x00\x00\x80"
	formats := []string{"<bBhHiIqQ", ">bBhHiIqQ", "@bBhHiIq", "=32B", "<4q", "<4Q", ">4q", "@4N", "@4n", "<16h", ">8I", "<qQ8xq"}
	var script strings.Builder
	script.WriteString("import struct\ndata = bytes.fromhex('" + hex.EncodeToString([]byte(data)) + "')\n")
	for _, f := range formats {
		script.WriteString("print(','.join(v.decode('latin-1') if isinstance(v, bytes) else str(v) for v in struct.unpack_from('" + f + "', data)))\n")
	}
	out, err := exec.Command(py, "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr(err))
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	L, _ := newState(t)
	L.SetGlobal("data", lua.LString(data))
	for i, f := range formats {
		got, err := luaString(t, L, `local t = {struct.unpack_from("`+f+`", data)}
			for i = 1, #t do t[i] = tostring(t[i]) end
			return table.concat(t, ",")`)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if got != lines[i] {
			t.Errorf("unpack_from(%q) = %s, python gives %s", f, got, lines[i])
		}
	}
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
