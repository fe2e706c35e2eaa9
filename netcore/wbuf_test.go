package netcore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// peek reads what the kernel has for s now, without waiting.
func peekNow(t *testing.T, s *Socket) string {
	t.Helper()
	buf := make([]byte, 1<<16)
	n, _, err := unix.Recvfrom(s.Fd(), buf, unix.MSG_DONTWAIT|unix.MSG_PEEK)
	if err == unix.EAGAIN {
		return ""
	}
	if err != nil {
		t.Fatalf("peek: %v", err)
	}
	return string(buf[:n])
}

// TestWriteBufferBatches: sends into the buffer reach the peer only on
// Flush, all at once.
func TestWriteBufferBatches(t *testing.T) {
	tb := newTable(t)
	c, srv := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	if err := srv.SetWriteBuffer(ctx, 4096); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 16; i++ {
		if n, err := srv.SendAll(ctx, []byte("+OK\r\n")); n != 5 || err != nil {
			t.Fatalf("buffered send: %d %v", n, err)
		}
		if !srv.Buffer([]byte("$1\r\n")) {
			t.Fatal("Buffer refused bytes that fit")
		}
	}
	if size, pending := srv.WriteBuffer(); size != 4096 || pending != 16*9 {
		t.Fatalf("WriteBuffer() = %d, %d", size, pending)
	}
	time.Sleep(10 * time.Millisecond)
	if got := peekNow(t, c); got != "" {
		t.Fatalf("the peer got %q before Flush", got)
	}
	if err := srv.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	got := 0
	for got < 16*9 {
		n, err := c.Recv(ctx, buf[got:])
		if err != nil || n == 0 {
			t.Fatalf("recv: %d %v", n, err)
		}
		got += n
	}
	if want := strings.Repeat("+OK\r\n$1\r\n", 16); string(buf[:got]) != want {
		t.Fatalf("peer got %q", buf[:got])
	}
	if srv.BytesOut() != 16*9 {
		t.Fatalf("BytesOut %d", srv.BytesOut())
	}
}

// TestWriteBufferOverflow: bytes that do not fit send the buffer first; a
// send as big as the buffer goes straight out, in order.
func TestWriteBufferOverflow(t *testing.T) {
	tb := newTable(t)
	c, srv := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	srv.SetWriteBuffer(ctx, 8)
	srv.Send(ctx, []byte("abcde"))
	srv.Send(ctx, []byte("fghij")) // does not fit: "abcde" goes, "fghij" waits
	waitPeek(t, c, "abcde")
	srv.SendAll(ctx, []byte("0123456789")) // bigger than the buffer: flush, then straight out
	waitPeek(t, c, "abcdefghij0123456789")
	if _, pending := srv.WriteBuffer(); pending != 0 {
		t.Fatalf("%d bytes left buffered", pending)
	}
	if err := srv.SetWriteBuffer(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if srv.Buffer([]byte("x")) {
		t.Fatal("Buffer took bytes with buffering off")
	}
}

func waitPeek(t *testing.T, s *Socket, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if got := peekNow(t, s); got == want {
			return
		} else if len(got) > len(want) || !strings.HasPrefix(want, got) {
			t.Fatalf("peer has %q, want %q", got, want)
		}
	}
	t.Fatalf("peer never had %q (has %q)", want, peekNow(t, s))
}

// TestWriteBufferFlushedBeforeRead: a request-reply exchange on a buffered
// socket does not deadlock: the read sends the buffered request first. A
// read served from the helper's own buffer does not flush.
func TestWriteBufferFlushedBeforeRead(t *testing.T) {
	tb := newTable(t)
	c, srv := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	c.SetWriteBuffer(ctx, 1024)
	go func() {
		line, err := srv.RecvLine(ctx, 0)
		if err == nil {
			srv.SendAll(ctx, append(bytes.ToUpper(line), "\nsecond\n"...))
		}
	}()
	c.SendAll(ctx, []byte("ping\n"))
	line, err := c.RecvLine(ctx, 0) // flushes "ping\n", then waits
	if err != nil || string(line) != "PING" {
		t.Fatalf("recvline: %q %v", line, err)
	}
	waitBuffered(t, c, "second\n")
	c.SendAll(ctx, []byte("kept"))
	if line, err := c.RecvLine(ctx, 0); err != nil || string(line) != "second" {
		t.Fatalf("recvline: %q %v", line, err)
	}
	if _, pending := c.WriteBuffer(); pending != 4 {
		t.Fatalf("a read from the helper's buffer flushed (pending %d)", pending)
	}
}

