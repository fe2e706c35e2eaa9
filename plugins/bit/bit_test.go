package bit

import (
	"math"
	"testing"

	"nsh/plugins/plugintest"
)

func TestLua(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "bit")
	plugintest.RunLuaTests(t, L, "test/bit_test.lua")
}

func TestREADMEExample(t *testing.T) {
	h := plugintest.NewHost(t)
	L := plugintest.NewState(t, h, "bit")
	plugintest.RunREADMEExample(t, L, h, "README.md")
}

func TestTobit(t *testing.T) {
	tests := []struct {
		in   float64
		want int32
	}{
		{0, 0}, {1, 1}, {-1, -1}, {0xffffffff, -1}, {0x100000000, 0}, {0x80000000, math.MinInt32},
		{2.5, 2}, {3.5, 4}, {-2.5, -2}, {1e10, 1410065408}, {math.Inf(1), 0}, {math.NaN(), 0},
	}
	for _, tt := range tests {
		if got := tobit(tt.in); got != tt.want {
			t.Errorf("tobit(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {" 0x1F ", 31, true}, {"-0x10", -16, true}, {"1e3", 1000, true},
		{"abc", 0, false}, {"", 0, false}, {"1_000", 0, false}, {"0x", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
