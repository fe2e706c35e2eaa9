package calltrace

import (
	"io"
	"testing"

	"nsh/internal/echobench"
)

// BenchmarkEcho64 is the 64-byte loopback echo with the client untraced
// ("off", the reference) and traced to io.Discard with and without the hex
// dump: what socket.trace costs a call.
func BenchmarkEcho64(b *testing.B) {
	b.Run("off", func(b *testing.B) { echobench.Run(b, nil, 64) })
	b.Run("text", func(b *testing.B) { echobench.Run(b, NewWriter(io.Discard, Options{Hex: false}, nil), 64) })
	b.Run("hex", func(b *testing.B) { echobench.Run(b, NewWriter(io.Discard, DefaultOptions(), nil), 64) })
}
