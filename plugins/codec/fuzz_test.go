package codec

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzCodecDecode decodes arbitrary bytes with every encoding and mode: it
// must never panic; replace and ignore never fail and give valid UTF-8;
// strict either fails or agrees with replace; what strict decodes encodes
// back to the same bytes for the round-trip-safe encodings.
func FuzzCodecDecode(f *testing.F) {
	for _, s := range []string{"", "abc", "\xd6\xd0\xce\xc4", "ab\xff", "\x81", "\x81\x30", "\x84\x31\xa4\x37",
		"\xff\xfeh\x00", "\x3d\xd8\x00\xde", "\x3d\xd8", "h", "\xa4\xa4", "\xe4\xb8\xad", "\xed\xa0\x80", "\xaa\xa1\xa3\xa0\xa1\x7f\xa1\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			data = data[:512] // each run tries every encoding and mode; keep runs (and minimizing) quick
		}
		for _, name := range names() {
			cs := charsets[name]
			rep, err := decode(data, cs, replace)
			if err != nil || !utf8.Valid(rep) {
				t.Fatalf("%s replace(%x) = %q, %v", name, data, rep, err)
			}
			ign, err := decode(data, cs, ignore)
			if err != nil || !utf8.Valid(ign) {
				t.Fatalf("%s ignore(%x) = %q, %v", name, data, ign, err)
			}
			str, err := decode(data, cs, strict)
			if err != nil {
				continue
			}
			if !bytes.Equal(str, rep) {
				t.Fatalf("%s: strict(%x) = %q but replace gives %q", name, data, str, rep)
			}
			if cs.kind == kUTF16 || cs.kind == kXText {
				continue // BOMs and multiple byte forms of one character do not round-trip
			}
			back, err := encode(str, cs, strict)
			if err != nil || !bytes.Equal(back, data) {
				t.Fatalf("%s: encode(decode(%x)) = %x, %v", name, data, back, err)
			}
		}
		if b, err := b64decode(string(data)); err == nil && len(b) > len(data) {
			t.Fatalf("b64decode(%q) grew to %d bytes", data, len(b))
		}
		_ = unquote(string(data), true)
	})
}
