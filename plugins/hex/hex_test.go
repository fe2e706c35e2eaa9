package hex

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/plugins/plugintest"
)

func newState(t *testing.T) (*lua.LState, *plugintest.Host) {
	h := plugintest.NewHost(t)
	return plugintest.NewState(t, h, "hex"), h
}

func TestLua(t *testing.T) {
	L, _ := newState(t)
	plugintest.RunLuaTests(t, L, "test/hex_test.lua")
}

func TestREADMEExample(t *testing.T) {
	L, h := newState(t)
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

var sample = []byte("Hello, world!\n\x00\x01\xff abcdefghijklmnop~\x7f")

// TestDumpMatchesXxd compares dump with the real xxd for several layouts.
func TestDumpMatchesXxd(t *testing.T) {
	xxd, err := exec.LookPath("xxd")
	if err != nil {
		t.Skip("xxd not found: skipping the comparison with xxd")
	}
	file := filepath.Join(t.TempDir(), "sample.bin")
	if err := os.WriteFile(file, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		width int
		group int
		off   uint64
	}{
		{nil, 16, 2, 0},
		{[]string{"-c", "8"}, 8, 2, 0},
		{[]string{"-g", "1"}, 16, 1, 0},
		{[]string{"-o", "256"}, 16, 2, 256},
		{[]string{"-g", "4", "-c", "10"}, 10, 4, 0},
		{[]string{"-g", "3", "-c", "7"}, 7, 3, 0},
		{[]string{"-c", "1"}, 1, 2, 0},
	}
	for _, tt := range tests {
		out, err := exec.Command(xxd, append(tt.args, file)...).Output()
		if err != nil {
			t.Fatalf("xxd %v: %v", tt.args, err)
		}
		o := defaultDump()
		o.Width, o.Group, o.Offset = tt.width, min(tt.group, tt.width), tt.off
		if got := dump(sample, o) + "\n"; got != string(out) {
			t.Errorf("xxd %v:\n%s\ndump:\n%s", tt.args, out, got)
		}
	}
}

// colorHost is a test Host with colour on.
type colorHost struct{ *plugintest.Host }

func (colorHost) Style(kind, s string) string { return "<" + kind + ">" + s + "</>" }
func (colorHost) Interactive() bool           { return true }

func TestDumpColour(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h)
	p, _ := plugins.Get("hex")
	plugintest.Load(L, colorHost{h}, p)
	if err := L.DoString(`plain = hex.dump("AB", {color = false}) coloured = hex.dump("AB")`); err != nil {
		t.Fatal(err)
	}
	want := "<dim>00000000:</> <number>4142" + strings.Repeat(" ", 36) + "</> <string>AB</>"
	if got := L.GetGlobal("coloured").String(); got != want {
		t.Errorf("coloured dump = %q, want %q", got, want)
	}
	if got := L.GetGlobal("plain").String(); strings.Contains(got, "<") {
		t.Errorf("color=false still coloured: %q", got)
	}
}

func TestHexdumpCommand(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.bin")
	big := filepath.Join(dir, "big.bin")
	empty := filepath.Join(dir, "empty.bin")
	os.WriteFile(small, []byte("hi\n"), 0o644)
	os.WriteFile(big, bytes.Repeat([]byte{0xab}, maxFileDump+10), 0o644)
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		args    []string
		want    string // substring of the output
		wantErr string
		lines   int
	}{
		{[]string{small}, "00000000: 6869 0a                                  hi.\n", "", 1},
		{[]string{big}, "(showing the first 65536 of 65546 bytes)\n", "", 4097},
		{[]string{empty}, "is empty)", "", 1},
		{[]string{filepath.Join(dir, "missing")}, "", "no such file", 0},
		{[]string{dir}, "", "not a regular file", 0},
		{nil, "", "usage: .hexdump FILE", 0},
	}
	p, _ := plugins.Get("hex")
	cmd := p.Commands[0]
	for _, tt := range tests {
		h := plugintest.NewHost(t)
		L := plugintest.NewState(t, h, "hex")
		err := cmd.Run(L, h, tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf(".hexdump %v: error %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		out := h.Out.String()
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf(".hexdump %v: %v, output %.200q, want %q", tt.args, err, out, tt.want)
		}
		if n := strings.Count(out, "\n"); n != tt.lines {
			t.Errorf(".hexdump %v printed %d lines, want %d", tt.args, n, tt.lines)
		}
	}
}

func TestFromhex(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"", "", ""}, {"00ff", "\x00\xff", ""}, {" 0A fB\n10\t", "\x0a\xfb\x10", ""},
		{"0g", "", "invalid hex digit 'g' at byte 2"}, {"abc", "", "odd number of hex digits (the digit at byte 3 has no pair)"},
		{"a b", "", "the hex digit at byte 1 has no pair (whitespace may only separate bytes)"}, {"0x10", "", "invalid hex digit 'x' at byte 2"},
		{"\xff", "", "invalid hex digit 0xff at byte 1"},
	}
	for _, tt := range tests {
		got, err := fromhex(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("fromhex(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || string(got) != tt.want {
			t.Errorf("fromhex(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
