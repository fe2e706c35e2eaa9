package netcore

import (
	"context"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// WaitReadable waits until Recv, RecvFrom or Accept would not block: bytes
// are buffered or in the kernel, the stream ended, an error is pending or a
// connection waits. The socket's timeout applies.
func (s *Socket) WaitReadable(ctx context.Context) error {
	return s.waitReady(ctx, false, true)
}

// WaitWritable waits until Send would not block. The socket's timeout
// applies.
func (s *Socket) WaitWritable(ctx context.Context) error {
	return s.waitReady(ctx, true, true)
}

func (s *Socket) waitReady(ctx context.Context, write, useTimeout bool) error {
	op, o, mu := "wait", &s.rop, &s.rmu
	if write {
		o, mu = &s.wop, &s.wmu
	}
	mu.Lock()
	defer mu.Unlock()
	if s.closed.Load() {
		return s.fail(op, Addr{}, ErrClosed)
	}
	if !write && s.rpos < s.rend {
		return nil
	}
	o.begin(ctx, opPoll)
	o.noTimeout = !useTimeout
	err := o.do()
	o.end()
	return s.fail(op, Addr{}, err)
}

// pollStep asks poll(2), without waiting, whether the descriptor is ready.
func (o *ioOp) pollStep(fd int) bool {
	ev := int16(unix.POLLIN)
	if o.write {
		ev = unix.POLLOUT
	}
	o.pfd[0] = unix.PollFd{Fd: int32(fd), Events: ev}
	n, err := unix.Poll(o.pfd[:], 0)
	switch {
	case err == unix.EINTR || (err == nil && n == 0):
		return !o.park()
	case err != nil:
		o.err = err
	}
	return true
}

// Select waits until at least one socket of reads is readable or one of
// writes is writable, like select(2) and LuaSocket's socket.select, and
// returns the ready ones. timeout < 0 waits without limit, 0 only looks.
// When nothing is ready in time it returns ErrTimeout; a cancelled ctx gives
// ErrInterrupted. Bytes held in a socket's read buffer count as readable.
//
// A closed socket is ready in the set it is in, whether it was closed before
// the call or by another goroutine while Select waits (the wait wakes at
// once): the caller's next call on it then answers ErrClosed, as a read at
// the end of a stream answers "" — no caller waits out its timeout, or
// forever, on a socket that is gone.
func Select(ctx context.Context, reads, writes []*Socket, timeout time.Duration) (r, w []*Socket, err error) {
	r, w, err = pollNow(reads, writes)
	if err != nil || len(r)+len(w) > 0 || timeout == 0 {
		if err == nil && len(r)+len(w) == 0 {
			err = &OpError{Op: "select", Err: ErrTimeout}
		}
		return r, w, err
	}
	wctx, cancel := context.WithCancel(ctx)
	if timeout > 0 {
		wctx, cancel = context.WithTimeout(ctx, timeout)
	}
	ready := make(chan struct{}, 1)
	var wg sync.WaitGroup
	start := func(s *Socket, write bool) {
		if s == nil {
			return
		}
		wg.Go(func() {
			if tc := s.tlsConn.Load(); !write && tc != nil && tc.selectState() == selectWaiting {
				select {
				case <-tc.hsDone:
					select {
					case ready <- struct{}{}:
					default:
					}
				case <-wctx.Done():
				}
				return
			}
			// a close wakes the wait with ErrClosed: ready too
			if err := s.waitReady(wctx, write, false); err == nil || s.closed.Load() {
				select {
				case ready <- struct{}{}:
				default:
				}
			}
		})
	}
	for _, s := range reads {
		start(s, false)
	}
	for _, s := range writes {
		start(s, true)
	}
	select {
	case <-ready:
	case <-wctx.Done():
	}
	cancel()
	wg.Wait()
	r, w, err = pollNow(reads, writes)
	if err == nil && len(r)+len(w) == 0 {
		if ctx.Err() != nil {
			err = &OpError{Op: "select", Err: ErrInterrupted}
		} else {
			err = &OpError{Op: "select", Err: ErrTimeout}
		}
	}
	return r, w, err
}

// pollNow looks, without waiting, which sockets are ready. A socket closed
// meanwhile is ready whatever poll(2) said of its descriptor number, which
// may already name another file.
func pollNow(reads, writes []*Socket) (r, w []*Socket, err error) {
	fds := make([]unix.PollFd, 0, len(reads)+len(writes))
	idx := make([]*Socket, 0, cap(fds))
	for i, list := range [2][]*Socket{reads, writes} {
		ev := int16(unix.POLLIN)
		if i == 1 {
			ev = unix.POLLOUT
		}
		for _, s := range list {
			if s == nil {
				continue
			}
			if s.closed.Load() {
				if i == 0 {
					r = appendOnce(r, s)
				} else {
					w = appendOnce(w, s)
				}
				continue
			}
			if tc := s.tlsConn.Load(); i == 0 && tc != nil {
				switch tc.selectState() {
				case selectReady:
					r = append(r, s)
					continue
				case selectWaiting:
					continue
				}
			}
			if i == 0 && s.rmu.TryLock() {
				buffered := s.rpos < s.rend
				s.rmu.Unlock()
				if buffered {
					r = append(r, s)
					continue
				}
			}
			fds = append(fds, unix.PollFd{Fd: int32(s.fd), Events: ev})
			idx = append(idx, s)
		}
	}
	if len(fds) > 0 {
		for {
			_, err = unix.Poll(fds, 0)
			if err != unix.EINTR {
				break
			}
		}
		if err != nil {
			return nil, nil, &OpError{Op: "select", Err: err}
		}
	}
	for i, p := range fds {
		closed := idx[i].closed.Load()
		if !closed && (p.Revents == 0 || p.Revents&unix.POLLNVAL != 0) {
			continue
		}
		if p.Events == unix.POLLIN {
			r = appendOnce(r, idx[i])
		} else {
			w = appendOnce(w, idx[i])
		}
	}
	return r, w, nil
}

// appendOnce appends s to list unless it is there (a set may name a socket
// twice).
func appendOnce(list []*Socket, s *Socket) []*Socket {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
