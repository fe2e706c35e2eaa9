package calltrace

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// BenchmarkEcho64 is netcore's 64-byte loopback echo with the client
// untraced ("off", the reference) and traced to io.Discard with and
// without the hex dump: what socket.trace costs a call.
func BenchmarkEcho64(b *testing.B) {
	b.Run("off", func(b *testing.B) { echo64(b, nil) })
	b.Run("text", func(b *testing.B) { echo64(b, NewWriter(io.Discard, Options{Hex: false}, nil)) })
	b.Run("hex", func(b *testing.B) { echo64(b, NewWriter(io.Discard, DefaultOptions(), nil)) })
}

// echo64 echoes 64 bytes per round trip over loopback TCP, the client
// traced by tr (nil: untraced). Other packages' benchmarks use the same
// shape (netcore's BenchmarkPingPongTrace, pcapsynth's BenchmarkEcho64Synth).
func echo64(b *testing.B, tr netcore.Tracer) {
	ctx := context.Background()
	tb := netcore.NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), 0))
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	go func() {
		s, _, err := ln.Accept(ctx)
		if err != nil {
			return
		}
		buf := make([]byte, 64)
		for {
			n, err := s.Recv(ctx, buf)
			if err != nil || n == 0 {
				return
			}
			s.SendAll(ctx, buf[:n])
		}
	}()
	c, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		b.Fatal(err)
	}
	c.SetTracer(tr)
	msg := bytes.Repeat([]byte("x"), 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.SendAll(ctx, msg)
		for got := 0; got < len(msg); {
			n, err := c.Recv(ctx, buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}
