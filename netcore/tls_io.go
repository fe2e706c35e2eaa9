package netcore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// tlsMaxPlain is the largest plaintext of one TLS record: a read into at
// least this much room takes all crypto/tls has decrypted, so nothing waits
// inside crypto/tls that Buffered does not count.
const tlsMaxPlain = 16 << 10

// tlsBufSize is the size of the read buffers sessions borrow from tlsBufs
// while they hold plaintext, and give back once it is all read.
const tlsBufSize = tlsMaxPlain + minFill

var tlsBufs = sync.Pool{New: func() any { b := make([]byte, tlsBufSize); return &b }}

// begin waits for the handshake and sets the context of the read or write
// that follows: ctx bounded by the Socket's timeout for the whole call.
func (t *TLSConn) begin(ctx context.Context, write bool) (context.CancelFunc, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := t.Handshake(ctx); err != nil {
		return nil, err
	}
	cancel := context.CancelFunc(func() {})
	if d := t.s.Timeout(); d >= 0 {
		// d == 0 (non-blocking): a deadline already past, so a call that
		// would wait fails with ErrTimeout at once.
		ctx, cancel = context.WithTimeout(ctx, d)
	}
	if write {
		t.w.setWrite(ctx)
	} else {
		t.w.setRead(ctx)
	}
	return func() {
		if write {
			t.w.setWrite(nil)
		} else {
			t.w.setRead(nil)
		}
		cancel()
	}, nil
}

// readErr turns crypto/tls's read error into the call's error: the end of
// the stream after close_notify is (0, nil), one without it ErrTruncated.
func (t *TLSConn) readErr(op string, err error) error {
	var we *wireError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF) && !t.w.eof:
		return nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		err = ErrTruncated
	case errors.As(err, &we):
		err = we.err
	}
	return t.s.fail(op, Addr{}, err)
}

// read is one crypto/tls read into p; rmu is held. At the end of the stream
// it returns 0 and err nil.
func (t *TLSConn) read(op string, p []byte) (int, error) {
	n, err := t.tc.Read(p)
	if n > 0 && errors.Is(err, io.EOF) {
		err = nil // crypto/tls keeps the end for the next read
	}
	err = t.readErr(op, err)
	if h := t.s.trace.Load(); h != nil {
		t.s.emit(h, &TraceEvent{Op: "tls-recv", Data: p[:n], N: int64(n), EOF: n == 0 && err == nil, Err: err})
	}
	return n, err
}

// expired is a context past its deadline: a read with it takes only what
// has already arrived.
var expired, _ = context.WithDeadline(context.Background(), time.Unix(1, 0))

// readReady adds to a big Recv the records that have already arrived, so
// recv(1 MiB) returns what is there, as on a plain socket, and not one
// 16 KiB record per call; it never waits. rmu is held.
func (t *TLSConn) readReady(p []byte) int {
	t.w.setRead(expired)
	defer t.w.setRead(nil)
	got := 0
	for len(p)-got >= tlsMaxPlain {
		n, err := t.tc.Read(p[got:])
		if n > 0 {
			if h := t.s.trace.Load(); h != nil {
				t.s.emit(h, &TraceEvent{Op: "tls-recv", Data: p[got : got+n], N: int64(n)})
			}
		}
		got += n
		if err != nil || n == 0 {
			break // nothing more yet (the end or an error shows at the next call)
		}
	}
	return got
}

// fill reads more plaintext into the buffer; rmu is held.
func (t *TLSConn) fill(op string) (int, error) {
	if t.rbuf == nil {
		t.rbuf = *tlsBufs.Get().(*[]byte)
	}
	t.rbuf, t.rpos, t.rend = makeRoom(t.rbuf, t.rpos, t.rend, tlsMaxPlain)
	n, err := t.read(op, t.rbuf[t.rend:])
	t.rend += n
	return n, err
}

func (t *TLSConn) take(p []byte) int {
	n := copy(p, t.rbuf[t.rpos:t.rend])
	t.consume(n)
	return n
}

// consume drops n buffered bytes; an empty buffer is let go, so a thousand
// idle sessions hold none.
func (t *TLSConn) consume(n int) {
	t.rpos += n
	if t.rpos == t.rend {
		t.rpos, t.rend = 0, 0
		if len(t.rbuf) == tlsBufSize {
			b := t.rbuf
			tlsBufs.Put(&b)
		}
		t.rbuf = nil
	}
}

func (t *TLSConn) takeAll() []byte {
	out := append([]byte{}, t.rbuf[t.rpos:t.rend]...)
	t.consume(t.rend - t.rpos)
	return out
}

