package printer

import (
	"fmt"
	"strings"
)

// hexDump renders binary data like hexdump -C: offset, 16 bytes in hex,
// the same bytes as ASCII; it shows at most hexDumpMaxLength bytes.
func (p *Printer) hexDump(s string) string {
	var b strings.Builder
	b.WriteString(p.style("dim", fmt.Sprintf("<%d bytes of binary data>", len(s))))
	shown := s
	if len(shown) > HexDumpMaxLength {
		shown = shown[:HexDumpMaxLength]
	}
	for off := 0; off < len(shown); off += 16 {
		end := min(off+16, len(shown))
		row := shown[off:end]
		b.WriteString("\n")
		b.WriteString(p.style("dim", fmt.Sprintf("%08x", off)))
		b.WriteString("  ")
		var hex strings.Builder
		for i := 0; i < 16; i++ {
			if i == 8 {
				hex.WriteByte(' ')
			}
			if i < len(row) {
				fmt.Fprintf(&hex, "%02x ", row[i])
			} else {
				hex.WriteString("   ")
			}
		}
		b.WriteString(p.style(p.StrKind, hex.String()))
		b.WriteString(" |")
		for i := 0; i < len(row); i++ {
			c := row[i]
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteString("|")
	}
	if len(s) > len(shown) {
		b.WriteString("\n" + p.style("dim", fmt.Sprintf("... %d more bytes", len(s)-len(shown))))
	}
	return b.String()
}
