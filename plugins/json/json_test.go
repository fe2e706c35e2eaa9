package json

import (
	"os/exec"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
)

func newState(t testing.TB) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "json"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/json_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {1.5, "1.5"}, {0.1, "0.1"}, {1e15, "1000000000000000"},
		{1e16, "1e+16"}, {123456789.125, "123456789.125"}, {1e-4, "0.0001"}, {1e-5, "1e-05"},
		{1.2345678901234568e+20, "1.2345678901234568e+20"}, {5e-324, "5e-324"},
	}
	for _, tt := range tests {
		if got, err := formatNumber(tt.in); err != nil || got != tt.want {
			t.Errorf("formatNumber(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestPythonCompatible decodes what CPython's json.dumps writes and encodes
// it back with python=true: the bytes must match (keys sorted on both sides).
func TestPythonCompatible(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the comparison with CPython's json")
	}
	script := `
import json
docs = [
    {"filename": "report.pdf", "filesize": 10240, "md5": "d41d8cd98f00b204e9800998ecf8427e"},
    {"a": [1, 2.5, -3, 1e100, 0.1, 1e-7, 123456789012], "b": None, "c": True, "d": {"x": []}},
    ["\u00e9", "\u4e2d\u6587", "\U0001F600", "tab\there", "ctl\u0001", "quote\"back\\slash", "\u007f"],
    {"empty": {}, "list": [], "nested": [[[]]], "n": -0.5},
]
for d in docs:
    print(json.dumps(d, sort_keys=True), end="\0")
    print(json.dumps(d, sort_keys=True, indent=2), end="\0")
    print(json.dumps(d, sort_keys=True, ensure_ascii=False), end="\0")
`
	out, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(lines) != 12 {
		t.Fatalf("python wrote %d documents, want 12", len(lines))
	}
	L, _ := newState(t)
	opts := []string{"{python = true}", "{python = true, indent = 2}", "{python = true, ensure_ascii = false}"}
	for i, text := range lines {
		L.SetGlobal("text", lua.LString(text))
		if err := L.DoString("result = json.encode(json.decode(text), " + opts[i%3] + ")"); err != nil {
			t.Errorf("line %d: %v", i, err)
			continue
		}
		if got := L.GetGlobal("result").String(); got != text {
			t.Errorf("line %d: python wrote\n%s\nnsh re-encoded\n%s", i, text, got)
		}
	}
}
