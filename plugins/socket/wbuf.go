package socket

import (
	"context"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// Buffered writes (netcore/wbuf.go has the rules): s:setbuffer(n) makes
// send, sendall and sendline collect up to n bytes, s:flush() sends them,
// a read that waits on the kernel sends them first, close sends them.

var bufferHelp = []plugins.Help{
	{Name: "sock:setbuffer", Signature: "sock:setbuffer(n) -> 1 | nil, err, story",
		Summary: "buffer up to n bytes of what send/sendall/sendline write (0: off), so a pipelined batch of replies leaves in one write; recv and friends send the buffer before they wait, close sends it, flush sends it now",
		Example: "conn:setbuffer(16384)\nfor _, r in ipairs(replies) do conn:sendall(r) end\nconn:flush()"},
	{Name: "sock:flush", Signature: "sock:flush() -> 1 | nil, err, story",
		Summary: "send what setbuffer has buffered, waiting as sendall does",
		Example: "conn:sendall(\"+OK\\r\\n\")\nconn:flush()"},
}

// sock:setbuffer(n) -> 1.
func (m *module) setbuffer(L *lua.LState) int {
	s := open(L, "setbuffer")
	maxArgs(L, "setbuffer", 2)
	n := checkInt(L, "setbuffer", 2, 1, "size")
	if n < 0 || n > netcore.MaxWriteBuffer {
		L.RaiseError("setbuffer: bad argument #1 (size must be 0 to %d bytes, got %d)", netcore.MaxWriteBuffer, n)
	}
	if s.typ != syscall.SOCK_STREAM {
		L.RaiseError("setbuffer: only a stream (TCP or AF_UNIX stream) socket buffers its writes; datagrams would merge")
	}
	err := m.h.Block(L, func(ctx context.Context) error { return s.ns.SetWriteBuffer(ctx, n) })
	if err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// sock:flush() -> 1.
func (m *module) flush(L *lua.LState) int {
	s := open(L, "flush")
	maxArgs(L, "flush", 1)
	if err := m.flushPending(L, s); err != nil {
		return fail(L, err)
	}
	return ok(L)
}

// flushPending sends s's buffered bytes, if any, inside Block.
func (m *module) flushPending(L *lua.LState, s *sock) error {
	if !s.ns.Pending() {
		return s.ns.FlushIdle(m.h.Context(L)) // nothing to wait for; reports a kept error
	}
	return m.h.Block(L, func(ctx context.Context) error { return s.ns.Flush(ctx) })
}

// flushBeforeClose is flushPending for close and shutdown: a send in
// progress in another task (maybe blocked on a peer that does not read) is
// not waited for; close wakes it and netcore sends what the kernel takes.
func (m *module) flushBeforeClose(L *lua.LState, s *sock) error {
	if !s.ns.Pending() {
		return nil
	}
	return m.h.Block(L, func(ctx context.Context) error { return s.ns.FlushIdle(ctx) })
}
