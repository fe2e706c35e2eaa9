package netcore

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestSelect(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	a1, a2 := pair(t, tb, unix.AF_INET)
	b1, b2 := pair(t, tb, unix.AF_INET)
	// Nothing to read: 0 looks and times out, a timeout waits and times out.
	for _, d := range []time.Duration{0, 30 * time.Millisecond} {
		r, w, err := Select(ctx, []*Socket{a2, b2}, nil, d)
		if len(r)+len(w) != 0 || !errors.Is(err, ErrTimeout) {
			t.Fatalf("Select(%v) = %v %v %v; want timeout", d, r, w, err)
		}
	}
	// A socket that becomes readable while Select waits.
	done := make(chan struct{})
	go func() {
		defer close(done)
		r, _, err := Select(ctx, []*Socket{a2, b2}, nil, -1)
		if err != nil || len(r) != 1 || r[0] != b2 {
			t.Errorf("Select = %v, %v; want b2", r, err)
		}
	}()
	waitBlocked(t, "waitReady")
	b1.SendAll(ctx, []byte("x\nyz"))
	<-done
	// Bytes left in the read buffer count as readable.
	if l, err := b2.RecvLine(ctx, 0); string(l) != "x" || err != nil {
		t.Fatal(l, err)
	}
	if b2.Buffered() != 2 { // one small send arrives as one segment on loopback
		t.Fatalf("Buffered = %d", b2.Buffered())
	}
	r, w, err := Select(ctx, []*Socket{a2, b2}, []*Socket{a1}, 0)
	if err != nil || len(r) != 1 || r[0] != b2 || len(w) != 1 || w[0] != a1 {
		t.Fatalf("Select = %v %v %v", r, w, err)
	}
	// A listener is readable when a connection waits.
	ln, la := listen(t, tb, unix.AF_INET)
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	c.Connect(ctx, la)
	if r, _, err := Select(ctx, []*Socket{ln}, nil, 5*time.Second); err != nil || len(r) != 1 {
		t.Fatalf("listener: %v %v", r, err)
	}
	// Cancelling the context interrupts a waiting Select.
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, _, err := Select(cctx, []*Socket{a2}, nil, -1)
		errc <- err
	}()
	waitBlocked(t, "waitReady")
	cancel()
	wantShort(t, "select", <-errc, "interrupted")
	// A closed socket is ready in its set, so its next call says "closed".
	a1.Close()
	if r, w, err := Select(ctx, []*Socket{a1}, []*Socket{a1}, 0); err != nil || len(r) != 1 || r[0] != a1 || len(w) != 1 {
		t.Fatalf("closed: %v %v %v", r, w, err)
	}
}

// TestSelectWakesOnClose: a Select waiting without a timeout on sockets that
// another goroutine closes wakes at once with the closed one ready (in the
// read set, or the write set it was in), and the socket's next call answers
// ErrClosed.
func TestSelectWakesOnClose(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	_, a2 := pair(t, tb, unix.AF_INET)
	_, b2 := pair(t, tb, unix.AF_INET)
	ln, _ := listen(t, tb, unix.AF_INET)
	for _, victim := range []*Socket{a2, ln} {
		got := make(chan []*Socket, 1)
		go func() {
			r, _, err := Select(ctx, []*Socket{b2, victim}, nil, -1)
			if err != nil {
				t.Errorf("Select: %v", err)
			}
			got <- r
		}()
		waitBlocked(t, "waitReady")
		victim.Close()
		select {
		case r := <-got:
			if len(r) != 1 || r[0] != victim {
				t.Fatalf("Select woke with %v; want the closed socket", r)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Select did not wake when a socket in its read set was closed")
		}
	}
	if _, err := a2.Recv(ctx, make([]byte, 4)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Recv after close: %v", err)
	}
	if _, _, err := ln.Accept(ctx); !errors.Is(err, ErrClosed) {
		t.Fatalf("Accept after close: %v", err)
	}
	// The write set: a socket whose send buffer is full waits until closed.
	c1, c2 := pair(t, tb, unix.AF_INET)
	c1.SetTimeout(0)
	for {
		if _, err := c1.Send(ctx, make([]byte, 1<<16)); err != nil {
			break
		}
	}
	got := make(chan []*Socket, 1)
	go func() {
		_, w, _ := Select(ctx, nil, []*Socket{c1}, 30*time.Second)
		got <- w
	}()
	waitBlocked(t, "waitReady")
	c1.Close()
	if w := <-got; len(w) != 1 || w[0] != c1 {
		t.Fatalf("write set: %v", w)
	}
	_ = c2
}

func TestWaitReadableTimeout(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	c.SetTimeout(20 * time.Millisecond)
	wantShort(t, "WaitReadable", c.WaitReadable(ctx), "timeout")
	if err := c.WaitWritable(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := c.WaitReadable(ctx); err != nil { // the end of the stream is readable
		t.Fatal(err)
	}
}
