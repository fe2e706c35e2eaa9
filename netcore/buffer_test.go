package netcore

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestBufferedMix mixes the buffered helpers with Recv and checks that
// every byte arrives once, in order.
func TestBufferedMix(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	stream := "line1\r\nline2\nABCDEFGHIJrest-of-data|\n" + "tail"
	go func() {
		// Send in odd pieces so reads see the stream split anywhere.
		for i := 0; i < len(stream); i += 3 {
			c.SendAll(ctx, []byte(stream[i:min(i+3, len(stream))]))
		}
		c.Shutdown(unix.SHUT_WR)
	}()
	step := func(what string, got []byte, err error, want string) {
		t.Helper()
		if err != nil || string(got) != want {
			t.Fatalf("%s = %q, %v; want %q", what, got, err, want)
		}
	}
	l, err := s.RecvLine(ctx, 0)
	step("RecvLine", l, err, "line1")
	l, err = s.RecvLine(ctx, 0)
	step("RecvLine", l, err, "line2")
	x, err := s.RecvExactly(ctx, 4)
	step("RecvExactly", x, err, "ABCD")
	buf := make([]byte, 3)
	n, err := s.Recv(ctx, buf)
	if err != nil || n == 0 {
		t.Fatalf("Recv = %d, %v", n, err)
	}
	u, err := s.RecvUntil(ctx, []byte("|"), 0)
	step("Recv+RecvUntil", append(buf[:n:n], u...), err, "EFGHIJrest-of-data|")
	l, err = s.RecvLine(ctx, 0)
	step("empty line", l, err, "")
	l, err = s.RecvLine(ctx, 0)
	if string(l) != "tail" || !errors.Is(err, io.EOF) || Short(err) != "closed" {
		t.Fatalf("last line = %q, %v; want partial %q and closed", l, err, "tail")
	}
	if n, err := s.Recv(ctx, buf); n != 0 || err != nil {
		t.Fatalf("Recv at end = %d, %v", n, err)
	}
	if s.BytesIn() != uint64(len(stream)) {
		t.Fatalf("BytesIn = %d, want %d", s.BytesIn(), len(stream))
	}
}

// TestBufferedPartial: a helper that fails returns the partial data it
// consumed (LuaSocket's receive), except ErrTooLong, which keeps the bytes.
func TestBufferedPartial(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	big := bytes.Repeat([]byte("0123456789"), 10000) // 100,000 bytes, more than the buffered limit
	if _, err := c.SendAll(ctx, big[:70000]); err != nil {
		t.Fatal(err)
	}
	// Make sure some bytes sit in the internal buffer first.
	first, err := s.RecvUntil(ctx, []byte("0"), 0)
	if err != nil {
		t.Fatal(err)
	}
	s.SetTimeout(50 * time.Millisecond)
	if got, err := s.RecvUntil(ctx, []byte("X"), 100); got != nil || !errors.Is(err, ErrTooLong) {
		t.Fatalf("RecvUntil past max = %d bytes, %v", len(got), err)
	}
	got := first
	part, err := s.RecvExactly(ctx, len(big)-1)
	if Short(err) != "timeout" || len(part) != 70000-1 {
		t.Fatalf("RecvExactly = %d bytes, %v; want the partial 69999 and timeout", len(part), err)
	}
	got = append(got, part...)
	s.SetTimeout(-1)
	c.SendAll(ctx, big[70000:])
	c.SendAll(ctx, []byte("\r\nabc\r"))
	c.Shutdown(unix.SHUT_WR)
	line, err := s.RecvLine(ctx, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, line...)
	if !bytes.Equal(got, big) {
		t.Fatalf("got %d bytes, want %d in order", len(got), len(big))
	}
	if last, err := s.RecvLine(ctx, 0); string(last) != "abc\r" || Short(err) != "closed" {
		t.Fatalf("last line %q, %v", last, err)
	}
	if s.Buffered() != 0 {
		t.Fatalf("Buffered = %d", s.Buffered())
	}
}

func TestRecvFlagsPeek(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	c.SendAll(ctx, []byte("peekaboo"))
	buf := make([]byte, 4)
	if n, err := s.RecvFlags(ctx, buf, unix.MSG_PEEK); err != nil || string(buf[:n]) != "peek" {
		t.Fatalf("peek = %q %v", buf[:n], err)
	}
	got, err := s.RecvExactly(ctx, 8)
	if err != nil || string(got) != "peekaboo" {
		t.Fatalf("%q %v", got, err)
	}
}
