package capture

import (
	"testing"

	"github.com/google/gopacket/layers"
)

// The capture's cost per packet of another process (most of lo's traffic
// on a busy machine): the zero-allocation peek that drops it, against the
// full decode every packet got before. Compare the two in one run:
//
//	go test -run '^$' -bench 'Foreign' ./capture/
func benchFrame(b *testing.B) []byte {
	return frameOf(b, &layers.TCP{SrcPort: 40000, DstPort: 50000, ACK: true, PSH: true, Seq: 1, Ack: 1, Window: 512}, make([]byte, 1400))
}

func BenchmarkForeignPeek(b *testing.B) {
	data := benchFrame(b)
	k := newPeeker()
	b.ReportAllocs()
	for b.Loop() {
		if pk, ok := k.peek(data, layers.LayerTypeEthernet); !ok || pk.sport != 40000 {
			b.Fatal("peek failed")
		}
	}
}

func BenchmarkForeignDecode(b *testing.B) {
	data := benchFrame(b)
	b.ReportAllocs()
	for b.Loop() {
		if p, ok := Decode(data, layers.LayerTypeEthernet); !ok || p.TCP == nil {
			b.Fatal("decode failed")
		}
	}
}
