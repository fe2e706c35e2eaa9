package luastd

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"nsh/shell"
)

// sameAsLua51 are expressions whose results (or error messages) nsh must
// give exactly as C Lua 5.1 gives them.
var sameAsLua51 = []string{
	// string.format: every conversion, flags, widths, missing arguments
	`string.format("%d|%5d|%-5d|%05d|%+d|% d|%.3d", 42, 42, 42, -42, 42, 42, 7)`,
	`string.format("%i|%u|%o|%x|%X|%#x|%#o|%#X", 3.7, -3, 8, 255, 255, 255, 8, 0)`,
	`string.format("%x|%d|%d|%d", -1, 2^63, 1e300, 0/0)`,
	`string.format("%e|%E|%.2e|%f|%.0f|%10.3f|%-10.1f|", 12345.678, 0.00012, 1e100, 1/3, 2.5, math.pi, -1.25)`,
	`string.format("%g|%G|%g|%g|%g|%.3g|%#g|%g", 1e20, 1e-10, 1234567, 100000, 0.1, 0.0001234, 1.5, 2^53)`,
	`string.format("%f|%e|%g|%5.1f|%-6g|%+f", 1/0, -1/0, 1/0, 1/0, -1/0, 1/0)`,
	`string.format("%s|%10s|%-10s|%.1s|%5.2s|%s|%s", "ab", "ab", "ab", "ab", "abc", 12.5, 1e100)`,
	`string.format("%q", "a\0b\n\r\"\\\1\255z")`,
	`string.format("%q|%q", 1, 1/0)`,
	`string.format("%c%c%c", 76, 117, 97)`,
	`string.format("%5c|%-5c|", 65, 66)`,
	`string.format("%%|%5%%d", 1)`,
	`string.format("%s %s", 1, 2, 3)`,
	`#string.format("%99d|%.99f|%99.99f", 1, 1, 1e308)`,
	`#string.format("%s", string.rep("x", 1000))`,
	`string.format("%5s", string.rep("y", 120)) == string.rep("y", 120)`,
	`string.format("%d")`,
	`string.format("%d", "x")`,
	`string.format("%d", " 0x10 ")`,
	`string.format("%s")`,
	`string.format("%s", nil)`,
	`string.format("%d", nil)`,
	`string.format("%s %s", 1)`,
	`string.format("%100d", 1)`,
	`string.format("%999999999d", 1)`,
	`string.format("%.100f", 1)`,
	`string.format("%1.100f", 1)`,
	`string.format("%------d", 1)`,
	`string.format("%-----d|", 1)`,
	`string.format("%y", 1)`,
	`string.format("%", 1)`,
	`string.format("%a", 1)`,
	`string.format("%q", {})`,
	`string.format()`,
	`string.format(nil)`,
	// string.char, byte, rep, sub
	`string.char(72, 105, 255, 0, 65.9)`,
	`string.char(256)`,
	`string.char(-1)`,
	`string.char("65", " 66 ")`,
	`string.char("x")`,
	`string.char()`,
	`string.byte("abc"), string.byte("abc", 2), string.byte("abc", -1), string.byte("abc", 0)`,
	`string.byte("abc", -10, 10)`,
	`string.byte("abc", 2, 1), string.byte("", 1), string.byte("abc", 2.7)`,
	`string.byte("abc", 2^40), string.byte("abc", -2^40, 2)`,
	`string.rep("ab", 3), string.rep("x", 0), string.rep("x", -1), string.rep("", 2^40), string.rep("x", 0/0)`,
	`string.rep()`,
	`string.rep("x", "y")`,
	`string.sub("hello", 2, -2), string.sub("hello", -3), string.sub("hello", 10), string.sub("hello", 0), string.sub("hello", -100, 100)`,
	`string.sub("hello", 2^40), string.sub("hello", -2^40, 2^40)`,
	`string.sub("abc", "x")`,
	`string.len("\0\0"), ("x"):upper(), ("ÀB"):lower(), ("abc"):reverse()`,
	// patterns
	`string.find("hello world", "o w"), string.find("a.b", ".", 1, true), string.find("abc", "b", -1)`,
	`string.find("abc", "", 10), string.find("abc", "", 4), string.find("abc", "(b)(c)")`,
	`string.find("abc", "()b()"), string.match("key=val", "(%w+)=(%w+)"), string.match("abc", "x")`,
	`string.match("  trim  ", "^%s*(.-)%s*$"), string.match("2024-01-02", "(%d+)-(%d+)-(%d+)")`,
	`string.match("f(a(b)c)d", "%b()"), string.match("THE (quick) fox", "%f[%a]%a+")`,
	`string.gsub("hello world", "o", "0"), string.gsub("hello", "", "-"), string.gsub("abc", "%w", "%0%0")`,
	`string.gsub("hello world", "(%w+)", "<%1>"), string.gsub("abc", "b", "%%"), string.gsub("hello", "l", "L", 1)`,
	`string.gsub("hello world", "o", "%x")`,
	`string.gsub("$name is $age", "%$(%w+)", {name = "bob", age = 3})`,
	`string.gsub("abc", "%w", function(c) if c == "b" then return false end return c:upper() end)`,
	`string.gsub("abc", "b", {b = {}})`,
	`string.gsub("abc", "(b)", "%2")`,
	`string.gsub("abc", "b")`,
	`string.find("abc", "(%")`,
	`string.find("abc", "[a")`,
	`string.find("abc", "%b")`,
	`string.find("abc", "(()")`,
	`string.find("a)", ")")`,
	`string.find("abc", "%1")`,
	`string.find(string.rep("a", 5000), string.rep("a?", 20) .. string.rep("a", 20))`,
	`(function() local r = {} for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do r[#r+1] = k .. v end return table.concat(r, ";") end)()`,
	`(function() local r = {} for w in ("^a^a"):gmatch("^a") do r[#r+1] = w end return #r end)()`,
	`(function() local n = 0 for w in ("abc"):gmatch("") do n = n + 1 end return n end)()`,
	// table
	`table.concat({1, 2.5, "x"}, ","), table.concat({}, ","), table.concat({1, 2, 3}, ",", 2), table.concat({1, 2, 3}, "", 3, 2)`,
	`table.concat({1, 2, {}}, ",")`,
	`table.concat({1, 2, 3}, ",", 2, 5)`,
	`table.concat({1, 2}, {})`,
	`(function() local t = {5, 3, 8, 1} table.sort(t) return table.concat(t, ",") end)()`,
	`(function() local t = {"b", "a", "C"} table.sort(t, function(a, b) return a:lower() < b:lower() end) return table.concat(t, ",") end)()`,
	`table.sort({3, 1, 2, 5, 4, 7, 6, 9, 8, 10, 11, 12, 13, 14, 15, 16}, function(a, b) return true end)`,
	`table.sort({3, "x", 1})`,
	`table.sort({3, 2, 1}, 1)`,
	`(function() local t = {} for i = 1, 100 do t[i] = (i * 37) % 101 end table.sort(t) for i = 2, 100 do if t[i-1] > t[i] then return i end end return "sorted" end)()`,
	`table.insert({}, 1, 2, 3)`,
	`(function() local t = {1, 2, 3} table.insert(t, 2, "x") table.insert(t, "y") return table.concat(t, ",") end)()`,
	`(function() local t = {1, 2, 3} return table.remove(t, 1), table.remove(t), table.remove(t, 5), #t end)()`,
	`(function() local t = {} t[1e9] = 1 return t[1e9], #t end)()`,
	`table.maxn({1, 2, nil, 4}), table.getn({1, 2, 3})`,
	// unpack, select
	`unpack({1, 2, 3}), unpack({1, 2, 3}, 2), unpack({1, 2, 3}, 2, 3), unpack({1, 2, 3}, -1, 1)`,
	`select("#", unpack({}, 1, 100))`,
	`unpack({}, 1, 1e7)`,
	`select("#"), select("#", nil, nil), select(2, "a", "b", "c"), select(-1, "a", "b", "c")`,
	`select(0, 1)`,
	`select(-5, 1)`,
	`select("x", 1)`,
	`select("2", "a", "b")`,
	// tonumber, tostring
	`tonumber("0x10"), tonumber(" 10 "), tonumber("1e"), tonumber("0x"), tonumber("10", 16), tonumber("ff", 16)`,
	`tonumber("zz", 36), tonumber("8", 8), tonumber("1.5", 10), tonumber(" 11 ", 2), tonumber("inf"), tonumber("nan") ~= tonumber("nan")`,
	`tonumber(""), tonumber("  "), tonumber("0x1p4"), tonumber("1e500"), tonumber("-0x10"), tonumber("- 1"), tonumber("1 2")`,
	`tonumber("0x-1"), tonumber(".5"), tonumber("5."), tonumber("\t5\n"), tonumber("017"), tonumber("1_000"), tonumber("0b101")`,
	`tonumber("1e1", 16), tonumber("-ff", 16), tonumber("ff.", 16), tonumber("", 16), tonumber("7fffffffffffffffff", 16), tonumber("0x10", 16)`,
	`tonumber(10, 16), tonumber(nil), tonumber(true), tonumber("10", 10), tonumber("0x10", 10)`,
	`tonumber("10", 1)`,
	`tonumber("10", 37)`,
	`tonumber()`,
	`tostring(1/0), tostring(-1/0), tostring(1/3), tostring(1e100), tostring(0.1), tostring(-0.5), tostring(2^63), tostring(1e-300)`,
	`tostring(nil), tostring(true), tostring("x"), 1 .. "", 1.5 .. "|" .. -1/0`,
	`tostring()`,
	`"10" + 1, "0x10" * 1, " 3 " * "2", "1e2" / 1, "017" + 0`,
	`"abc" + 1`,
	`10 .. 20, 1e300 * 1e10, -1e300 * 1e10, 2^1024, math.huge, -math.huge`,
	// math
	`math.floor(-0.5), math.ceil(-0.5), math.max(1, 5, 3), math.min(2, -1), math.abs(-3), math.fmod(5.5, 2), math.fmod(-5, 2)`,
	`math.sqrt(16), math.pow(2, 0.5), math.log10(100), math.ldexp(1, 1024), math.frexp(8), math.modf(3.7), math.modf(-3.7)`,
	`math.floor("x")`,
	`math.random(0)`,
	`math.random(2, 1)`,
	`math.random(1, 2, 3)`,
	`math.random(5) <= 5, math.random(3, 3), math.random() < 1`,
	`math.max()`,
	// os
	`os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%Y", 86400 * 366), os.time({year = 2000, month = 1, day = 1, hour = 0}) ~= nil`,
	`os.date("%Y", 1e300), os.date("*t", 1e300)`,
	`type(os.clock()), type(os.time()), os.getenv("NSH_NO_SUCH_VARIABLE_X")`,
	// misc base functions
	`setmetatable(1, {})`,
	`setmetatable("", {})`,
	`rawequal(1, 1), rawlen == nil, type(print), type(nil), #arg >= 0`,
	`type()`,
	`("x"):rep(3, 4), ("%d"):format(3)`,
	`error()`,
	`error("msg", 0)`,
	`error("msg", 2)`,
	`pcall()`,
	`ipairs()`,
	`next({}), next({}, nil), type(next)`,
}