// Recv receives up to len(p) plaintext bytes, buffered ones first; 0 and a
// nil error at the end of the stream (after the peer's close_notify).
func (t *TLSConn) Recv(ctx context.Context, p []byte) (int, error) {
	t.rmu.Lock()
	defer t.rmu.Unlock()
	if t.rpos < t.rend {
		return t.take(p), nil
	}
	if len(p) == 0 {
		return 0, nil
	}
	done, err := t.begin(ctx, false)
	if err != nil {
		return 0, err
	}
	defer done()
	if len(p) >= tlsMaxPlain {
		n, err := t.read("recv", p)
		if err == nil && n > 0 {
			n += t.readReady(p[n:])
		}
		return n, err
	}
	if _, err := t.fill("recv"); err != nil {
		return 0, err
	}
	return t.take(p), nil
}

// RecvPooled is Recv into a buffer of n bytes from pool (see
// Socket.RecvPooled); the buffer is nil when no bytes came.
func (t *TLSConn) RecvPooled(ctx context.Context, pool BufferPool, n int) (*[]byte, int, error) {
	b := pool.Get()
	got, err := t.Recv(ctx, (*b)[:n])
	if got == 0 {
		pool.Put(b)
		return nil, 0, err
	}
	return b, got, err
}

// RecvUntil returns the plaintext up to and including delim, as
// Socket.RecvUntil.
func (t *TLSConn) RecvUntil(ctx context.Context, delim []byte, max int) ([]byte, error) {
	if len(delim) == 0 {
		return nil, t.s.fail("recvuntil", Addr{}, errors.New("empty delimiter"))
	}
	if max <= 0 {
		max = DefaultMaxLine
	}
	t.rmu.Lock()
	defer t.rmu.Unlock()
	var done context.CancelFunc
	defer func() {
		if done != nil {
			done()
		}
	}()
	scanned := 0
	for {
		data := t.rbuf[t.rpos:t.rend]
		start := max0(scanned - len(delim) + 1)
		if i := bytes.Index(data[start:], delim); i >= 0 {
			end := start + i + len(delim)
			if end > max {
				return nil, t.s.fail("recvuntil", Addr{}, ErrTooLong)
			}
			out := bytes.Clone(data[:end])
			t.consume(end)
			return out, nil
		}
		scanned = len(data)
		if len(data) >= max {
			return nil, t.s.fail("recvuntil", Addr{}, ErrTooLong)
		}
		if done == nil {
			var err error
			if done, err = t.begin(ctx, false); err != nil {
				return t.takeAll(), err
			}
		}
		n, err := t.fill("recvuntil")
		if err == nil && n == 0 {
			err = t.s.fail("recvuntil", Addr{}, io.EOF)
		}
		if err != nil {
			return t.takeAll(), err
		}
	}
}

func max0(n int) int { return max(n, 0) }

// RecvExactly returns exactly n plaintext bytes, as Socket.RecvExactly.
func (t *TLSConn) RecvExactly(ctx context.Context, n int) ([]byte, error) {
	if n < 0 {
		return nil, t.s.fail("recvexactly", Addr{}, errors.New("negative count"))
	}
	t.rmu.Lock()
	defer t.rmu.Unlock()
	var done context.CancelFunc
	for t.rend-t.rpos < n {
		if done == nil {
			var err error
			if done, err = t.begin(ctx, false); err != nil {
				return t.takeAll(), err
			}
			defer done()
		}
		m, err := t.fill("recvexactly")
		if err == nil && m == 0 {
			err = t.s.fail("recvexactly", Addr{}, io.EOF)
		}
		if err != nil {
			return t.takeAll(), err
		}
	}
	out := bytes.Clone(t.rbuf[t.rpos : t.rpos+n])
	t.consume(n)
	return out, nil
}

// Buffered returns how many decrypted bytes wait to be read. It never waits:
// while a read is in progress it returns 0.
func (t *TLSConn) Buffered() int {
	if !t.rmu.TryLock() {
		return 0
	}
	defer t.rmu.Unlock()
	return t.rend - t.rpos
}

// Send sends p whole, as crypto/tls does (a record at a time); it returns
// the bytes sent. After a failed send the session cannot send again
// (crypto/tls's rule: a record may have gone out in part).
func (t *TLSConn) Send(ctx context.Context, p []byte) (int, error) {
	return t.write("send", ctx, p)
}

// SendAll is Send.
func (t *TLSConn) SendAll(ctx context.Context, p []byte) (int, error) {
	return t.write("sendall", ctx, p)
}

func (t *TLSConn) write(op string, ctx context.Context, p []byte) (int, error) {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	done, err := t.begin(ctx, true)
	if err != nil {
		return 0, err
	}
	defer done()
	n, err := t.tc.Write(p)
	if h := t.s.trace.Load(); h != nil {
		t.s.emit(h, &TraceEvent{Op: "tls-send", Data: p[:n], N: int64(n), Err: t.s.fail("tls-send", Addr{}, unwrapWire(err))})
	}
	if err != nil {
		var we *wireError
		if errors.As(err, &we) {
			err = we.err
		}
		return n, t.s.fail(op, Addr{}, err)
	}
	return n, nil
}

// unwrapWire returns the Socket's error under a wireError.
func unwrapWire(err error) error {
	var we *wireError
	if errors.As(err, &we) {
		return we.err
	}
	return err
}
