// Package xxd renders bytes the way the xxd tool does. It is shared by the
// hex plugin (hex.dump, .hexdump) and the call trace (calltrace), which must
// print the same layout; it imports nothing of nsh.
package xxd

import (
	"fmt"
	"strings"
)

// Options shape a dump; Default gives xxd's. A Width of 0 is 16, a Group
// of 0 (or more than Width) is one group a line, as xxd -g 0.
type Options struct {
	Width  int    // bytes per line
	Group  int    // bytes per hex group
	Offset uint64 // added to the printed offsets (xxd -o)
	// Style colours a part of a line: "dim" (the offset), "number" (the
	// hex), "string" (the ASCII column). It returns s unchanged for no colour.
	Style func(kind, s string) string
}

// Default returns xxd's layout: 16 bytes a line in groups of 2, no colour.
func Default() Options {
	return Options{Width: 16, Group: 2, Style: Plain}
}

// Plain is the Style that colours nothing.
func Plain(_, s string) string { return s }

// Dump renders data as xxd does: an 8-digit hex offset, the bytes in hex
// groups, and the printable ASCII (others as '.'). Lines are joined by
// newlines, without a final one.
func Dump(data []byte, o Options) string {
	if o.Width <= 0 {
		o.Width = 16
	}
	if o.Group <= 0 || o.Group > o.Width {
		o.Group = o.Width
	}
	if o.Style == nil {
		o.Style = Plain
	}
	var b strings.Builder
	var hexCol, ascii strings.Builder
	for start := 0; start < len(data); start += o.Width {
		end := min(start+o.Width, len(data))
		hexCol.Reset()
		ascii.Reset()
		for i := 0; i < o.Width; i++ {
			if start+i < end {
				c := data[start+i]
				hexCol.WriteByte(HexDigits[c>>4])
				hexCol.WriteByte(HexDigits[c&15])
				if c >= 0x20 && c < 0x7f {
					ascii.WriteByte(c)
				} else {
					ascii.WriteByte('.')
				}
			} else {
				hexCol.WriteString("  ")
			}
			if (i+1)%o.Group == 0 || i == o.Width-1 {
				hexCol.WriteByte(' ')
			}
		}
		if start > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(o.Style("dim", fmt.Sprintf("%08x:", o.Offset+uint64(start))))
		b.WriteByte(' ')
		b.WriteString(o.Style("number", hexCol.String()))
		b.WriteByte(' ')
		b.WriteString(o.Style("string", ascii.String()))
	}
	return b.String()
}

// HexDigits are the lower-case hex digits, by value.
const HexDigits = "0123456789abcdef"
