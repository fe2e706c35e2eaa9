package netcore

import (
	"context"

	"golang.org/x/sys/unix"
)

// Recv receives up to len(buf) bytes: what the kernel has (or what the
// internal buffer of RecvLine/RecvUntil/RecvExactly holds, which comes
// first), never waiting for more once some bytes are there. At the end of a
// stream it returns 0 and a nil error.
func (s *Socket) Recv(ctx context.Context, buf []byte) (int, error) {
	return s.recv(ctx, buf, false)
}

// recv is Recv; noTimeout waits without the socket's timeout (a TLS session
// bounds its calls with ctx alone).
func (s *Socket) recv(ctx context.Context, buf []byte, noTimeout bool) (int, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.rpos < s.rend {
		return s.takeBuffered(buf), nil
	}
	o := &s.rop
	o.begin(ctx, opRead)
	o.noTimeout = noTimeout
	n, err := s.readKernel("recv", buf)
	o.end()
	return n, err
}

// BufferPool lends read buffers (a sync.Pool of *[]byte behind two methods).
type BufferPool interface {
	Get() *[]byte
	Put(*[]byte)
}

// RecvPooled is Recv into a buffer of n bytes borrowed from pool, whose
// buffers must hold at least n bytes. The buffer is taken only
// when the kernel has data and given back before each wait, so ten thousand
// connections waiting in RecvPooled hold no buffers at all. It returns the
// buffer holding the bytes (nil when it returns none), which the caller gives
// back to pool when done with them.
func (s *Socket) RecvPooled(ctx context.Context, pool BufferPool, n int) (*[]byte, int, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.rpos < s.rend {
		b := pool.Get()
		return b, s.takeBuffered((*b)[:n]), nil
	}
	if err := s.checkConnected(); err != nil {
		return nil, 0, s.refuse("recv", Addr{}, err)
	}
	if n == 0 {
		return nil, 0, nil
	}
	o := &s.rop
	o.begin(ctx, opRead)
	o.pool, o.want = pool, n
	err := o.do()
	got, b := o.n, o.pbuf
	o.end()
	if err != nil {
		if b != nil {
			pool.Put(b)
		}
		err = s.fail("recv", Addr{}, err)
		if h := s.trace.Load(); h != nil {
			s.traceData(h, "recv", Addr{}, nil, err)
		}
		return nil, 0, err
	}
	s.bytesIn.Add(uint64(got))
	if h := s.trace.Load(); h != nil {
		var data []byte
		if b != nil {
			data = (*b)[:got]
		}
		s.traceData(h, "recv", Addr{}, data, nil)
	}
	return b, got, nil
}

// RecvFlags is Recv with recv(2) flags such as unix.MSG_PEEK or
// MSG_WAITALL. Buffered bytes are returned first (MSG_PEEK leaves them).
func (s *Socket) RecvFlags(ctx context.Context, buf []byte, flags int) (int, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.rpos < s.rend {
		if flags&unix.MSG_PEEK != 0 {
			return copy(buf, s.rbuf[s.rpos:s.rend]), nil
		}
		return s.takeBuffered(buf), nil
	}
	if err := s.checkConnected(); err != nil {
		return 0, s.refuse("recv", Addr{}, err)
	}
	o := &s.rop
	o.begin(ctx, opRecvMsg)
	o.buf, o.flags = buf, flags
	err := o.do()
	n := o.n
	o.end()
	if err != nil {
		err = s.fail("recv", Addr{}, err)
	} else if flags&unix.MSG_PEEK == 0 {
		s.bytesIn.Add(uint64(n))
	}
	if h := s.trace.Load(); h != nil {
		ev := &TraceEvent{Op: "recv", Data: buf[:n], N: int64(n), Peek: flags&unix.MSG_PEEK != 0, Err: err}
		ev.EOF = err == nil && n == 0 && len(buf) > 0 && s.isStream()
		s.emit(h, ev)
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (s *Socket) takeBuffered(buf []byte) int {
	n := copy(buf, s.rbuf[s.rpos:s.rend])
	s.rpos += n
	if s.rpos == s.rend {
		s.rpos, s.rend = 0, 0
	}
	return n
}

// readKernel reads from the kernel into buf with the read op the caller has
// begun (so a helper's timeout covers the whole call); rmu is held.
func (s *Socket) readKernel(op string, buf []byte) (int, error) {
	if err := s.checkConnected(); err != nil {
		return 0, s.refuse(op, Addr{}, err)
	}
	if len(buf) == 0 {
		return 0, nil
	}
	o := &s.rop
	o.kind, o.buf, o.n = opRead, buf, 0
	err := o.do()
	n := o.n
	o.buf = nil
	if err != nil {
		err = s.fail(op, Addr{}, err)
		n = 0
	} else {
		s.bytesIn.Add(uint64(n))
	}
	if h := s.trace.Load(); h != nil {
		s.traceData(h, op, Addr{}, buf[:n], err)
	}
	return n, err
}

// Send makes one send: it waits until the kernel takes some bytes and
// returns how many it took (maybe fewer than len(p)).
func (s *Socket) Send(ctx context.Context, p []byte) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.wcap > 0 {
		return s.bufferedSend(ctx, p, false)
	}
	if err := s.checkConnected(); err != nil {
		return 0, s.refuse("send", Addr{}, err)
	}
	o := &s.wop
	o.begin(ctx, opSend)
	o.buf = p
	err := o.do()
	n := o.n
	o.end()
	s.bytesOut.Add(uint64(n))
	if err != nil {
		err = s.fail("send", Addr{}, err)
	}
	if h := s.trace.Load(); h != nil {
		s.traceData(h, "send", Addr{}, p[:n], err)
	}
	return n, err
}

// SendAll sends all of p, waiting as needed. On error it returns how many
// bytes were sent.
func (s *Socket) SendAll(ctx context.Context, p []byte) (int, error) {
	return s.sendAll(ctx, p, false)
}

// sendAll is SendAll; noTimeout as recv's.
func (s *Socket) sendAll(ctx context.Context, p []byte, noTimeout bool) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.wcap > 0 {
		return s.bufferedSend(ctx, p, noTimeout)
	}
	if err := s.checkConnected(); err != nil {
		return 0, s.refuse("send", Addr{}, err)
	}
	return s.sendAllLocked(ctx, p, noTimeout)
}

