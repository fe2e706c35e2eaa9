package pcapsynth

import (
	"bytes"
	"context"
	"io"
	"testing"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// BenchmarkEcho64Synth is the 64-byte loopback echo untraced ("off", the
// reference) and traced into a pcapng written to io.Discard.
func BenchmarkEcho64Synth(b *testing.B) {
	b.Run("off", func(b *testing.B) { echo64(b, nil) })
	b.Run("pcapng", func(b *testing.B) {
		w, err := NewSynthWriter(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		echo64(b, w)
	})
}

func echo64(b *testing.B, tr netcore.Tracer) {
	ctx := context.Background()
	tb := netcore.NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, netcore.IPAddr(lo4, 0))
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
	c.SetTracer(tr)
	if err := c.Connect(ctx, la); err != nil {
		b.Fatal(err)
	}
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
