package netcore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestShortAndErrno(t *testing.T) {
	for _, tc := range []struct {
		err   error
		short string
		errno int
	}{
		{nil, "", 0},
		{ErrTimeout, "timeout", int(unix.EAGAIN)},
		{os.ErrDeadlineExceeded, "timeout", int(unix.EAGAIN)},
		{unix.ETIMEDOUT, "timeout", int(unix.ETIMEDOUT)},
		{ErrClosed, "closed", int(unix.EBADF)},
		{io.EOF, "closed", int(unix.ECONNRESET)},
		{ErrInterrupted, "interrupted", int(unix.EINTR)},
		{context.Canceled, "interrupted", int(unix.EINTR)},
		{unix.ECONNREFUSED, "connection refused", int(unix.ECONNREFUSED)},
		{unix.ECONNRESET, "connection reset by peer", int(unix.ECONNRESET)},
		{unix.EADDRINUSE, "address already in use", int(unix.EADDRINUSE)},
		{unix.EPIPE, "broken pipe", int(unix.EPIPE)},
		{ErrHostNotFound, "host not found", -1},
		{unix.EACCES, "permission denied", int(unix.EACCES)},
		{unix.ENETUNREACH, "network is unreachable", int(unix.ENETUNREACH)},
		{unix.EADDRNOTAVAIL, "address not available", int(unix.EADDRNOTAVAIL)},
		{unix.ENOTCONN, "not connected", int(unix.ENOTCONN)},
		{ErrNotConnected, "not connected", int(unix.ENOTCONN)},
		{unix.EOPNOTSUPP, "operation not supported", int(unix.EOPNOTSUPP)},
		{unix.EHOSTUNREACH, "no route to host", int(unix.EHOSTUNREACH)},
		{ErrNotListening, "socket is not listening", int(unix.EINVAL)},
		{&PortRangeError{70000}, "port out of range: 70000", -1},
		{errors.New("something else"), "something else", -1},
	} {
		for _, err := range []error{tc.err, opErr("connect", "127.0.0.1:1", tc.err), fmt.Errorf("wrapped: %w", tc.err)} {
			if tc.err == nil && err != nil {
				continue
			}
			if got := Short(err); got != tc.short {
				t.Errorf("Short(%v) = %q, want %q", err, got, tc.short)
			}
			if got := Errno(err); got != tc.errno {
				t.Errorf("Errno(%v) = %d, want %d", err, got, tc.errno)
			}
		}
	}
}

func TestOpErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  *OpError
		want string
	}{
		{&OpError{Op: "bind", Addr: "127.0.0.1:8080", Err: unix.EADDRINUSE}, "bind 127.0.0.1:8080: address already in use"},
		{&OpError{Op: "socket", Err: unix.EPERM}, "socket: operation not permitted"},
		{&OpError{Op: "recv", Addr: "[::1]:9", Err: ErrTimeout}, "recv [::1]:9: timeout"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
	if !(&OpError{Op: "recv", Err: ErrTimeout}).Timeout() {
		t.Error("Timeout()")
	}
	if !errors.Is(&OpError{Op: "x", Err: ErrClosed}, ErrClosed) {
		t.Error("errors.Is through OpError")
	}
}
