package netcore

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// countingPool is a BufferPool that counts the buffers lent and not given back.
type countingPool struct {
	size     int
	gets     atomic.Int64
	lent     atomic.Int64
	badPut   atomic.Bool
	returned chan struct{}
}

func (p *countingPool) Get() *[]byte {
	p.gets.Add(1)
	p.lent.Add(1)
	b := make([]byte, p.size)
	return &b
}

func (p *countingPool) Put(b *[]byte) {
	if b == nil || len(*b) != p.size {
		p.badPut.Store(true)
	}
	p.lent.Add(-1)
}

// TestRecvPooledHoldsNoBufferWhileWaiting: sockets waiting in RecvPooled
// hold no buffer (so idle connections cost none); once data arrives each call
// returns it in a borrowed buffer the caller gives back.
func TestRecvPooledHoldsNoBufferWhileWaiting(t *testing.T) {
	tb := newTable(t)
	ctx := testCtx(t)
	const n = 20
	pool := &countingPool{size: 4096}
	type res struct {
		b   *[]byte
		got int
		err error
	}
	clients := make([]*Socket, n)
	results := make(chan res, n)
	for i := range clients {
		c, s := pair(t, tb, unix.AF_INET)
		clients[i] = c
		go func() {
			b, got, err := s.RecvPooled(ctx, pool, 100)
			results <- res{b, got, err}
		}()
	}
	// Every reader has tried once (and found nothing) when it has borrowed
	// once; none may keep its buffer while it waits.
	deadline := time.Now().Add(10 * time.Second)
	for pool.gets.Load() < n || pool.lent.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("waiting readers hold %d buffers after %d borrows, want 0", pool.lent.Load(), pool.gets.Load())
		}
		time.Sleep(time.Millisecond)
	}
	for _, c := range clients {
		if _, err := c.SendAll(ctx, []byte("hello")); err != nil {
			t.Fatal(err)
		}
	}
	for range n {
		r := <-results
		if r.err != nil || r.b == nil || string((*r.b)[:r.got]) != "hello" {
			t.Fatalf("RecvPooled = %v, %d, %v; want hello", r.b != nil, r.got, r.err)
		}
		pool.Put(r.b)
	}
	if pool.lent.Load() != 0 || pool.badPut.Load() {
		t.Fatalf("%d buffers not given back (bad put: %v)", pool.lent.Load(), pool.badPut.Load())
	}
}

// TestRecvPooledEndAndErrors: the end of a stream gives 0 bytes, a closed
// socket an error, and neither keeps a buffer.
func TestRecvPooledEndAndErrors(t *testing.T) {
	tb := newTable(t)
	ctx := testCtx(t)
	pool := &countingPool{size: 64}
	c, s := pair(t, tb, unix.AF_INET)
	c.Close()
	b, got, err := s.RecvPooled(ctx, pool, 64)
	if err != nil || got != 0 {
		t.Fatalf("at end of stream: %d, %v; want 0, nil", got, err)
	}
	if b != nil {
		pool.Put(b)
	}
	s.Close()
	if _, _, err := s.RecvPooled(ctx, pool, 64); !errors.Is(err, ErrClosed) {
		t.Fatalf("on a closed socket: %v, want ErrClosed", err)
	}
	if pool.lent.Load() != 0 {
		t.Fatalf("%d buffers kept", pool.lent.Load())
	}
}
