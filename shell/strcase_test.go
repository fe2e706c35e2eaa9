package shell

import (
	"strings"
	"testing"
)

// refCase is the byte-at-a-time definition mapASCII must match.
func refCase(s string, lo, hi byte) string {
	b := []byte(s)
	for i, c := range b {
		if lo <= c && c <= hi {
			b[i] = c ^ 0x20
		}
	}
	return string(b)
}

func TestMapASCII(t *testing.T) {
	cases := []string{"", "a", "Z", "hello", "HELLO", "Hello, World! 123", "héllo wörld ÀÉ", "\x00\xff`{@[az AZ",
		strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789\n", 500), strings.Repeat("X", 31) + "y",
		strings.Repeat("\x80\xe1", 40) + "q", strings.Repeat("ABCDEFGH", 3) + "abc"}
	for i := 0; i < 256; i++ {
		cases = append(cases, strings.Repeat("\x00", i%13)+string([]byte{byte(i)})+"xyz"[:i%4])
		cases = append(cases, strings.Repeat("-", i%17)+string([]byte{byte(i), byte(255 - i)})+strings.Repeat("Q", i%9))
	}
	// every length and start offset around the 8- and 16-byte steps
	mixed := strings.Repeat("aB3{`zZ@\x80y", 12)
	for off := 0; off < 9; off++ {
		for n := 0; off+n <= 80; n++ {
			cases = append(cases, mixed[off:off+n])
		}
	}
	for _, s := range cases {
		if got, want := string(mapASCII(s, 'a', 'z')), refCase(s, 'a', 'z'); got != want {
			t.Errorf("upper(%q) = %q, want %q", s, got, want)
		}
		if got, want := string(mapASCII(s, 'A', 'Z')), refCase(s, 'A', 'Z'); got != want {
			t.Errorf("lower(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestStringCaseInLua(t *testing.T) {
	s, out, errb := newTestSession(t, "")
	src := `
		assert(("héllo wörld\255\0abc"):upper() == "HéLLO WöRLD\255\0ABC")
		assert(string.lower("ÀBC\254 XYZ") == "Àbc\254 xyz")
		assert(string.upper("") == "" and string.upper(12) == "12")
		assert(not pcall(string.upper), "upper without an argument raises")
		print(("mixed Case 1"):upper(), ("MIXED case 2"):lower())`
	if st := s.RunSource("t.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
	if out.String() != "MIXED CASE 1\tmixed case 2\n" {
		t.Errorf("printed %q", out)
	}
}

// TestStringCaseUnlocked: long strings are mapped with the session lock
// released; tasks doing it at once (under -race in CI) all get their own
// string right, on both sides of the threshold.
func TestStringCaseUnlocked(t *testing.T) {
	s, _, errb := newTestSession(t, "")
	src := `
		local ts = {}
		for i = 1, 8 do
			ts[i] = spawn(function()
				local base = string.char(96 + i) .. "x\255Y"
				for _, n in ipairs({100, 2047, 2048, 5000, 20000}) do
					local src = base:rep(n)
					for _ = 1, 5 do
						local up, low = src:upper(), src:lower()
						assert(up == (string.char(64 + i) .. "X\255Y"):rep(n), "upper")
						assert(low == (string.char(96 + i) .. "x\255y"):rep(n), "lower")
						assert(src == base:rep(n), "the source is untouched")
					end
				end
				return i
			end)
		end
		for i = 1, 8 do
			local ok, v = ts[i]:join(30)
			assert(ok and v == i, tostring(v))
		end`
	if st := s.RunSource("t.lua", src, nil); st != 0 {
		t.Fatalf("status %d: %s", st, errb)
	}
}

func BenchmarkUpper16K(b *testing.B) {
	s := strings.Repeat("abcdefghijklmnop", 1024)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		mapASCII(s, 'a', 'z')
	}
}

// BenchmarkUpper16KStrings is gopher-lua's former string.upper, for comparison.
func BenchmarkUpper16KStrings(b *testing.B) {
	s := strings.Repeat("abcdefghijklmnop", 1024)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		strings.ToUpper(s)
	}
}
