package luastd

import (
	"strings"
	"testing"
)

// patternDepthCases: repetitions on long subjects match as in C Lua 5.1
// (its max_expand and min_expand are loops; the fork's matcher recursed
// once per character: "a*" on 2 MB was "pattern/input too complex" after a
// Go stack of ~200 MB), and the 33rd capture is "too many captures".
var patternDepthCases = []string{
	`#string.rep("a", 2e6):match("a*"), #string.rep("a", 2e6):match("a+"), #string.rep("a", 2e6):match(".-$"), #string.rep("a", 2e6):match("[a]*$")`,
	`string.find(string.rep("a", 1e6) .. "b", "a-b"), string.find(string.rep("ab", 5e5), "(ab)*$")`,
	`#string.gsub(string.rep("x ", 5e5), "%s*", ""), select(2, string.gsub(string.rep("a", 1e6), "a-", "!"))`,
	`string.match("  trim  ", "^%s*(.-)%s*$"), string.find("aaab", "a-b"), string.find("b", "a*b"), string.find("ab", "a+$"), string.match("", "a-"), string.match("xyz", "a+")`,
	`string.find("abc", string.rep("()", 32))`,
	`string.find("abc", string.rep("()", 33))`,
	`string.find("abc", string.rep("(.?)", 32))`,
	`string.match("abc", string.rep("(", 33) .. "a" .. string.rep(")", 33))`,
}

// TestPatternDepthAsLua51 compares patternDepthCases with lua5.1.
func TestPatternDepthAsLua51(t *testing.T) {
	compareWithLua51(t, patternDepthCases)
}

// TestPatternTooComplex: a pattern whose matching recursion has no end in
// sight (20,000 optional items) is 5.2+'s "pattern too complex", a Lua
// error, not a Go stack growing without bound.
func TestPatternTooComplex(t *testing.T) {
	got := runNsh(t, `print(pcall(string.find, string.rep("a", 20000), string.rep("a?", 20000) .. "b"))`)
	if !strings.Contains(got, "false") || !strings.Contains(got, "pattern too complex") {
		t.Fatalf("got %q", got)
	}
}
