package hex

import (
	"fmt"
	"strings"
)

// dumpOptions shape a dump; the defaults are xxd's.
type dumpOptions struct {
	width  int    // bytes per line
	group  int    // bytes per hex group
	offset uint64 // added to the printed offsets
	style  func(kind, s string) string
}

func defaultDump() dumpOptions {
	return dumpOptions{width: 16, group: 2, style: func(_, s string) string { return s }}
}

// dump renders data as xxd does: an 8-digit hex offset, the bytes in hex
// groups, and the printable ASCII (others as '.'). Lines are joined by
// newlines, without a final one.
func dump(data []byte, o dumpOptions) string {
	var b strings.Builder
	var hexCol, ascii strings.Builder
	for start := 0; start < len(data); start += o.width {
		end := min(start+o.width, len(data))
		hexCol.Reset()
		ascii.Reset()
		for i := 0; i < o.width; i++ {
			if start+i < end {
				c := data[start+i]
				hexCol.WriteByte(hexDigits[c>>4])
				hexCol.WriteByte(hexDigits[c&15])
				if c >= 0x20 && c < 0x7f {
					ascii.WriteByte(c)
				} else {
					ascii.WriteByte('.')
				}
			} else {
				hexCol.WriteString("  ")
			}
			if (i+1)%o.group == 0 || i == o.width-1 {
				hexCol.WriteByte(' ')
			}
		}
		if start > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(o.style("dim", fmt.Sprintf("%08x:", o.offset+uint64(start))))
		b.WriteByte(' ')
		b.WriteString(o.style("number", hexCol.String()))
		b.WriteByte(' ')
		b.WriteString(o.style("string", ascii.String()))
	}
	return b.String()
}

const hexDigits = "0123456789abcdef"
