package netcore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// recorder keeps a copy of every event it is given.
type recorder struct {
	mu  sync.Mutex
	evs []TraceEvent
}

func (r *recorder) Trace(ev *TraceEvent) {
	c := *ev
	c.Data = bytes.Clone(ev.Data)
	r.mu.Lock()
	r.evs = append(r.evs, c)
	r.mu.Unlock()
}

func (r *recorder) events() []TraceEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]TraceEvent(nil), r.evs...)
}

// ops lists "ID:op" of the events, with the bytes of data events.
func (r *recorder) ops() string {
	var out []string
	for _, e := range r.events() {
		s := fmt.Sprintf("%d:%s", e.ID, e.Op)
		if e.Data != nil {
			s += fmt.Sprintf("(%q)", e.Data)
		}
		if e.EOF {
			s += "EOF"
		}
		if e.Err != nil {
			s += "!" + Short(e.Err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// TestTraceConversation: every call of a TCP conversation is traced once,
// with addresses, data, the peer's end of stream and the close.
func TestTraceConversation(t *testing.T) {
	tb := newTable(t)
	rec := &recorder{}
	tb.SetTracer(rec)
	ctx := testCtx(t)
	ln, la := listen(t, tb, unix.AF_INET)
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	s, _, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendAll(ctx, []byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	line, err := s.RecvLine(ctx, 0)
	if err != nil || string(line) != "ping" {
		t.Fatalf("recvline %q %v", line, err)
	}
	if _, err := s.Send(ctx, []byte("pong")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if n, err := c.Recv(ctx, buf); err != nil || n != 4 {
		t.Fatalf("recv %d %v", n, err)
	}
	if err := c.Shutdown(unix.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Recv(ctx, buf); err != nil || n != 0 {
		t.Fatalf("recv at EOF %d %v", n, err)
	}
	s.Close()
	c.Close()
	ln.Close()
	want := fmt.Sprint(`1:bind 1:listen 2:connect 1:accept 2:send("ping\n") 3:recvline("ping\n") 3:send("pong") 2:recv("pong") 2:shutdown 3:recv("")EOF 3:close 2:close 1:close`)
	if got := rec.ops(); got != want {
		t.Fatalf("trace\n got %s\nwant %s", got, want)
	}
	evs := rec.events()
	acc := evs[3]
	if acc.NewID != 3 || acc.Local != la || acc.Peer.Port == 0 {
		t.Errorf("accept event %+v", acc)
	}
	send := evs[4]
	if send.Local != acc.Peer || send.Peer != la || send.N != 5 || send.Type != unix.SOCK_STREAM {
		t.Errorf("send event %+v (client %v, server %v)", send, acc.Peer, la)
	}
	if evs[8].Arg != unix.SHUT_WR {
		t.Errorf("shutdown arg %d", evs[8].Arg)
	}
	if cl := evs[11]; cl.Local != acc.Peer || cl.Peer != la || cl.Reset {
		t.Errorf("close event %+v", cl)
	}
	for _, e := range evs {
		if e.Time.IsZero() || e.ID == 0 || e.Family != unix.AF_INET {
			t.Errorf("incomplete event %+v", e)
		}
	}
}

// TestTraceErrors: failures are traced with their error; a close with
// unread data is marked as a reset.
func TestTraceErrors(t *testing.T) {
	tb := newTable(t)
	rec := &recorder{}
	tb.SetTracer(rec)
	ctx := testCtx(t)
	c, s := pair(t, tb, unix.AF_INET)
	s.SetTimeout(0)
	if _, err := s.Recv(ctx, make([]byte, 4)); !errors.Is(err, ErrTimeout) {
		t.Fatalf("recv: %v", err)
	}
	c.SendAll(ctx, []byte("unread"))
	s.SetTimeout(5 * time.Second)
	s.WaitReadable(ctx)
	s.Close()
	if _, err := c.Recv(ctx, make([]byte, 4)); err == nil {
		t.Fatal("recv after the peer's reset: no error")
	}
	if _, err := s.Send(ctx, []byte("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("send after close: %v", err)
	}
	u := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if _, err := u.SendTo(ctx, []byte("x"), IPAddr(lo4, 9)); err != nil {
		t.Fatal(err)
	}
	evs := rec.events()
	var ops []string
	for _, e := range evs {
		ops = append(ops, e.Op)
	}
	got := rec.ops()
	for _, want := range []string{`3:recv("")!timeout`, `3:close`, `2:recv("")!connection reset by peer`, `3:send!closed`, `4:sendto("x")`} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %s:\n%s", want, got)
		}
	}
	for _, e := range evs {
		if e.Op == "close" && e.ID == 3 && !e.Reset {
			t.Errorf("close with unread data is not a reset: %+v", e)
		}
		if e.Op == "send" && e.ID == 3 && e.Local.Port == 0 {
			t.Errorf("send after close: no local address %+v", e)
		}
		if e.Op == "sendto" && (e.Peer.Port != 9 || e.Local.Port == 0) {
			t.Errorf("sendto addresses %+v", e)
		}
	}
}

// TestTraceSettings: a socket's own setting beats the table's, is inherited
// by the sockets it accepts, and InheritTracer goes back to the table's.
func TestTraceSettings(t *testing.T) {
	tb := newTable(t)
	session, own := &recorder{}, &recorder{}
	ctx := testCtx(t)
	ln, la := listen(t, tb, unix.AF_INET)
	ln.SetTracer(own)
	tb.SetTracer(session)
	if ln.Tracer() != own {
		t.Fatal("the table's tracer replaced the socket's own")
	}
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	c.SetTracer(nil)
	c.Connect(ctx, la)
	if s, _, err := ln.Accept(ctx); err == nil {
		s.Send(ctx, []byte("hi"))
	}
	c.RecvExactly(ctx, 2)
	if got := session.ops(); got != "" {
		t.Errorf("session tracer saw %s", got)
	}
	if got := own.ops(); got != `1:accept 3:send("hi")` {
		t.Errorf("own tracer saw %s", got)
	}
	c.InheritTracer()
	c.Close()
	if got := session.ops(); got != "2:close" {
		t.Errorf("after InheritTracer the session saw %q", got)
	}
	u := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if u.Tracer() != session {
		t.Error("a new socket does not follow the table's tracer")
	}
	tb.SetTracer(nil)
	if tb.Tracer() != nil || u.Tracer() != nil {
		t.Error("SetTracer(nil) left a tracer")
	}
}

// TestTraceNamed: tracers set under different names all see every event;
// removing one leaves the others.
func TestTraceNamed(t *testing.T) {
	tb := newTable(t)
	a, b := &recorder{}, &recorder{}
	tb.SetNamedTracer("trace", a)
	s := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	tb.SetNamedTracer("capture", b)
	s.Bind(context.Background(), IPAddr(lo4, 0))
	tb.SetNamedTracer("trace", nil)
	s.Close()
	if a.ops() != "1:bind" || b.ops() != "1:bind 1:close" {
		t.Errorf("trace saw %q, capture saw %q", a.ops(), b.ops())
	}
	if tb.Tracer() != nil || tb.NamedTracer("capture") != b || !tb.Traced() {
		t.Error("named tracers mixed up")
	}
	tb.SetNamedTracer("capture", nil)
	if tb.Traced() {
		t.Error("traced with no tracer")
	}
}

// TestTraceSendFile: a traced sendfile names the file and offset its bytes
// came from, and the tracer can read them.
func TestTraceSendFile(t *testing.T) {
	tb := newTable(t)
	var got []byte
	tb.SetTracer(tracerFunc(func(ev *TraceEvent) {
		if ev.Op == "sendfile" {
			got = make([]byte, ev.N)
			ev.File.ReadAt(got, ev.FileOffset)
		}
	}))
	ctx := testCtx(t)
	c, s := pair(t, tb, unix.AF_INET)
	f, err := os.CreateTemp(t.TempDir(), "sf")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("0123456789")
	if n, err := c.SendFile(ctx, f, 3, 4); err != nil || n != 4 {
		t.Fatalf("sendfile %d %v", n, err)
	}
	s.RecvExactly(ctx, 4)
	if string(got) != "3456" {
		t.Errorf("traced sendfile bytes %q", got)
	}
}

type tracerFunc func(*TraceEvent)

func (f tracerFunc) Trace(ev *TraceEvent) { f(ev) }

// TestTraceConcurrent: tracers are set and unset while sockets send, close
// and accept on other goroutines (run with -race).
func TestTraceConcurrent(t *testing.T) {
	tb := newTable(t)
	ctx := testCtx(t)
	rec := &recorder{}
	var wg sync.WaitGroup
	for range 4 {
		c, s := pair(t, tb, unix.AF_INET)
		wg.Go(func() {
			buf := make([]byte, 16)
			for range 200 {
				c.Send(ctx, []byte("x"))
				s.Recv(ctx, buf)
			}
			c.Close()
			s.Close()
		})
	}
	for i := range 200 {
		if i%2 == 0 {
			tb.SetTracer(rec)
		} else {
			tb.SetTracer(nil)
		}
	}
	wg.Wait()
}

// BenchmarkSendRecvTrace is one 64-byte send and its receive on a
// loopback pair, the data always ready, so no goroutine waits: the
// system calls alone, the least noisy place to see what the hook costs when
// off (one atomic load per call) and on.
func BenchmarkSendRecvTrace(b *testing.B) {
	b.Run("off", func(b *testing.B) { benchSendRecv(b, nil) })
	b.Run("on-discard", func(b *testing.B) { benchSendRecv(b, tracerFunc(func(*TraceEvent) {})) })
}

func benchSendRecv(b *testing.B, tr Tracer) {
	ctx := context.Background()
	tb := NewTable()
	defer tb.CloseAll()
	ln, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	ln.Bind(ctx, IPAddr(lo4, 0))
	ln.Listen(1)
	la, _ := ln.LocalAddr()
	c, _ := tb.Open(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		b.Fatal(err)
	}
	s, _, err := ln.Accept(ctx)
	if err != nil {
		b.Fatal(err)
	}
	c.SetTracer(tr)
	s.SetTracer(tr)
	msg := bytes.Repeat([]byte("x"), 64)
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.Send(ctx, msg)
		for got := 0; got < len(msg); {
			n, err := s.Recv(ctx, buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
}