// SendTo sends one datagram to a (sendto(2)).
func (s *Socket) SendTo(ctx context.Context, p []byte, a Addr) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.st() == stClosed {
		return 0, s.refuse("sendto", a, ErrClosed)
	}
	o := &s.wop
	if o.raw.putInet(a, s.family) {
		o.begin(ctx, opSendToRaw)
		o.buf = p
	} else {
		sa, err := a.toSockaddr(s.family)
		if err != nil {
			return 0, s.refuse("sendto", a, err)
		}
		o.begin(ctx, opSendTo)
		o.buf, o.sa = p, sa
	}
	err := o.do()
	n := o.n
	o.end()
	s.bytesOut.Add(uint64(n))
	if err != nil {
		err = s.fail("sendto", a, err)
	}
	if h := s.trace.Load(); h != nil {
		s.traceData(h, "sendto", a, p[:n], err)
	}
	return n, err
}

// RecvFrom receives one datagram (recvmsg(2)) into buf and returns its
// length, the sender, and whether the kernel truncated it because buf was
// too small (MSG_TRUNC): the rest of that datagram is gone, as in C. On a
// stream socket it is Recv plus the peer's address.
func (s *Socket) RecvFrom(ctx context.Context, buf []byte) (n int, from Addr, truncated bool, err error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if s.rpos < s.rend {
		n = s.takeBuffered(buf)
		if p := s.peer.Load(); p != nil {
			from = *p
		}
		return n, from, false, nil
	}
	if s.st() == stClosed {
		return 0, Addr{}, false, s.refuse("recvfrom", Addr{}, ErrClosed)
	}
	if s.isStream() {
		if err := s.checkConnected(); err != nil {
			return 0, Addr{}, false, s.refuse("recvfrom", Addr{}, err)
		}
	}
	o := &s.rop
	o.begin(ctx, opRecvMsg)
	o.buf = buf
	err = o.do()
	n, rflags := o.n, o.rflags
	sender, named := o.raw.from()
	o.end()
	if err != nil {
		err = s.fail("recvfrom", Addr{}, err)
		if h := s.trace.Load(); h != nil {
			s.traceData(h, "recvfrom", Addr{}, nil, err)
		}
		return 0, Addr{}, false, err
	}
	s.bytesIn.Add(uint64(n))
	if named {
		from = sender
	} else if p := s.peer.Load(); p != nil {
		from = *p
	} else if s.family == unix.AF_UNIX {
		from = UnixAddr("") // an unbound sender: the kernel gives no name
	}
	if h := s.trace.Load(); h != nil {
		s.traceData(h, "recvfrom", from, buf[:min(n, len(buf))], nil)
	}
	return n, from, rflags&unix.MSG_TRUNC != 0, nil
}
