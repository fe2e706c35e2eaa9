package xxd

import "testing"

// TestDumpLayout: xxd's default layout, a short last line padded, and zero
// Options as 16 bytes in one group, like xxd -g 0 (the hex plugin compares
// the layouts with the real xxd byte for byte).
func TestDumpLayout(t *testing.T) {
	want := "00000000: 4865 6c6c 6f2c 2077 6f72 6c64 210a 0001  Hello, world!...\n" +
		"00000010: ff                                       ."
	data := []byte("Hello, world!\n\x00\x01\xff")
	if got := Dump(data, Default()); got != want {
		t.Errorf("Default:\n%s\nwant\n%s", got, want)
	}
	if got := Dump(data, Options{}); got != "00000000: 48656c6c6f2c20776f726c64210a0001  Hello, world!...\n00000010: ff                                ." {
		t.Errorf("zero Options:\n%s", got)
	}
	if got := Dump(nil, Default()); got != "" {
		t.Errorf("empty data: %q", got)
	}
}