// "file:line: " in an error message, which names the chunk.
var positionRE = regexp.MustCompile(`(?:[\w./-]+\.lua|stdin):\d+: `)

// caseScript prints one line per expression: its values, or false and
// the error, written as %q strings so that both Luas print them alike.
func caseScript(cases []string) string {
	var b strings.Builder
	b.WriteString(`local function show(ok, ...)
  local n = select("#", ...)
  local out = {tostring(ok)}
  for i = 1, n do
    local v = select(i, ...)
    if type(v) == "string" then out[#out + 1] = string.format("%q", v) else out[#out + 1] = tostring(v) end
  end
  return (table.concat(out, " "):gsub("\n", "n"))
end
local function drop(ok, _, ...) if ok then return ok, ... end return ok, _ end
`)
	for _, c := range cases {
		b.WriteString("print(show(drop(pcall(function() return 0, " + c + " end))))\n")
	}
	return b.String()
}

// runNsh runs src in an nsh session and returns its stdout.
func runNsh(t *testing.T, src string) string {
	t.Helper()
	var out, errb bytes.Buffer
	s := shell.New(shell.Options{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, NoLuaPlugins: true})
	defer s.Close()
	if st := s.RunSource("cases.lua", src, nil); st != 0 {
		t.Fatalf("nsh: status %d: %s", st, errb.String())
	}
	return out.String()
}

