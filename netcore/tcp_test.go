package netcore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestTCPEcho(t *testing.T) {
	for _, tc := range []struct {
		name   string
		family int
		kind   string
	}{
		{"ipv4", unix.AF_INET, "tcp"},
		{"ipv6", unix.AF_INET6, "tcp6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tb := newTable(t)
			ln, la := listen(t, tb, tc.family)
			errc := make(chan error, 1)
			go func() {
				c, _, err := ln.Accept(ctx)
				if err != nil {
					errc <- err
					return
				}
				buf := make([]byte, 1024)
				for {
					n, err := c.Recv(ctx, buf)
					if err != nil || n == 0 {
						errc <- err
						c.Close()
						return
					}
					up := bytes.ToUpper(buf[:n])
					if _, err := c.SendAll(ctx, up); err != nil {
						errc <- err
						return
					}
				}
			}()
			c := open(t, tb, tc.family, unix.SOCK_STREAM, 0)
			if err := c.Connect(ctx, la); err != nil {
				t.Fatal(err)
			}
			if c.State() != StateConnected || c.KernelState() != "ESTABLISHED" {
				t.Fatalf("state %s/%s", c.State(), c.KernelState())
			}
			ra, err := c.RemoteAddr()
			if err != nil || ra != la {
				t.Fatalf("RemoteAddr = %v, %v; want %v", ra, err, la)
			}
			for i := range 50 {
				msg := fmt.Sprintf("message %d\n", i)
				if _, err := c.SendAll(ctx, []byte(msg)); err != nil {
					t.Fatal(err)
				}
				got, err := c.RecvLine(ctx, 0)
				if err != nil || string(got) != strings.ToUpper(strings.TrimSpace(msg)) {
					t.Fatalf("round %d: %q, %v", i, got, err)
				}
			}
			if c.BytesOut() != c.BytesIn() || c.BytesOut() == 0 {
				t.Fatalf("counters in=%d out=%d", c.BytesIn(), c.BytesOut())
			}
			list := tb.List()
			if len(list) != 3 || list[0].Type != tc.kind || list[0].State != "LISTEN" {
				t.Fatalf("List = %+v", list)
			}
			c.Shutdown(unix.SHUT_WR)
			if err := <-errc; err != nil {
				t.Fatalf("server: %v", err)
			}
			n, err := c.Recv(ctx, make([]byte, 10))
			if n != 0 || err != nil {
				t.Fatalf("Recv at end of stream = %d, %v", n, err)
			}
		})
	}
}

// TestStickyPackets shows that Recv returns what the kernel has: two sends
// arrive as one read, no framing is invented.
func TestStickyPackets(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	c.SendAll(ctx, []byte("12"))
	c.SendAll(ctx, []byte("hello"))
	c.Shutdown(unix.SHUT_WR)
	var got []byte
	buf := make([]byte, 1024)
	for range 10 {
		n, err := s.Recv(ctx, buf)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "12hello" {
		t.Fatalf("got %q", got)
	}
}

func TestConnectRefused(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	ln.Close()
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	err := c.Connect(ctx, la)
	wantShort(t, "connect", err, "connection refused")
	if want := "connect " + la.String() + ": connection refused"; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
	if Errno(err) != int(unix.ECONNREFUSED) {
		t.Fatalf("Errno = %d", Errno(err))
	}
	if c.State() != StateCreated {
		t.Fatalf("state after refused connect: %s", c.State())
	}
}

func TestBindBusyPort(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	_, la := listen(t, tb, unix.AF_INET)
	s := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	err := s.Bind(ctx, la)
	wantShort(t, "bind", err, "address already in use")
	if want := "bind " + la.String() + ": address already in use"; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
	if !errors.Is(err, unix.EADDRINUSE) {
		t.Fatal("not EADDRINUSE")
	}
}

func TestRecvTimeout(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET) // the server side does not answer
	c.SetTimeout(50 * time.Millisecond)
	if c.Timeout() != 50*time.Millisecond {
		t.Fatal("Timeout()")
	}
	for _, call := range []func() error{
		func() error { _, err := c.Recv(ctx, make([]byte, 10)); return err },
		func() error { _, err := c.RecvLine(ctx, 0); return err },
		func() error { _, err := c.RecvExactly(ctx, 4); return err },
	} {
		err := call()
		wantShort(t, "recv", err, "timeout")
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("%v is not ErrTimeout", err)
		}
	}
	// Non-blocking: would-block returns at once.
	c.SetTimeout(0)
	_, err := c.Recv(ctx, make([]byte, 10))
	wantShort(t, "non-blocking recv", err, "timeout")
	// A timeout leaves the socket usable, and its expired deadline does not
	// leak into the next call, which waits as long as it must.
	c.SetTimeout(-1)
	if _, err := c.Send(ctx, []byte("x")); err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(50 * time.Millisecond)
	c.Recv(ctx, make([]byte, 1))
	c.SetTimeout(-1)
	got := make(chan error, 1)
	go func() {
		l, err := c.RecvLine(ctx, 0)
		if err == nil && string(l) != "late" {
			err = fmt.Errorf("got %q", l)
		}
		got <- err
	}()
	waitBlocked(t, "RecvLine")
	s.SendAll(ctx, []byte("late\n"))
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}

