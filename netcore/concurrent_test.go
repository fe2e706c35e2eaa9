package netcore

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// TestConcurrentEcho runs many connections at once under the race detector.
func TestConcurrentEcho(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	const conns, rounds = 32, 50
	go func() {
		for {
			c, _, err := ln.Accept(ctx)
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 512)
				for {
					n, err := c.Recv(ctx, buf)
					if err != nil || n == 0 {
						return
					}
					if _, err := c.SendAll(ctx, buf[:n]); err != nil {
						return
					}
				}
			}()
		}
	}()
	var wg sync.WaitGroup
	errc := make(chan error, conns)
	for i := range conns {
		wg.Go(func() {
			c, err := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
			if err != nil {
				errc <- err
				return
			}
			defer c.Close()
			if err := c.Connect(ctx, la); err != nil {
				errc <- err
				return
			}
			for r := range rounds {
				msg := fmt.Appendf(nil, "conn %d round %d|", i, r)
				if _, err := c.SendAll(ctx, msg); err != nil {
					errc <- err
					return
				}
				got, err := c.RecvUntil(ctx, []byte("|"), 0)
				if err != nil || !bytes.Equal(got, msg) {
					errc <- fmt.Errorf("conn %d: %q, %v", i, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}
