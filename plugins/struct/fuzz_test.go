package structlib

import (
	"bytes"
	"testing"
)

// FuzzStructUnpack parses arbitrary formats and unpacks arbitrary bytes: it
// must never panic, and whatever unpacks must pack back to the same bytes
// when the format has no padding or Pascal strings (which drop information).
func FuzzStructUnpack(f *testing.F) {
	seeds := []struct{ format, data string }{
		{"<hIq", "\xfe\xff\x07\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"},
		{"@ci0l", "a\x00\x00\x00\x01\x00\x00\x00"},
		{">e", "\x7c\x00"}, {">e", "\x7e\x01"}, {"<f", "\x00\x00\xc0\x7f"},
		{"5p", "\x09abcd"}, {"3s?", "xyz\x02"}, {"<QqNn", ""}, {"@Q", "\xff\xff\xff\xff\xff\xff\xff\xff"},
		{"99999999999999999999h", ""}, {"4", ""}, {"< 2h", "\x01\x00\x02\x00"}, {"0s0p", ""},
	}
	for _, s := range seeds {
		f.Add(s.format, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, fmtStr string, data []byte) {
		ft, err := parseFormat(fmtStr)
		if err != nil {
			return
		}
		if ft.size > 1<<16 {
			return
		}
		if len(data) < ft.size {
			data = append(data, make([]byte, ft.size-len(data))...)
		}
		data = data[:ft.size]
		vals := ft.unpack(data)
		if len(vals) != ft.nvalues {
			t.Fatalf("%q: %d values, want %d", fmtStr, len(vals), ft.nvalues)
		}
		for _, it := range ft.items {
			if it.c == 'x' || it.c == 'p' || it.c == 'e' || it.c == 'f' || it.c == 'd' || it.c == '?' {
				return // padding, Pascal strings, NaN payloads and booleans do not round-trip bytewise
			}
		}
		if !ft.native { // native formats have alignment padding, which packs as zeros
			back, err := ft.pack(vals)
			if err != nil {
				t.Fatalf("%q: pack(unpack(%x)): %v", fmtStr, data, err)
			}
			if !bytes.Equal(back, data) {
				t.Fatalf("%q: pack(unpack(%x)) = %x", fmtStr, data, back)
			}
		}
	})
}
