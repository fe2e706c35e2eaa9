package netcore

import (
	"context"
	"net"
	"testing"

	"golang.org/x/sys/unix"
)

// TestHotPathAllocs checks that a send and a receive whose data is ready
// allocate nothing, with a plain and with a cancellable context.
func TestHotPathAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	msg := []byte("ping\n")
	buf := make([]byte, 64)
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
	}{{"background", context.Background()}, {"cancellable", cctx}} {
		allocs := testing.AllocsPerRun(200, func() {
			if _, err := c.Send(tc.ctx, msg); err != nil {
				t.Fatal(err)
			}
			got := 0
			for got < len(msg) {
				n, err := s.Recv(tc.ctx, buf)
				if err != nil {
					t.Fatal(err)
				}
				got += n
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per send+recv, want 0", tc.name, allocs)
		}
	}
	// Waiting allocates nothing either: an echo goroutine waits in Recv for
	// each message, with a cancellable context as a task has.
	go func() {
		b := make([]byte, 64)
		for {
			n, err := s.Recv(cctx, b)
			if err != nil || n == 0 {
				return
			}
			s.SendAll(cctx, b[:n])
		}
	}()
	allocs := testing.AllocsPerRun(200, func() {
		c.SendAll(cctx, msg)
		for got := 0; got < len(msg); {
			n, err := c.Recv(cctx, buf)
			if err != nil {
				t.Fatal(err)
			}
			got += n
		}
	})
	if allocs != 0 {
		t.Errorf("ping-pong with waits: %.1f allocations per round trip, want 0", allocs)
	}
}

// BenchmarkPingPong measures one request and reply over loopback TCP, the
// shape of the echo-server benchmark.
func BenchmarkPingPong(b *testing.B) {
	b.Run("background", func(b *testing.B) { benchPingPong(b, context.Background()) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.Run("cancellable", func(b *testing.B) { benchPingPong(b, ctx) })
}

func benchPingPong(b *testing.B, ctx context.Context) {
	tb := NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, IPAddr(lo4, 0))
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
	msg := []byte("hello\n")
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.SendAll(ctx, msg)
		got := 0
		for got < len(msg) {
			n, err := c.Recv(ctx, buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}

// BenchmarkPingPongNet is the same exchange with Go's net package, for
// comparison.
func BenchmarkPingPongNet(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		s, err := ln.Accept()
		if err != nil {
			return
		}
		defer s.Close()
		buf := make([]byte, 64)
		for {
			n, err := s.Read(buf)
			if err != nil {
				return
			}
			s.Write(buf[:n])
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := []byte("hello\n")
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.Write(msg)
		got := 0
		for got < len(msg) {
			n, err := c.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}
