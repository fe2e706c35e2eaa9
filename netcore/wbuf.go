package netcore

import (
	"context"
	"errors"

	"golang.org/x/sys/unix"
)

// A stream socket can buffer what it sends (SetWriteBuffer), so that a
// server answering a pipelined batch of requests writes all the replies
// with one system call instead of one each. The rules:
//
//   - Send and SendAll append to the buffer and return at once while the
//     bytes fit; when they do not, the buffer is sent first, then the new
//     bytes are buffered (or sent straight away when they alone fill it).
//   - Flush sends what is buffered, waiting as SendAll does.
//   - Before a read goes to the kernel (Recv and every receive helper when
//     their own read buffer is empty, RecvFile, a wait for readability in
//     Select), what is buffered is sent: a request never waits for a reply
//     still sitting in the buffer. Bytes a helper already holds are
//     returned without flushing, so a batch read line by line is answered
//     in one write.
//   - SendFile sends the buffer first, keeping the bytes in order.
//   - Close and Shutdown send what the kernel takes at once without
//     waiting; a caller that must not lose bytes flushes first (the Lua
//     close does, inside Block).
//
// A flush that fails inside a read (the peer is gone) drops the buffer and
// the read goes on; the error is returned by the next Send, SendAll or Flush.

// MaxWriteBuffer bounds SetWriteBuffer.
const MaxWriteBuffer = 16 << 20

// ErrNotStream is returned by SetWriteBuffer on a datagram socket: buffered
// datagrams would merge.
var ErrNotStream = errors.New("write buffering needs a stream socket")

// SetWriteBuffer makes Send and SendAll buffer up to n bytes (0: no
// buffering). Bytes already buffered are sent first, waiting as SendAll.
func (s *Socket) SetWriteBuffer(ctx context.Context, n int) error {
	if s.typ != unix.SOCK_STREAM {
		return s.fail("setbuffer", Addr{}, ErrNotStream)
	}
	if n < 0 || n > MaxWriteBuffer {
		return s.fail("setbuffer", Addr{}, unix.EINVAL)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.flushLocked(ctx); err != nil {
		return err
	}
	s.wcap = n
	s.wbuffered.Store(n > 0)
	if n == 0 {
		s.wbuf = nil
	} else if cap(s.wbuf) > n {
		s.wbuf = nil // shrink: the next append allocates what is needed
	}
	return nil
}

// WriteBuffer returns the buffer's size (0: not buffering) and how many
// bytes wait in it.
func (s *Socket) WriteBuffer() (size, pending int) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.wcap, len(s.wbuf)
}

// Pending reports, without waiting for a send in progress, whether bytes
// wait in the write buffer.
func (s *Socket) Pending() bool { return s.wpending.Load() }

// FlushIdle is Flush unless a send or flush is in progress in another
// goroutine (which the caller must not wait for: it may be blocked on a
// peer that does not read until Close wakes it); then it does nothing.
func (s *Socket) FlushIdle(ctx context.Context) error {
	if !s.wmu.TryLock() {
		return nil
	}
	defer s.wmu.Unlock()
	if err := s.takeWriteErr(); err != nil {
		return err
	}
	return s.flushLocked(ctx)
}

// Buffer appends p to the write buffer if the socket buffers and p fits
// without a flush, and reports whether it did: the caller needs no wait.
func (s *Socket) Buffer(p []byte) bool {
	if !s.wbuffered.Load() {
		return false
	}
	if !s.wmu.TryLock() {
		return false // a send or flush is in progress: take the slow path
	}
	defer s.wmu.Unlock()
	if s.wcap == 0 || s.werr != nil || len(s.wbuf)+len(p) > s.wcap || s.closed.Load() {
		return false
	}
	if len(p) == 0 {
		return true
	}
	s.appendLocked(p)
	return true
}

func (s *Socket) appendLocked(p []byte) {
	if s.wbuf == nil {
		s.wbuf = make([]byte, 0, min(s.wcap, max(4096, len(p))))
	}
	s.wbuf = append(s.wbuf, p...)
	s.wpending.Store(true)
}

// bufferedSend is Send and SendAll on a buffering socket; wmu is held.
func (s *Socket) bufferedSend(ctx context.Context, p []byte, noTimeout bool) (int, error) {
	if err := s.takeWriteErr(); err != nil {
		return 0, err
	}
	if err := s.checkConnected(); err != nil {
		return 0, s.fail("send", Addr{}, err)
	}
	if len(s.wbuf)+len(p) <= s.wcap {
		s.appendLocked(p)
		return len(p), nil
	}
	if err := s.flushLocked(ctx); err != nil {
		return 0, err
	}
	if len(p) < s.wcap {
		s.appendLocked(p)
		return len(p), nil
	}
	return s.sendAllLocked(ctx, p, noTimeout)
}

// Flush sends the buffered bytes, waiting as SendAll does. On failure the
// unsent bytes are dropped: the stream cannot go on after them.
func (s *Socket) Flush(ctx context.Context) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.takeWriteErr(); err != nil {
		return err
	}
	return s.flushLocked(ctx)
}

func (s *Socket) takeWriteErr() error {
	err := s.werr
	s.werr = nil
	return err
}

// flushLocked sends the buffer; wmu is held.
func (s *Socket) flushLocked(ctx context.Context) error {
	if len(s.wbuf) == 0 {
		return nil
	}
	if s.closed.Load() {
		s.dropBuffer()
		return s.fail("flush", Addr{}, ErrClosed)
	}
	_, err := s.sendAllLocked(ctx, s.wbuf, false)
	s.dropBuffer()
	return err
}

func (s *Socket) dropBuffer() {
	s.wbuf = s.wbuf[:0]
	s.wpending.Store(false)
}

// sendAllLocked is SendAll's loop; wmu is held.
func (s *Socket) sendAllLocked(ctx context.Context, p []byte, noTimeout bool) (int, error) {
	o := &s.wop
	o.begin(ctx, opSend)
	o.noTimeout = noTimeout
	defer o.end()
	done := 0
	for {
		o.buf = p[done:]
		err := o.do()
		done += o.n
		s.bytesOut.Add(uint64(o.n))
		o.n = 0
		if err != nil {
			err = s.fail("send", Addr{}, err)
		}
		if err != nil || done >= len(p) {
			if h := s.trace.Load(); h != nil {
				s.traceData(h, "send", Addr{}, p[:done], err)
			}
			return done, err
		}
	}
}

// flushForRead sends the buffer before a read waits on the kernel (see the
// rules above). It takes wmu while the caller holds rmu; no path takes rmu
// while holding wmu.
func (s *Socket) flushForRead(ctx context.Context) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.flushLocked(ctx); err != nil && s.werr == nil {
		s.werr = err
	}
}

// flushNow sends what the kernel takes at once, without waiting (Close,
// Shutdown); a send in progress in another goroutine is not waited for.
func (s *Socket) flushNow() {
	if !s.wpending.Load() || !s.wmu.TryLock() {
		return
	}
	defer s.wmu.Unlock()
	for len(s.wbuf) > 0 {
		n, err := sendNoSignal(s.fd, s.wbuf, unix.MSG_DONTWAIT)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			break
		}
		s.bytesOut.Add(uint64(n))
		s.wbuf = s.wbuf[n:]
	}
	s.wbuf = nil
	s.wpending.Store(false)
}