// waitBuffered waits until s's read buffer holds want (RecvLine read it
// past the first line).
func waitBuffered(t *testing.T, s *Socket, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		s.rmu.Lock()
		got := string(s.rbuf[s.rpos:s.rend])
		s.rmu.Unlock()
		if got == want {
			return
		}
	}
	t.Fatalf("read buffer never held %q", want)
}

// TestWriteBufferSelectFlushes: waiting in Select for a reply sends the
// buffered request.
func TestWriteBufferSelectFlushes(t *testing.T) {
	tb := newTable(t)
	c, srv := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	c.SetWriteBuffer(ctx, 1024)
	go func() {
		buf := make([]byte, 16)
		if n, err := srv.Recv(ctx, buf); err == nil {
			srv.SendAll(ctx, buf[:n])
		}
	}()
	c.SendAll(ctx, []byte("q"))
	r, _, err := Select(ctx, []*Socket{c}, nil, 10*time.Second)
	if err != nil || len(r) != 1 {
		t.Fatalf("select: %v %v", r, err)
	}
}

// TestWriteBufferCloseSendsIt: Close sends what is buffered (the kernel
// takes it at once here); SendFile sends it before the file.
func TestWriteBufferCloseSendsIt(t *testing.T) {
	tb := newTable(t)
	c, srv := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	srv.SetWriteBuffer(ctx, 1024)
	srv.SendAll(ctx, []byte("head:"))
	f := filepath.Join(t.TempDir(), "body")
	os.WriteFile(f, []byte("body"), 0o644)
	fh, _ := os.Open(f)
	defer fh.Close()
	if _, err := srv.SendFile(ctx, fh, 0, -1); err != nil {
		t.Fatal(err)
	}
	srv.SendAll(ctx, []byte(":tail"))
	srv.Close()
	var all []byte
	buf := make([]byte, 64)
	for {
		n, err := c.Recv(ctx, buf)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		all = append(all, buf[:n]...)
	}
	if string(all) != "head:body:tail" {
		t.Fatalf("peer got %q", all)
	}
}

// TestWriteBufferErrors: a datagram socket cannot buffer; a flush that
// fails inside a read (peer gone) is returned by the next send.
func TestWriteBufferErrors(t *testing.T) {
	tb := newTable(t)
	ctx := testCtx(t)
	u := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err := u.SetWriteBuffer(ctx, 10); !errors.Is(err, ErrNotStream) {
		t.Fatalf("udp setbuffer: %v", err)
	}
	c, srv := pair(t, tb, unix.AF_INET)
	if err := c.SetWriteBuffer(ctx, MaxWriteBuffer+1); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("oversized buffer: %v", err)
	}
	c.SetWriteBuffer(ctx, 1024)
	srv.SetLinger(true, 0)
	srv.Close() // RST at the next segment
	c.SendAll(ctx, []byte("one"))
	c.Flush(ctx) // reaches the closed peer, which answers with a reset
	time.Sleep(20 * time.Millisecond)
	c.SendAll(ctx, []byte("two"))
	buf := make([]byte, 8)
	c.Recv(ctx, buf) // the flush inside fails (reset or broken pipe)
	if _, err := c.SendAll(ctx, []byte("three")); err == nil {
		if err = c.Flush(ctx); err == nil {
			t.Fatal("sends after a failed flush still succeed")
		}
	}
}
