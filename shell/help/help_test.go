package help

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	_ "nsh/plugins/socket"
)

func plain(_, s string) string { return s }

// TestShowFindsEntriesAndLists: an exact name prints its entry, a plugin's
// name lists its functions, a last part finds every entry ending so, and a
// name nothing documents prints nothing.
func TestShowFindsEntriesAndLists(t *testing.T) {
	var b bytes.Buffer
	if !Show(&b, plain, "socket.bind") {
		t.Fatal("socket.bind: not found")
	}
	if out := b.String(); !strings.HasPrefix(out, "socket.bind(") || !strings.Contains(out, "  example:\n") {
		t.Errorf("socket.bind:\n%s", out)
	}
	b.Reset()
	if !Show(&b, plain, "socket") || !strings.HasPrefix(b.String(), "socket — ") || !strings.Contains(b.String(), "  sock:recv") {
		t.Errorf("socket:\n%s", b.String())
	}
	b.Reset()
	if !Show(&b, plain, "recv") || !strings.Contains(b.String(), "sock:recv") {
		t.Errorf("recv:\n%s", b.String())
	}
	b.Reset()
	if Show(&b, plain, "nosuchthing") || b.Len() != 0 {
		t.Errorf("nosuchthing: shown %q", b.String())
	}
	if msg := NotFound("sock:recvv"); !strings.Contains(msg, "nothing documents sock:recvv") {
		t.Errorf("NotFound: %q", msg)
	}
	if !Documented("sock:recv") || Documented("sock:nosuch") {
		t.Error("Documented: wrong for sock:recv or sock:nosuch")
	}
}

// TestWrapHanging: wrapped lines fit the width and hang at the indent; a
// narrow or unknown width keeps the text on one line.
func TestWrapHanging(t *testing.T) {
	text := strings.Repeat("word ", 30)
	got := WrapHanging(strings.TrimSpace(text), 4, 40)
	lines := strings.Split(got, "\n")
	if len(lines) < 3 {
		t.Fatalf("not wrapped: %q", got)
	}
	for i, l := range lines {
		if i > 0 && !strings.HasPrefix(l, "    word") {
			t.Errorf("line %d does not hang at 4: %q", i, l)
		}
		if len(l)+boolInt(i == 0)*4 >= 40 {
			t.Errorf("line %d too long for 40 columns: %q", i, l)
		}
	}
	if WrapHanging(text, 4, 0) != text || WrapHanging(text, 4, 10) != text {
		t.Error("an unknown or too narrow width wrapped the text")
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCloseNames: names starting with or containing the word, at most five.
func TestCloseNames(t *testing.T) {
	names := []string{"socket.bind", "sock:bind", "sock:recv", "socket.select"}
	if got := CloseNames("bind", names); !slices.Equal(got, []string{"socket.bind", "sock:bind"}) {
		t.Errorf("bind: %q", got)
	}
	if got := CloseNames("", names); got != nil {
		t.Errorf("empty word: %q", got)
	}
	many := slices.Repeat([]string{"aa"}, 9)
	if got := CloseNames("a", many); len(got) != 5 {
		t.Errorf("%d names, want 5", len(got))
	}
}

// TestValueNames: dotted paths resolve through tables and __index without
// calling anything else; the standard library's functions have their
// manual's names.
func TestValueNames(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	if err := L.DoString(`t = {a = {b = 42}}
obj = setmetatable({}, {__index = {m = function() end}})`); err != nil {
		t.Fatal(err)
	}
	if v := ResolvePath(L, "t.a.b"); v != lua.LNumber(42) {
		t.Errorf("t.a.b = %v", v)
	}
	if v := ResolvePath(L, "obj.m"); v.Type() != lua.LTFunction {
		t.Errorf("obj.m through __index = %v", v)
	}
	if v := ResolvePath(L, "t.nope.x"); v != lua.LNil {
		t.Errorf("t.nope.x = %v", v)
	}
	if v := ResolvePath(L, "obj:m"); v != lua.LNil {
		t.Errorf("a method path resolved: %v", v)
	}
	if n := StdName(L, L.GetGlobal("print")); n != "print" {
		t.Errorf("print: %q", n)
	}
	if n := StdName(L, L.GetField(L.GetGlobal("string"), "format")); n != "string.format" {
		t.Errorf("string.format: %q", n)
	}
	if n := StdName(L, ResolvePath(L, "obj.m")); n != "" {
		t.Errorf("a Lua function has a standard name: %q", n)
	}
	if !strings.Contains(ManualNote("print"), "manual.html#pdf-print") {
		t.Errorf("ManualNote: %q", ManualNote("print"))
	}
}
