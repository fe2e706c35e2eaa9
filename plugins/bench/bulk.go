package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// BulkOptions configure a one-connection transfer. Dir "recv" (the default)
// connects, sends Request if any (e.g. "RETR big.bin\r\n") and reads until
// Bytes have arrived or the server closes; "send" writes Bytes, shuts down
// its side and waits for the server to close. Duration caps the run.
type BulkOptions struct {
	Host     string
	Port     int
	Dir      string // "recv" or "send"
	Bytes    int64  // recv: 0 means until the server closes; send: default 1 GiB
	Request  string
	Duration time.Duration // default and cap MaxDuration
}

// bulkBuffer is the size of each read and write.
const bulkBuffer = 256 << 10

// Bulk runs a bulk transfer over one TCP connection and reports MB/s
// (10^6 bytes per second).
func Bulk(ctx context.Context, o BulkOptions) (*Result, error) {
	if o.Dir == "" {
		o.Dir = "recv"
	}
	if o.Dir != "recv" && o.Dir != "send" {
		return nil, usagef("bench: bulk dir %q: want recv or send", o.Dir)
	}
	if o.Bytes < 0 || o.Bytes > MaxBytes {
		return nil, usagef("bench: bytes %d out of range 0-%d", o.Bytes, int64(MaxBytes))
	}
	if o.Dir == "send" && o.Bytes == 0 {
		o.Bytes = 1 << 30
	}
	o.Duration = clampDuration(o.Duration, MaxDuration)
	target, err := ResolveTarget(ctx, o.Host, o.Port)
	if err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Duration+Grace)
	defer cancel()
	d := net.Dialer{Timeout: Grace}
	c, err := d.DialContext(ctx, "tcp", target.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()

	start := time.Now()
	end := start.Add(o.Duration)
	c.SetDeadline(end)
	var n int64
	var eof bool
	if o.Dir == "recv" {
		n, eof, err = bulkRecv(c, o.Request, o.Bytes)
	} else {
		n, err = bulkSend(c, o.Bytes)
		eof = err == nil
	}
	elapsed := time.Since(start)
	if parent.Err() != nil {
		return nil, interrupted("bulk", target)
	}
	capped := isTimeout(err) && !time.Now().Before(end)
	r := &Result{}
	r.add("mode", "", "bulk")
	r.add("dir", "direction", o.Dir)
	r.add("target", "target", target.String())
	r.add("bytes", "bytes", n)
	r.add("seconds", "seconds", elapsed.Seconds())
	r.add("mbps", "MB/s", float64(n)/elapsed.Seconds()/1e6)
	r.add("eof", "", boolInt(eof))
	r.add("capped", "", boolInt(capped))
	if err != nil && !capped {
		r.add("first_error", "error", fmt.Sprintf("bulk %s: %v", target, err))
	}
	return r, nil
}

// isTimeout reports whether err is a deadline expiring.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// bulkRecv reads until want bytes (0: until end of stream); eof reports
// whether the server closed.
func bulkRecv(c net.Conn, request string, want int64) (n int64, eof bool, err error) {
	if request != "" {
		if _, err := io.WriteString(c, request); err != nil {
			return 0, false, err
		}
	}
	buf := make([]byte, bulkBuffer)
	limit := want
	if limit == 0 {
		limit = MaxBytes
	}
	for n < limit {
		k, err := c.Read(buf[:min(int64(len(buf)), limit-n)])
		n += int64(k)
		if err == io.EOF {
			return n, true, nil
		}
		if err != nil {
			return n, false, err
		}
	}
	return n, false, nil
}

// bulkSend writes want bytes, shuts down the write side and waits for the
// server to close, discarding anything it sends.
func bulkSend(c net.Conn, want int64) (int64, error) {
	buf := Payload(bulkBuffer)
	var n int64
	for n < want {
		k, err := c.Write(buf[:min(int64(len(buf)), want-n)])
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	_, err := io.Copy(io.Discard, c)
	return n, err
}
