package hex

import (
	"encoding/hex"
	"strings"
	"testing"
)

// FuzzFromhex decodes arbitrary text: it must never panic, a success must
// agree with encoding/hex on the text without whitespace, and tohex of the
// result must give back those digits in lower case.
func FuzzFromhex(f *testing.F) {
	for _, s := range []string{"", "00ff", " 0a FB\n", "0g", "abc", "a b", "0x10", "\xff", "DEADbeef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		b, err := fromhex(text)
		if err != nil {
			return
		}
		digits := strings.Map(func(r rune) rune {
			if r < 0x80 && isSpace(byte(r)) {
				return -1
			}
			return r
		}, text)
		want, err := hex.DecodeString(digits)
		if err != nil || string(want) != string(b) {
			t.Fatalf("fromhex(%q) = %x, encoding/hex gives %x, %v", text, b, want, err)
		}
		if hex.EncodeToString(b) != strings.ToLower(digits) {
			t.Fatalf("fromhex(%q) does not round-trip: %x", text, b)
		}
		o := defaultDump()
		if d := dump(b, o); len(b) > 0 && strings.Count(d, "\n") != (len(b)-1)/16 {
			t.Fatalf("dump of %d bytes has %d newlines", len(b), strings.Count(d, "\n"))
		}
	})
}
