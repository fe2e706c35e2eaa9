package netcore_test

import (
	"testing"

	"nsh/internal/echobench"
	"nsh/netcore"
)

type discard struct{}

func (discard) Trace(*netcore.TraceEvent) {}

// BenchmarkPingPongTrace is the 64-byte echo with the client socket
// untraced (the hot path's one nil check) and traced by a tracer that does
// nothing (the cost of building the events).
func BenchmarkPingPongTrace(b *testing.B) {
	b.Run("off", func(b *testing.B) { echobench.Run(b, nil, 64) })
	b.Run("on-discard", func(b *testing.B) { echobench.Run(b, discard{}, 64) })
}
