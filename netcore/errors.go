package netcore

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Sentinel errors. They are usable with errors.Is through an *OpError, and
// Short returns their text.
var (
	// ErrTimeout means the socket's timeout expired, or the socket is
	// non-blocking (timeout 0) and the call would have to wait.
	ErrTimeout = errors.New("timeout")
	// ErrClosed means the socket was closed (by Close, maybe from another
	// goroutine, or by CloseAll).
	ErrClosed = errors.New("closed")
	// ErrInterrupted means the call's context was cancelled while it waited.
	ErrInterrupted = errors.New("interrupted")
	// ErrHostNotFound means a host name did not parse or did not resolve.
	ErrHostNotFound = errors.New("host not found")
	// ErrNotListening is returned by Accept on a socket that is not listening.
	ErrNotListening = errors.New("socket is not listening")
	// ErrNotConnected is returned by calls that need a connected socket.
	ErrNotConnected = errors.New("socket is not connected")
	// ErrAlreadyConnected is returned by Connect, Bind or Listen on a
	// connected stream socket.
	ErrAlreadyConnected = errors.New("socket is already connected")
	// ErrAlreadyBound is returned by Bind on a socket that is already bound.
	ErrAlreadyBound = errors.New("socket is already bound")
	// ErrListening is returned by data calls and Connect on a listening socket.
	ErrListening = errors.New("socket is listening")
	// ErrTooLong is returned by RecvLine and RecvUntil when no delimiter
	// arrives within max bytes; the bytes stay buffered.
	ErrTooLong = errors.New("line too long")
)

// OpError is the error of a socket operation: Op is the call ("bind",
// "connect", "recv", ...), Addr the address involved (may be empty) and Err
// the reason (a unix.Errno or one of the sentinels).
type OpError struct {
	Op   string
	Addr string
	Err  error
}

// Error returns "op addr: reason", or "op: reason" when Addr is empty.
func (e *OpError) Error() string {
	reason := "<nil>"
	switch {
	case errors.Is(e.Err, io.EOF):
		// the stream ended before what the call waits for arrived
		reason = "closed by the peer"
	case e.Err != nil:
		reason = e.Err.Error()
	}
	if e.Addr == "" {
		return e.Op + ": " + reason
	}
	return e.Op + " " + e.Addr + ": " + reason
}

// Unwrap returns the reason.
func (e *OpError) Unwrap() error { return e.Err }

// Timeout reports whether the error is a timeout (net.Error style).
func (e *OpError) Timeout() bool { return errors.Is(e.Err, ErrTimeout) }

// PortRangeError is returned for a port outside 0–65535.
type PortRangeError struct{ Port int }

// Error returns "port out of range: N".
func (e *PortRangeError) Error() string {
	return "port out of range: " + strconv.Itoa(e.Port)
}

// shortNames are LuaSocket's short strings for the errno values that have one.
var shortNames = map[unix.Errno]string{
	unix.ECONNREFUSED:  "connection refused",
	unix.ECONNRESET:    "connection reset by peer",
	unix.EADDRINUSE:    "address already in use",
	unix.EPIPE:         "broken pipe",
	unix.EACCES:        "permission denied",
	unix.ENETUNREACH:   "network is unreachable",
	unix.EADDRNOTAVAIL: "address not available",
	unix.ETIMEDOUT:     "timeout",
	unix.EAGAIN:        "timeout",
	unix.ENOTCONN:      "not connected",
	unix.ECONNABORTED:  "closed",
	unix.EBADF:         "closed",
}

// Short returns the LuaSocket-style short form of err: "timeout", "closed",
// "interrupted", "connection refused", "connection reset by peer",
// "address already in use", "broken pipe", "host not found",
// "permission denied", "network is unreachable", "address not available",
// "not connected", otherwise the errno's lowercase text (or the error's text
// when there is no errno). Short(nil) is "". End of stream (io.EOF) is
// "closed".
func Short(err error) string {
	if err == nil {
		return ""
	}
	if PlainTimeout(err) {
		return "timeout" // what the chain walk below answers, without it
	}
	var sh interface{ Short() string }
	if errors.As(err, &sh) {
		return sh.Short()
	}
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded),
		errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		return "interrupted"
	case errors.Is(err, ErrClosed), errors.Is(err, io.EOF), errors.Is(err, os.ErrClosed),
		errors.Is(err, net.ErrClosed):
		return "closed"
	case errors.Is(err, ErrHostNotFound):
		return "host not found"
	case errors.Is(err, ErrNotConnected):
		return "not connected"
	case errors.Is(err, ErrTruncated):
		return "truncated"
	}
	var errno unix.Errno
	if errors.As(err, &errno) {
		if s, ok := shortNames[errno]; ok {
			return s
		}
		return errno.Error()
	}
	// The innermost reason: "connect 1.2.3.4:5: no route" gives "no route".
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			return err.Error()
		}
		err = inner
	}
}

// Errno returns the errno number behind err, for connect_ex: 0 for nil, the
// kernel's number for a system error, a matching number for the sentinels
// (EAGAIN for a timeout, EBADF when closed, EINTR when interrupted,
// ENOTCONN, EISCONN, EINVAL), and -1 when there is none (e.g. host not
// found).
func Errno(err error) int {
	if err == nil {
		return 0
	}
	var errno unix.Errno
	if errors.As(err, &errno) {
		return int(errno)
	}
	switch {
	case errors.Is(err, ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded):
		return int(unix.EAGAIN)
	case errors.Is(err, ErrClosed):
		return int(unix.EBADF)
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		return int(unix.EINTR)
	case errors.Is(err, ErrNotConnected):
		return int(unix.ENOTCONN)
	case errors.Is(err, ErrAlreadyConnected):
		return int(unix.EISCONN)
	case errors.Is(err, ErrNotListening), errors.Is(err, ErrAlreadyBound), errors.Is(err, ErrListening):
		return int(unix.EINVAL)
	case errors.Is(err, io.EOF):
		return int(unix.ECONNRESET)
	}
	return -1
}

// opErr wraps err as an *OpError unless it is nil.
func opErr(op string, addr string, err error) error {
	if err == nil {
		return nil
	}
	return &OpError{Op: op, Addr: addr, Err: err}
}
