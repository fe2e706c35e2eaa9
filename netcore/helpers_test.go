package netcore

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var (
	lo4 = netip.MustParseAddr("127.0.0.1")
	lo6 = netip.MustParseAddr("::1")
)

// newTable returns a Table whose sockets are all closed when the test ends.
func newTable(t *testing.T) *Table {
	t.Helper()
	tb := NewTable()
	t.Cleanup(func() { tb.CloseAll() })
	return tb
}

func open(t *testing.T, tb *Table, family, typ, proto int) *Socket {
	t.Helper()
	s, err := tb.Open(family, typ, proto)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

// listen opens a listening TCP socket on loopback port 0 and returns it
// with its address.
func listen(t *testing.T, tb *Table, family int) (*Socket, Addr) {
	t.Helper()
	ip := lo4
	if family == unix.AF_INET6 {
		ip = lo6
	}
	ln := open(t, tb, family, unix.SOCK_STREAM, 0)
	if err := ln.Bind(context.Background(), IPAddr(ip, 0)); err != nil {
		if family == unix.AF_INET6 && errors.Is(err, unix.EADDRNOTAVAIL) {
			t.Skip("no IPv6 loopback here")
		}
		t.Fatalf("bind: %v", err)
	}
	if err := ln.Listen(128); err != nil {
		t.Fatalf("listen: %v", err)
	}
	la, err := ln.LocalAddr()
	if err != nil {
		t.Fatal(err)
	}
	return ln, la
}

// pair returns a connected TCP pair (client, server side) on loopback.
func pair(t *testing.T, tb *Table, family int) (*Socket, *Socket) {
	t.Helper()
	ln, la := listen(t, tb, family)
	type res struct {
		s   *Socket
		err error
	}
	ch := make(chan res, 1)
	go func() {
		s, _, err := ln.Accept(context.Background())
		ch <- res{s, err}
	}()
	c := open(t, tb, family, unix.SOCK_STREAM, 0)
	if err := c.Connect(context.Background(), la); err != nil {
		t.Fatalf("connect: %v", err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatalf("accept: %v", r.err)
	}
	ln.Close()
	return c, r.s
}

// testCtx is a context that ends with the test (a hung call fails, not hangs).
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func countFds(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot read /proc/self/fd: %v", err)
	}
	return len(ents)
}

// wantShort checks that err's short form is want.
func wantShort(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := Short(err); got != want {
		t.Fatalf("%s: Short(%v) = %q, want %q", what, err, got, want)
	}
}

// waitBlocked waits (bounded) until some goroutine is parked in the runtime
// poller inside a netcore call whose name contains fn, so a test can wake a
// call that is really blocked rather than one that has not started.
func waitBlocked(t *testing.T, fn string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "runtime_pollWait") && strings.Contains(g, "netcore.(*Socket)."+fn) {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no goroutine blocked in %s", fn)
}