// TestSameAsLua51 runs every expression of sameAsLua51 in nsh and in
// lua5.1 and compares what they print, line by line.
func TestSameAsLua51(t *testing.T) { compareWithLua51(t, sameAsLua51) }

// compareWithLua51 runs the expressions in nsh and in lua5.1 and compares
// what they print, line by line, error positions aside.
func compareWithLua51(t *testing.T, cases []string) {
	t.Helper()
	compareWith(t, "lua5.1", "5.1", cases)
}

// compareWith runs cases in nsh and in the C Lua interpreter lua (the
// Debian package of that name) and compares their printed lines.
func compareWith(t *testing.T, lua, version string, cases []string) {
	t.Helper()
	path, err := exec.LookPath(lua)
	if err != nil {
		t.Skipf("%s not found (Debian package %s): skipping the comparison with C Lua %s", lua, lua, version)
	}
	src := caseScript(cases)
	cmd := exec.Command(path, "-")
	cmd.Stdin = strings.NewReader(src)
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", lua, err)
	}
	got := runNsh(t, src)
	gotLines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	if len(gotLines) != len(cases) || len(wantLines) != len(cases) {
		t.Fatalf("%d cases, nsh printed %d lines, %s %d:\n%s", len(cases), len(gotLines), lua, len(wantLines), got)
	}
	for i, c := range cases {
		g := positionRE.ReplaceAllString(gotLines[i], "")
		w := positionRE.ReplaceAllString(wantLines[i], "")
		if g != w {
			t.Errorf("%s\n   nsh: %s\n%6s: %s", c, g, lua, w)
		}
	}
}

