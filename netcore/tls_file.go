package netcore

import (
	"context"
	"io"
	"os"
)

// SendFile sends count bytes of f from offset through the session (count <
// 0: to the end of the file), as Socket.SendFile; the bytes pass through
// user space to be encrypted, a record's worth at a time.
func (t *TLSConn) SendFile(ctx context.Context, f *os.File, offset, count int64) (int64, error) {
	if count < 0 {
		st, err := f.Stat()
		if err != nil {
			return 0, &OpError{Op: "sendfile", Addr: f.Name(), Err: err}
		}
		count = max(st.Size()-offset, 0)
	}
	bp := filePool.Get().(*[]byte)
	defer filePool.Put(bp)
	buf := *bp
	var total int64
	for total < count {
		chunk := buf[:min(int64(len(buf)), count-total)]
		n, err := f.ReadAt(chunk, offset+total)
		if n == 0 && err != nil {
			if err == io.EOF {
				return total, nil // the file ended first
			}
			return total, &OpError{Op: "sendfile", Addr: f.Name(), Err: err}
		}
		sent, err := t.write("sendfile", ctx, chunk[:n])
		total += int64(sent)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// RecvFileTee receives count plaintext bytes (count < 0: until the end of
// the stream) into w, handing each chunk to tee too (may be nil), as
// Socket.RecvFileTee.
func (t *TLSConn) RecvFileTee(ctx context.Context, w *os.File, count int64, tee io.Writer) (int64, error) {
	bp := filePool.Get().(*[]byte)
	defer filePool.Put(bp)
	buf := *bp
	var total int64
	for count < 0 || total < count {
		chunk := buf
		if count >= 0 && int64(len(chunk)) > count-total {
			chunk = chunk[:count-total]
		}
		n, err := t.Recv(ctx, chunk)
		if err != nil {
			return total, renameOpErr(err, "recvfile")
		}
		if n == 0 {
			if count < 0 {
				return total, nil
			}
			return total, t.s.fail("recvfile", Addr{}, io.EOF)
		}
		written, err := writeTee(w, tee, chunk[:n])
		total += written
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// renameOpErr gives an *OpError the name of the call that failed.
func renameOpErr(err error, op string) error {
	if oe, ok := err.(*OpError); ok && oe.Op != "handshake" {
		named := *oe
		named.Op = op
		return &named
	}
	return err
}
