package netcore

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// tlsRecordHeader is the length of a TLS record header (type, version,
// length).
const tlsRecordHeader = 5

// wire is the net.Conn crypto/tls reads and writes: the Socket's byte
// stream with the context of the TLS call in progress, so a task's
// cancellation reaches the kernel wait. The wire ignores the Socket's
// timeout: the TLSConn puts it in the context, for the whole call, and the
// handshake (on its own goroutine) waits without it.
//
// Reads never go past the end of the current TLS record. crypto/tls then
// holds no undecrypted bytes of a later record, and a record that has fully
// arrived is always decrypted into the TLSConn's own buffer: what is
// buffered there plus what the kernel holds is all there is, so
// socket.select can tell a readable TLS socket from the descriptor and
// Buffered alone.
type wire struct {
	s *Socket

	// Read side: only crypto/tls's reader calls Read, one call at a time.
	hdr    [tlsRecordHeader]byte
	hn     int    // header bytes read so far
	pend   []byte // header bytes not yet handed to crypto/tls
	remain int    // bytes of the current record's body still to read
	eof    bool   // the TCP stream ended (so no close_notify came before it)

	// The contexts and deadlines of the calls in progress. crypto/tls may
	// write from inside a read (an alert, a key update), so the write side
	// has its own lock, not the TLSConn's.
	mu        sync.Mutex
	rctx      context.Context
	wctx      context.Context
	rdeadline time.Time
	wdeadline time.Time
}

// wireError is an error from the socket under TLS. Timeouts and
// interruptions are temporary for crypto/tls, which then keeps the
// connection usable: a read that timed out can be retried.
type wireError struct{ err error }

func (e *wireError) Error() string { return e.err.Error() }
func (e *wireError) Unwrap() error { return e.err }
func (e *wireError) Timeout() bool { return errors.Is(e.err, ErrTimeout) }
func (e *wireError) Temporary() bool {
	return errors.Is(e.err, ErrTimeout) || errors.Is(e.err, ErrInterrupted)
}

// setRead sets the context of the reads that follow (nil: none).
func (w *wire) setRead(ctx context.Context) {
	w.mu.Lock()
	w.rctx = ctx
	w.mu.Unlock()
}

// setWrite sets the context of the writes that follow (nil: none).
func (w *wire) setWrite(ctx context.Context) {
	w.mu.Lock()
	w.wctx = ctx
	w.mu.Unlock()
}

// callCtx returns the context of a read or write and a cancel to call
// after it: the call's own context bounded by a deadline crypto/tls set.
func (w *wire) callCtx(write bool) (context.Context, context.CancelFunc) {
	w.mu.Lock()
	ctx, dl := w.rctx, w.rdeadline
	if write {
		ctx, dl = w.wctx, w.wdeadline
	}
	w.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	if dl.IsZero() {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, dl)
}

// mapErr turns the Socket's error into the reason crypto/tls sees: a
// context deadline set through SetDeadline is a timeout.
func mapErr(ctx context.Context, err error) error {
	var oe *OpError
	if errors.As(err, &oe) {
		err = oe.Err
	}
	if errors.Is(err, ErrInterrupted) && errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		err = ErrTimeout
	}
	return &wireError{err}
}

// Read hands crypto/tls the bytes of the current record, reading the next
// record's header first when the last one is done.
func (w *wire) Read(p []byte) (int, error) {
	ctx, cancel := w.callCtx(false)
	defer cancel()
	if len(w.pend) == 0 && w.remain == 0 {
		for w.hn < tlsRecordHeader {
			n, err := w.s.recv(ctx, w.hdr[w.hn:], true)
			w.hn += n
			if err != nil {
				return 0, mapErr(ctx, err)
			}
			if n == 0 {
				w.eof = true
				if w.hn == 0 {
					return 0, io.EOF
				}
				return 0, io.ErrUnexpectedEOF
			}
		}
		w.hn = 0
		w.remain = int(w.hdr[3])<<8 | int(w.hdr[4])
		w.pend = w.hdr[:]
	}
	if len(w.pend) > 0 {
		n := copy(p, w.pend)
		w.pend = w.pend[n:]
		return n, nil
	}
	n, err := w.s.recv(ctx, p[:min(len(p), w.remain)], true)
	w.remain -= n
	if err != nil {
		return n, mapErr(ctx, err)
	}
	if n == 0 {
		w.eof = true
		return 0, io.ErrUnexpectedEOF
	}
	return n, nil
}

// Write sends all of p (crypto/tls writes whole records).
func (w *wire) Write(p []byte) (int, error) {
	ctx, cancel := w.callCtx(true)
	defer cancel()
	n, err := w.s.sendAll(ctx, p, true)
	if err != nil {
		return n, mapErr(ctx, err)
	}
	return n, nil
}

// Close closes the socket.
func (w *wire) Close() error { return w.s.Close() }

func (w *wire) LocalAddr() net.Addr {
	a, _ := w.s.LocalAddr()
	return wireAddr(a.String())
}

func (w *wire) RemoteAddr() net.Addr {
	a, _ := w.s.RemoteAddr()
	return wireAddr(a.String())
}

func (w *wire) SetDeadline(t time.Time) error {
	w.SetReadDeadline(t)
	return w.SetWriteDeadline(t)
}

func (w *wire) SetReadDeadline(t time.Time) error {
	w.mu.Lock()
	w.rdeadline = t
	w.mu.Unlock()
	return nil
}

func (w *wire) SetWriteDeadline(t time.Time) error {
	w.mu.Lock()
	w.wdeadline = t
	w.mu.Unlock()
	return nil
}

// wireAddr is a Socket address as a net.Addr.
type wireAddr string

func (a wireAddr) Network() string { return "tcp" }
func (a wireAddr) String() string  { return string(a) }
