package netcore

import (
	"context"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// SendFile sends count bytes of f starting at offset with sendfile(2), the
// kernel copying the data without passing it through user space; count < 0
// sends to the end of the file. It stops early without error when the file
// ends first and returns how many bytes it sent. f's own offset is not
// moved.
func (s *Socket) SendFile(ctx context.Context, f *os.File, offset, count int64) (int64, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err := s.checkConnected(); err != nil {
		return 0, s.refuse("sendfile", Addr{}, err)
	}
	if err := s.flushLocked(ctx); err != nil {
		return 0, err // the buffered bytes go first, or the stream is out of order
	}
	if count < 0 {
		st, err := f.Stat()
		if err != nil {
			return 0, &OpError{Op: "sendfile", Addr: f.Name(), Err: err}
		}
		count = max(st.Size()-offset, 0)
	}
	frc, err := f.SyscallConn()
	if err != nil {
		return 0, &OpError{Op: "sendfile", Addr: f.Name(), Err: err}
	}
	var total int64
	var serr error
	cerr := frc.Control(func(infd uintptr) {
		o := &s.wop
		o.begin(ctx, opSendfile)
		o.infd, o.off, o.left = int(infd), offset, count
		serr = o.do()
		total = o.total
		o.end()
	})
	if cerr != nil {
		return 0, &OpError{Op: "sendfile", Addr: f.Name(), Err: cerr}
	}
	err = s.fail("sendfile", Addr{}, serr)
	if h := s.trace.Load(); h != nil {
		s.emit(h, &TraceEvent{Op: "sendfile", N: total, File: f, FileOffset: offset, Err: err})
	}
	return total, err
}

func (o *ioOp) sendfileStep(fd int) bool {
	for o.left > 0 {
		n, err := unix.Sendfile(fd, o.infd, &o.off, int(min(o.left, 1<<30)))
		if n > 0 {
			o.total += int64(n)
			o.left -= int64(n)
			o.s.bytesOut.Add(uint64(n))
		}
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return !o.park()
		case err != nil:
			o.err = err
			return true
		case n == 0:
			return true // the file ended
		}
	}
	return true
}

var filePool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// RecvFile receives count bytes (count < 0: until the end of the stream)
// and writes them to w. Bytes buffered by the line helpers come first. When
// the stream ends before count bytes, it returns what it wrote and an error
// wrapping io.EOF.
func (s *Socket) RecvFile(ctx context.Context, w *os.File, count int64) (int64, error) {
	return s.RecvFileTee(ctx, w, count, nil)
}

// RecvFileTee is RecvFile that also hands every chunk written to tee (a
// digest, say) before reading the next; tee may be nil.
func (s *Socket) RecvFileTee(ctx context.Context, w *os.File, count int64, tee io.Writer) (int64, error) {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	bp := filePool.Get().(*[]byte)
	defer filePool.Put(bp)
	buf := *bp
	o := &s.rop
	o.begin(ctx, opRead)
	defer o.end()
	var total int64
	for count < 0 || total < count {
		chunk := buf
		if count >= 0 && int64(len(chunk)) > count-total {
			chunk = chunk[:count-total]
		}
		var n int
		var err error
		if s.rpos < s.rend {
			n = s.takeBuffered(chunk)
		} else {
			n, err = s.readKernel("recvfile", chunk)
			if err != nil {
				return total, err
			}
		}
		if n == 0 {
			if count < 0 {
				return total, nil
			}
			return total, s.fail("recvfile", Addr{}, io.EOF)
		}
		written, err := writeTee(w, tee, chunk[:n])
		total += written
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// writeTee writes b to w, then hands it to tee (may be nil); it returns how
// many bytes reached w. RecvFileTee of a Socket and of a TLSConn share it.
func writeTee(w *os.File, tee io.Writer, b []byte) (int64, error) {
	if _, err := w.Write(b); err != nil {
		return 0, &OpError{Op: "recvfile", Addr: w.Name(), Err: err}
	}
	if tee != nil {
		if _, err := tee.Write(b); err != nil {
			return int64(len(b)), &OpError{Op: "recvfile", Addr: w.Name(), Err: err}
		}
	}
	return int64(len(b)), nil
}
