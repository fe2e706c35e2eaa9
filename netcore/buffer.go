package netcore

import (
	"bytes"
	"context"
	"io"

	"golang.org/x/sys/unix"
)

// DefaultMaxLine is the limit RecvLine and RecvUntil use when max <= 0.
const DefaultMaxLine = 1 << 20

const (
	minFill       = 4096
	bufferedLimit = 64 << 10 // RecvExactly above this reads straight into the result
)

// The helpers below keep bytes they read past what they return in the
// socket's read buffer, and Recv, RecvFrom, RecvFile and the next helper
// return those bytes first, so mixing calls never loses data. When a helper
// fails before it is done (the stream ended, timeout, interrupted, reset),
// it returns, as LuaSocket's receive does, the partial data it consumed
// (maybe empty) with the error; the end of the stream is an error wrapping
// io.EOF (Short: "closed"). Only ErrTooLong leaves the bytes buffered.

// RecvUntil returns the bytes up to and including delim. If max bytes
// (DefaultMaxLine when max <= 0) arrive without delim, it returns an error
// wrapping ErrTooLong and leaves the bytes buffered.
func (s *Socket) RecvUntil(ctx context.Context, delim []byte, max int) ([]byte, error) {
	if len(delim) == 0 {
		return nil, &OpError{Op: "recvuntil", Err: unix.EINVAL}
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	o := &s.rop
	o.begin(ctx, opRead)
	defer o.end()
	return s.recvUntil("recvuntil", delim, max)
}

// RecvLine returns one line without its "\n" or "\r\n" (like LuaSocket's
// receive("*l")). A line longer than max bytes (DefaultMaxLine when max
// <= 0) gives ErrTooLong. On failure it returns the unfinished line as it
// arrived (a final "\r" included), maybe empty, with the error.
func (s *Socket) RecvLine(ctx context.Context, max int) ([]byte, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	o := &s.rop
	o.begin(ctx, opRead)
	defer o.end()
	line, err := s.recvUntil("recvline", newline, max)
	if err != nil {
		return line, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

var newline = []byte{'\n'}

func (s *Socket) recvUntil(op string, delim []byte, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxLine
	}
	scanned := 0
	for {
		data := s.rbuf[s.rpos:s.rend]
		start := scanned - len(delim) + 1
		if start < 0 {
			start = 0
		}
		if i := bytes.Index(data[start:], delim); i >= 0 {
			end := start + i + len(delim)
			if end > max {
				return nil, s.fail(op, Addr{}, ErrTooLong)
			}
			out := bytes.Clone(data[:end])
			s.consume(end)
			return out, nil
		}
		scanned = len(data)
		if len(data) >= max {
			return nil, s.fail(op, Addr{}, ErrTooLong)
		}
		n, err := s.fill(op)
		if err == nil && n == 0 {
			err = s.fail(op, Addr{}, io.EOF)
		}
		if err != nil {
			return s.takeAll(), err
		}
	}
}

// takeAll consumes and returns everything buffered (a non-nil slice).
func (s *Socket) takeAll() []byte {
	out := append([]byte{}, s.rbuf[s.rpos:s.rend]...)
	s.rpos, s.rend = 0, 0
	return out
}

// RecvExactly returns exactly n bytes, waiting as needed.
func (s *Socket) RecvExactly(ctx context.Context, n int) ([]byte, error) {
	if n < 0 {
		return nil, &OpError{Op: "recvexactly", Err: unix.EINVAL}
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	o := &s.rop
	o.begin(ctx, opRead)
	defer o.end()
	if n <= bufferedLimit {
		for s.rend-s.rpos < n {
			m, err := s.fill("recvexactly")
			if err == nil && m == 0 {
				err = s.fail("recvexactly", Addr{}, io.EOF)
			}
			if err != nil {
				return s.takeAll(), err
			}
		}
		out := bytes.Clone(s.rbuf[s.rpos : s.rpos+n])
		s.consume(n)
		return out, nil
	}
	// The buffer grows with what arrives (doubling, from at most
	// exactGrowStart): a count the peer never sends (2^40) must not make
	// nsh allocate it up front, which kills the process.
	out := make([]byte, min(n, exactGrowStart))
	got := s.takeBuffered(out)
	for got < n {
		if got == len(out) {
			bigger := make([]byte, min(n, 2*len(out)))
			copy(bigger, out)
			out = bigger
		}
		m, err := s.readKernel("recvexactly", out[got:])
		if err == nil && m == 0 {
			err = s.fail("recvexactly", Addr{}, io.EOF)
		}
		if err != nil {
			return out[:got], err
		}
		got += m
	}
	return out, nil
}

// exactGrowStart is the first buffer of a large RecvExactly.
const exactGrowStart = 1 << 20

// Buffered returns how many received bytes wait in the read buffer. It
// never waits: while another goroutine is inside a read call on the socket
// (which will take those bytes first) it returns 0.
func (s *Socket) Buffered() int {
	if !s.rmu.TryLock() {
		return 0
	}
	defer s.rmu.Unlock()
	return s.rend - s.rpos
}

func (s *Socket) consume(n int) {
	s.rpos += n
	if s.rpos == s.rend {
		s.rpos, s.rend = 0, 0
	}
}

// fill reads more bytes from the kernel into the read buffer and returns how
// many (0 at the end of the stream).
func (s *Socket) fill(op string) (int, error) {
	s.rbuf, s.rpos, s.rend = makeRoom(s.rbuf, s.rpos, s.rend, minFill)
	n, err := s.readKernel(op, s.rbuf[s.rend:])
	s.rend += n
	return n, err
}

// TakeBuffered returns the next n bytes if the read buffer already holds
// them (a fresh copy), without waiting and without touching the kernel; ok
// is false when it holds fewer or another goroutine is reading. The Lua
// layer serves LuaSocket's receive(n) of data read ahead this way, with no
// trip through its blocking machinery.
func (s *Socket) TakeBuffered(n int) (out []byte, ok bool) {
	if !s.rmu.TryLock() {
		return nil, false
	}
	defer s.rmu.Unlock()
	if s.rend-s.rpos < n || n <= 0 {
		return nil, false
	}
	out = bytes.Clone(s.rbuf[s.rpos : s.rpos+n])
	s.consume(n)
	return out, true
}

// makeRoom makes at least room free bytes after the buffered ones
// buf[pos:end], first by moving them to the front, else by growing buf
// (doubling); it returns the buffer and the bytes' new bounds. The Socket's
// and the TLSConn's read buffers share it.
func makeRoom(buf []byte, pos, end, room int) ([]byte, int, int) {
	if len(buf)-end >= room {
		return buf, pos, end
	}
	if pos > 0 {
		copy(buf, buf[pos:end])
		end -= pos
		pos = 0
	}
	if len(buf)-end < room {
		nb := make([]byte, max(2*len(buf), end+room))
		copy(nb, buf[:end])
		buf = nb
	}
	return buf, pos, end
}
