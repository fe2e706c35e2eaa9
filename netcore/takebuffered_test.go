package netcore

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestTakeBuffered: bytes read ahead by a helper are handed out without a
// wait, exactly n at a time; asking for more than is buffered answers false
// and leaves them for the next read.
func TestTakeBuffered(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	if _, err := c.SendAll(ctx, []byte("line\nabcdef")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.TakeBuffered(1); ok {
		t.Fatal("TakeBuffered answered before anything was read ahead")
	}
	for s.Buffered() < 6 { // the line read pulls the rest into the buffer
		if line, err := s.RecvLine(ctx, 0); err != nil || string(line) != "line" {
			t.Fatalf("RecvLine = %q, %v", line, err)
		}
		if s.Buffered() < 6 {
			t.Skip("the kernel delivered the two parts apart; nothing read ahead")
		}
	}
	if b, ok := s.TakeBuffered(2); !ok || string(b) != "ab" {
		t.Fatalf("TakeBuffered(2) = %q, %v", b, ok)
	}
	if _, ok := s.TakeBuffered(5); ok {
		t.Fatal("TakeBuffered(5) with 4 buffered answered true")
	}
	got, err := s.RecvExactly(ctx, 4)
	if err != nil || string(got) != "cdef" {
		t.Fatalf("RecvExactly after = %q, %v", got, err)
	}
}
