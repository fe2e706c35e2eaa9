package codec

import (
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins/plugintest"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "codec"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/codec_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestLookup(t *testing.T) {
	tests := []struct{ in, want string }{
		{"UTF-8", "utf-8"}, {"utf_8", "utf-8"}, {"GBK", "gbk"}, {"cp936", "gbk"}, {"Latin_1", "latin-1"},
		{"ISO-8859-1", "latin-1"}, {"utf_16_le", "utf-16-le"}, {"Shift-JIS", "shift_jis"}, {" big5 ", "big5"},
	}
	for _, tt := range tests {
		cs, ok := lookup(tt.in)
		if !ok || cs.name != tt.want {
			t.Errorf("lookup(%q) = %v, %v; want %s", tt.in, cs, ok, tt.want)
		}
	}
	if _, ok := lookup("ebcdic-klingon"); ok {
		t.Error("lookup found an unknown encoding")
	}
}

// TestAgainstPython encodes the same text with CPython's codecs and compares
// the bytes, then decodes Python's bytes back.
func TestAgainstPython(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not found: skipping the comparison with CPython's codecs")
	}
	cases := []struct{ enc, text string }{
		{"gbk", "Windows 目录 中文"}, {"gb18030", "中文 😀 \u00e9"}, {"big5", "繁體中文"},
		{"latin-1", "café ÿ"}, {"utf-16", "hi 😀"}, {"utf-16-le", "hi 😀"}, {"utf-16-be", "hi 😀"},
		{"shift_jis", "日本語"}, {"euc_kr", "한국어"}, {"cp1252", "€ “quotes”"}, {"ascii", "plain"},
		{"utf-8", "ünïcödé 😀"},
	}
	var script strings.Builder
	script.WriteString("import sys\n")
	for _, c := range cases {
		script.WriteString("print(bytes.fromhex('" + hex.EncodeToString([]byte(c.text)) + "').decode('utf-8').encode('" + c.enc + "').hex())\n")
	}
	out, err := exec.Command(py, "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("python printed %d lines for %d cases", len(lines), len(cases))
	}
	for i, c := range cases {
		cs, _ := lookup(c.enc)
		got, err := encode([]byte(c.text), cs, strict)
		if err != nil || hex.EncodeToString(got) != lines[i] {
			t.Errorf("encode(%q, %s) = %x, %v; python gives %s", c.text, c.enc, got, err, lines[i])
		}
		pyBytes, _ := hex.DecodeString(lines[i])
		back, err := decode(pyBytes, cs, strict)
		if err != nil || string(back) != c.text {
			t.Errorf("decode(python's %s bytes) = %q, %v; want %q", c.enc, back, err, c.text)
		}
	}
}

// TestGB18030PrivateUse pins a documented difference from Python: x/text's
// gb18030 has no two-byte Private Use codes, so Python's U+E000 bytes do not
// decode and U+E000 encodes as four bytes.
func TestGB18030PrivateUse(t *testing.T) {
	cs, _ := lookup("gb18030")
	if _, err := decode([]byte("\xaa\xa1"), cs, strict); err == nil || !strings.Contains(err.Error(), "can't decode bytes 0xaa 0xa1 at byte 1") {
		t.Errorf("decode(aaa1) err = %v", err)
	}
	got, err := encode([]byte("\ue000"), cs, strict)
	if err != nil || len(got) != 4 {
		t.Errorf("encode(U+E000) = %x, %v; want four bytes", got, err)
	}
	back, err := decode(got, cs, strict)
	if err != nil || string(back) != "\ue000" {
		t.Errorf("decode(%x) = %q, %v", got, back, err)
	}
}
