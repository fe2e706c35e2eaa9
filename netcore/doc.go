// Package netcore is the socket engine behind nsh's Lua socket module. It is
// plain Go: the standard library and golang.org/x/sys/unix, no Lua.
//
// A Socket is a real BSD socket. Open creates the descriptor at once with
// unix.Socket(family, type|SOCK_NONBLOCK|SOCK_CLOEXEC, proto), and bind,
// listen, connect and accept are the kernel's own calls, made in the order the
// user makes them. Options are applied to the descriptor the moment they are
// set, so an option set before Bind is in force when the kernel binds.
// netcore never sets an option on its own: in particular it never turns on
// SO_REUSEADDR the way Go's net.Listen does, because nsh's lessons show what
// the kernel really does without it.
//
// Waiting uses Go's runtime poller: the non-blocking descriptor is wrapped
// with os.NewFile, and every call tries the system call first and parks the
// goroutine on the poller only when the kernel says EAGAIN. The hot path
// (data ready, no timeout) makes no allocation and starts no goroutine.
//
// Every call that may wait takes a context. A per-socket timeout
// (SetTimeout) and the context are turned into poller deadlines only when
// the call actually has to wait; cancelling the context sets a deadline in the
// past (through context.AfterFunc), which wakes the call with ErrInterrupted.
// The socket keeps watching the last context it waited with, so a task that
// calls again with the same context registers nothing new; a deadline left
// over from an earlier call is cleared or ignored. Close from another
// goroutine wakes blocked calls with ErrClosed, and an expired timeout gives
// ErrTimeout.
//
// RecvLine, RecvUntil and RecvExactly read through a per-socket buffer that
// Recv, RecvFrom and RecvFile drain first, so mixing them loses no bytes,
// while Recv alone still returns exactly what the kernel has (TCP's
// "sticky packets" stay visible).
//
// Errors are *OpError values ("bind 127.0.0.1:8080: address already in use")
// and Short turns any error into LuaSocket's short vocabulary ("timeout",
// "closed", "connection refused", ...). A Table keeps every open socket of a
// session, lists them with the state the kernel reports, and closes them all.
//
// Tracing: a Tracer set on the Table (SetTracer) or on one Socket gets a
// TraceEvent for every call (bind, listen, connect, accept, send, recv,
// sendto, recvfrom, sendfile, shutdown, close, their errors and the peer's end
// of stream) right after the system call. A socket keeps its tracer in one
// atomic pointer, so an untraced call pays one nil check. netcore only
// delivers events; formatting them and turning them into packets is done
// above it.
package netcore
