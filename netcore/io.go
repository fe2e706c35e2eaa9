package netcore

import (
	"context"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

type opKind uint8

const (
	opRead opKind = iota
	opRecvMsg
	opAccept
	opSend
	opSendTo
	opSendToRaw // sendto(2) of the raw address in ioOp.raw
	opConnect
	opSendfile
	opPoll
)

// aLongTimeAgo is a deadline in the past: setting it wakes a blocked call.
var aLongTimeAgo = time.Unix(1, 0)

// ioOp is the state of the current call in one direction of a Socket. A
// Socket has one for reading (guarded by rmu) and one for writing (guarded
// by wmu). step and interrupt are bound once when the socket is made, so a
// call whose system call succeeds at once allocates nothing.
type ioOp struct {
	s         *Socket
	write     bool
	step      func(fd uintptr) bool
	interrupt func()
	dirty     atomic.Bool // a deadline may be set on the file for this direction

	kind      opKind
	buf       []byte
	flags     int
	sa        unix.Sockaddr
	phase     int
	infd      int   // sendfile: input descriptor
	off       int64 // sendfile: input offset
	left      int64 // sendfile: bytes still to send
	pfd       [1]unix.PollFd
	noTimeout bool // wait without the socket's timeout (Select)

	// RecvPooled: the buffer is taken from pool only while the kernel has
	// data and handed back before waiting, so a socket that waits holds none.
	pool BufferPool
	pbuf *[]byte
	want int

	n      int
	total  int64
	rflags int
	from   unix.Sockaddr // accept's peer
	raw    rawDgram      // recvmsg's sender, sendto's raw address
	nfd    int
	err    error

	ctx      context.Context
	armed    bool
	deadline time.Time

	// The context watched for cancellation. The registration outlives the
	// call, so a task that calls again with the same context (the usual
	// case) does not register again: waiting allocates nothing.
	regMu   sync.Mutex
	regDone <-chan struct{}
	regStop func() bool
}

func (o *ioOp) init(s *Socket, write bool) {
	o.s, o.write = s, write
	o.step = o.run
	o.interrupt = func() {
		o.dirty.Store(true)
		o.setDeadline(aLongTimeAgo)
	}
}

func (o *ioOp) setDeadline(t time.Time) {
	if o.write {
		_ = o.s.f.SetWriteDeadline(t)
	} else {
		_ = o.s.f.SetReadDeadline(t)
	}
}

// begin starts a call: it clears a deadline left by an earlier call.
func (o *ioOp) begin(ctx context.Context, kind opKind) {
	if o.dirty.Swap(false) {
		o.setDeadline(time.Time{})
	}
	if ctx == nil {
		ctx = context.Background()
	}
	o.ctx, o.kind, o.armed, o.deadline, o.noTimeout = ctx, kind, false, time.Time{}, false
	o.n, o.total, o.err, o.phase, o.flags = 0, 0, nil, 0, 0
}

// end finishes a call and drops references the op no longer needs.
func (o *ioOp) end() {
	o.ctx, o.buf, o.sa, o.from = nil, nil, nil, nil
	o.pool, o.pbuf = nil, nil
}

// watch makes sure a cancellation of ctx wakes this direction's waits.
func (o *ioOp) watch(ctx context.Context) {
	done := ctx.Done()
	o.regMu.Lock()
	if o.regDone != done {
		if o.regStop != nil {
			o.regStop()
		}
		o.regDone = done
		o.regStop = context.AfterFunc(ctx, o.interrupt)
	}
	o.regMu.Unlock()
}

// unwatch drops the registration (at Close), so the context no longer
// refers to the socket.
func (o *ioOp) unwatch() {
	o.regMu.Lock()
	if o.regStop != nil {
		o.regStop()
	}
	o.regDone, o.regStop = nil, nil
	o.regMu.Unlock()
}

// park is called when the kernel says EAGAIN. It reports whether to wait on
// the poller; when it returns false, o.err says why not.
func (o *ioOp) park() bool {
	t := o.s.timeout.Load()
	if o.noTimeout {
		t = -1
	}
	if t == 0 {
		o.err = ErrTimeout
		return false
	}
	if !o.armed {
		o.armed = true
		if o.ctx.Err() != nil {
			o.err = ErrInterrupted
			return false
		}
		if t > 0 {
			o.deadline = time.Now().Add(time.Duration(t))
			o.dirty.Store(true)
			o.setDeadline(o.deadline)
		}
		if o.ctx.Done() != nil {
			o.watch(o.ctx)
		}
	}
	return true
}

// run makes the system call of the current op; RawConn calls it again each
// time the poller says the descriptor is ready. It returns true when done.
func (o *ioOp) run(ufd uintptr) bool {
	fd := int(ufd)
	var err error
	for {
		switch o.kind {
		case opRead:
			if o.pool != nil && o.pbuf == nil {
				o.pbuf = o.pool.Get()
				o.buf = (*o.pbuf)[:o.want]
			}
			o.n, err = unix.Read(fd, o.buf)
		case opRecvMsg:
			o.n, err = o.recvmsgRaw(fd)
		case opAccept:
			o.nfd, o.from, err = unix.Accept4(fd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
			if err == unix.ECONNABORTED {
				continue
			}
		case opSend:
			o.n, err = sendNoSignal(fd, o.buf, o.flags)
		case opSendTo:
			o.n, err = unix.SendmsgN(fd, o.buf, nil, o.sa, o.flags|unix.MSG_NOSIGNAL)
		case opSendToRaw:
			o.n, err = o.sendtoRaw(fd)
		case opConnect:
			return o.connectStep(fd)
		case opSendfile:
			return o.sendfileStep(fd)
		case opPoll:
			return o.pollStep(fd)
		}
		if err != unix.EINTR {
			break
		}
	}
	if o.n < 0 {
		o.n = 0
	}
	if err == unix.EAGAIN {
		if o.pbuf != nil {
			o.pool.Put(o.pbuf)
			o.pbuf, o.buf = nil, nil
		}
		return !o.park()
	}
	o.err = err
	return true
}

// connectStep runs connect(2) once, then after each wake-up reads SO_ERROR
// and checks getpeername, as a non-blocking connect needs.
func (o *ioOp) connectStep(fd int) bool {
	if o.phase == 0 {
		err := unix.Connect(fd, o.sa)
		for err == unix.EINTR {
			err = unix.Connect(fd, o.sa)
		}
		switch err {
		case nil:
			return true
		case unix.EINPROGRESS, unix.EALREADY:
			o.phase = 1
			return !o.park()
		case unix.EISCONN:
			// An earlier non-blocking attempt finished in the background.
			if o.s.connecting.Load() {
				return true
			}
		}
		o.err = err
		return true
	}
	v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		o.err = err
		return true
	}
	switch e := unix.Errno(v); e {
	case 0:
		if _, err := unix.Getpeername(fd); err == nil {
			return true
		}
		return !o.park()
	case unix.EINPROGRESS, unix.EALREADY, unix.EINTR:
		return !o.park()
	default:
		o.err = e
		return true
	}
}

// do runs the op through the runtime poller and maps the poller's errors:
// ErrClosed when the socket was closed, ErrInterrupted when ctx was
// cancelled, ErrTimeout when the timeout expired. A deadline left over from
// an earlier call (or a cancellation that came too late) is cleared and the
// call goes on.
func (o *ioOp) do() error {
	s := o.s
	if !o.write && s.wpending.Load() && o.kind != opAccept {
		s.flushForRead(o.ctx) // a read never waits for a reply still buffered
	}
	for spurious := 0; ; spurious++ {
		o.err = nil
		var err error
		if o.write {
			err = s.rc.Write(o.step)
		} else {
			err = s.rc.Read(o.step)
		}
		if err == nil {
			return o.err
		}
		if s.closed.Load() {
			return ErrClosed
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return err
		}
		if o.ctx.Err() != nil {
			return ErrInterrupted
		}
		if !o.deadline.IsZero() && !time.Now().Before(o.deadline) {
			return ErrTimeout
		}
		if spurious >= 100 {
			return err
		}
		o.setDeadline(o.deadline)
	}
}

// sendNoSignal is send(2) with MSG_NOSIGNAL, so a closed peer gives EPIPE
// instead of SIGPIPE. It allocates nothing.
func sendNoSignal(fd int, p []byte, flags int) (int, error) {
	r, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))),
		uintptr(len(p)), uintptr(flags|unix.MSG_NOSIGNAL), 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
