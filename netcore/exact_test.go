package netcore

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"golang.org/x/sys/unix"
)

// TestRecvExactlyGrows: a large RecvExactly fills a buffer that grows with
// what arrives (past its first MiB) and returns exactly the bytes sent; a
// count that never comes returns what came, with EOF, without allocating it.
func TestRecvExactlyGrows(t *testing.T) {
	tb := newTable(t)
	ctx := testCtx(t)
	c, s := pair(t, tb, unix.AF_INET)
	want := bytes.Repeat([]byte("0123456789abcdef"), 3<<16+1) // 3 MiB and 16 bytes
	go func() {
		c.SendAll(ctx, want)
		c.SendAll(ctx, []byte("tail"))
		c.Close()
	}()
	got, err := s.RecvExactly(ctx, len(want))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("RecvExactly(%d) = %d bytes, %v; want the bytes sent", len(want), len(got), err)
	}
	rest, err := s.RecvExactly(ctx, 1<<40)
	if !errors.Is(err, io.EOF) || string(rest) != "tail" {
		t.Fatalf("RecvExactly(2^40) = %q, %v; want the tail and EOF", rest, err)
	}
}