// TestConnectTimeout fills a listener's accept queue, after which the kernel
// drops SYNs and a connect waits: the timeout must end it.
func TestConnectTimeout(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	ln := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, IPAddr(lo4, 0))
	ln.Listen(0)
	la, _ := ln.LocalAddr()
	for i := range 20 {
		c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
		c.SetTimeout(100 * time.Millisecond)
		err := c.Connect(ctx, la)
		if err == nil {
			continue
		}
		wantShort(t, fmt.Sprintf("connect %d", i), err, "timeout")
		return
	}
	t.Skip("the kernel accepted 20 connections on a backlog of 0")
}

func TestNonBlockingConnect(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	c.SetTimeout(0)
	err := c.Connect(ctx, la)
	if err != nil {
		wantShort(t, "non-blocking connect", err, "timeout")
	}
	s, _, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.SetTimeout(-1)
	// The connect finished in the background: data calls work.
	if _, err := c.SendAll(ctx, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.RecvExactly(ctx, 2); string(got) != "hi" || err != nil {
		t.Fatalf("%q %v", got, err)
	}
	if c.State() != StateConnected {
		t.Fatalf("state %s", c.State())
	}
}

func TestInterrupt(t *testing.T) {
	tb := newTable(t)
	c, peer := pair(t, tb, unix.AF_INET)
	ln, la := listen(t, tb, unix.AF_INET)
	for _, tc := range []struct {
		name, fn string
		call     func(ctx context.Context) error
	}{
		{"accept", "Accept", func(ctx context.Context) error { _, _, err := ln.Accept(ctx); return err }},
		{"recv", "Recv", func(ctx context.Context) error { _, err := c.Recv(ctx, make([]byte, 8)); return err }},
		{"recvline", "RecvLine", func(ctx context.Context) error { _, err := c.RecvLine(ctx, 0); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- tc.call(ctx) }()
			waitBlocked(t, tc.fn)
			cancel()
			select {
			case err := <-errc:
				wantShort(t, tc.name, err, "interrupted")
				if !errors.Is(err, ErrInterrupted) {
					t.Fatalf("%v is not ErrInterrupted", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("cancel did not wake the call")
			}
		})
	}
	// After an interruption the sockets work again with a fresh context.
	ctx := testCtx(t)
	d := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := d.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ln.Accept(ctx); err != nil {
		t.Fatalf("accept after interrupt: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		l, err := c.RecvLine(ctx, 0)
		if err == nil && string(l) != "after" {
			err = fmt.Errorf("got %q", l)
		}
		got <- err
	}()
	waitBlocked(t, "RecvLine")
	peer.SendAll(ctx, []byte("after\n"))
	if err := <-got; err != nil {
		t.Fatalf("recv after interrupt: %v", err)
	}
}

func TestPeerReset(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, s := pair(t, tb, unix.AF_INET)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 8)
		n, err := c.Recv(ctx, buf) // the first byte arrives
		if err == nil && n == 1 {
			_, err = c.Recv(ctx, buf) // then the reset
		}
		errc <- err
	}()
	if err := s.SetLinger(true, 0); err != nil {
		t.Fatal(err)
	}
	s.SendAll(ctx, []byte("x"))
	s.Close()
	err := <-errc
	wantShort(t, "recv after reset", err, "connection reset by peer")
	_, err = c.Send(ctx, []byte("more"))
	if Short(err) != "broken pipe" && Short(err) != "connection reset by peer" {
		t.Fatalf("send after reset: %v", err)
	}
}

func TestCloseWakesRecv(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	c, _ := pair(t, tb, unix.AF_INET)
	errc := make(chan error, 1)
	go func() {
		_, err := c.Recv(ctx, make([]byte, 8))
		errc <- err
	}()
	waitBlocked(t, "Recv")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	wantShort(t, "recv on closed", <-errc, "closed")
	err := c.Close()
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close = %v", err)
	}
	ln, _ := listen(t, tb, unix.AF_INET)
	go func() {
		_, _, err := ln.Accept(ctx)
		errc <- err
	}()
	waitBlocked(t, "Accept")
	ln.Close()
	wantShort(t, "accept on closed", <-errc, "closed")
}

// TestCancelBetweenCalls cancels a context the socket still watches while no
// call is in progress: the next call with that context is interrupted, and a
// call with another context is not disturbed.
func TestCancelBetweenCalls(t *testing.T) {
	tb := newTable(t)
	c, peer := pair(t, tb, unix.AF_INET)
	ctx := testCtx(t)
	ctx1, cancel1 := context.WithCancel(ctx)
	buf := make([]byte, 8)
	got := make(chan error, 1)
	go func() {
		_, err := c.Recv(ctx1, buf) // waits, so ctx1 gets watched
		got <- err
	}()
	waitBlocked(t, "Recv")
	peer.SendAll(ctx, []byte("a"))
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	cancel1()
	if _, err := c.Recv(ctx1, buf); Short(err) != "interrupted" {
		t.Fatalf("Recv with the cancelled context = %v", err)
	}
	go func() {
		n, err := c.Recv(ctx, buf)
		if err == nil && string(buf[:n]) != "b" {
			err = fmt.Errorf("got %q", buf[:n])
		}
		got <- err
	}()
	waitBlocked(t, "Recv")
	peer.SendAll(ctx, []byte("b"))
	if err := <-got; err != nil {
		t.Fatalf("Recv with a live context: %v", err)
	}
}
