package pcapsynth

import (
	"io"
	"testing"

	"nsh/internal/echobench"
)

// BenchmarkEcho64Synth is the 64-byte loopback echo untraced ("off", the
// reference) and traced into a pcapng written to io.Discard.
func BenchmarkEcho64Synth(b *testing.B) {
	b.Run("off", func(b *testing.B) { echobench.Run(b, nil, 64) })
	b.Run("pcapng", func(b *testing.B) {
		w, err := NewSynthWriter(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		echobench.Run(b, w, 64)
	})
}
