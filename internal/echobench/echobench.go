// Package echobench is the loopback echo the trace benchmarks share: a
// netcore client sends size bytes to an echo goroutine and reads them
// back, traced by the Tracer under test (nil: untraced, the reference).
// It is imported by tests only.
package echobench

import (
	"bytes"
	"context"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"nsh/netcore"
)

// Run measures one round trip of size bytes per b.Loop iteration over
// loopback TCP, with the client socket traced by tr.
func Run(b *testing.B, tr netcore.Tracer, size int) {
	ctx := context.Background()
	tb := netcore.NewTable()
	defer tb.CloseAll()
	ln, err := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		b.Fatal(err)
	}
	if err := ln.Bind(ctx, netcore.IPAddr(netip.MustParseAddr("127.0.0.1"), 0)); err != nil {
		b.Fatal(err)
	}
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	go func() {
		s, _, err := ln.Accept(ctx)
		if err != nil {
			return
		}
		buf := make([]byte, size)
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
	msg := bytes.Repeat([]byte("x"), size)
	buf := make([]byte, size)
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