// unlikeLua51 are the places nsh chooses to differ from C Lua 5.1, with
// what nsh prints (as caseScript writes it) and why.
var unlikeLua51 = []struct{ expr, want, why string }{
	{`string.format("%s|%s|%s", true, {} ~= nil, setmetatable({}, {__tostring = function() return "addr" end}))`,
		`true "true|true|addr"`, "%s takes any value but nil through tostring, as Lua 5.2+ and LuaJIT (5.1: string expected): addresses and sockets format"},
	{`string.format("%c", 0) == "\0"`, `true true`, "%c of 0 is the NUL byte (5.1 loses it to strlen)"},
	{`select("#", unpack({}, 1, 8000))`, `true 8000`, "up to 1,000,000 results as Lua 5.4 (5.1: 8,000)"},
	{`unpack({}, 1, 2^40)`, `false "too many results to unpack"`, "5.1 truncates 2^40 to a C int and returns nothing"},
	{`tostring(1e15), tostring(2^53), tostring(-2^53), 2^53 + 1 == 2^53`, `true "1000000000000000" "9007199254740992" "-9007199254740992" true`, "whole numbers up to 2^53 print every digit, as Lua 5.3+ integers (5.1: 1e+15)"},
	{`next({}, "nope")`, `true nil`, "a key not in the table ends the traversal (5.1: invalid key to 'next')"},
	{`string.format("%d", nil)`, `false "bad argument #2 to 'format' (number expected, got nil)"`, "the function is named even under pcall (5.1: '?')"},
}

// TestUnlikeLua51 checks nsh's chosen differences from Lua 5.1.
func TestUnlikeLua51(t *testing.T) {
	exprs := make([]string, len(unlikeLua51))
	for i, c := range unlikeLua51 {
		exprs[i] = c.expr
	}
	got := strings.Split(strings.TrimSuffix(runNsh(t, caseScript(exprs)), "\n"), "\n")
	if len(got) != len(exprs) {
		t.Fatalf("%d cases, %d lines: %q", len(exprs), len(got), got)
	}
	for i, c := range unlikeLua51 {
		if g := positionRE.ReplaceAllString(got[i], ""); g != c.want {
			t.Errorf("%s (%s)\n got: %s\nwant: %s", c.expr, c.why, g, c.want)
		}
	}
}
