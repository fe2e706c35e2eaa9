package socket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"syscall"
	"unsafe"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
	"nsh/netcore"
)

// lineMax bounds a line read by recvline() and recvuntil() unless the
// script says otherwise: a peer that never sends a newline cannot make the
// shell eat all memory. LuaSocket's receive("*l") has no bound (luaLineMax).
const lineMax = 1 << 20

// luaLineMax is receive("*l")'s bound: none, as LuaSocket's, so memory grows
// only with what the peer sent.
const luaLineMax = int(^uint(0) >> 1)

// sock:receive([pattern[, prefix]]): LuaSocket's reader. pattern is "*l"
// (default; a line without CR/LF), "*a" (until the peer closes) or a byte
// count. A UDP socket's receive([size]) returns one datagram. On failure it
// returns nil, err, partial (LuaSocket's order) and the story fourth.
func (m *module) receive(L *lua.LState) int {
	s := open(L, "receive")
	maxArgs(L, "receive", 3)
	if !s.isStream() {
		n := optInt(L, "receive", 2, 1, "size", datagramMax)
		if n <= 0 {
			L.RaiseError("receive: size must be positive: %d", n)
		}
		data, err := m.read(L, s, n)
		if err != nil {
			return lsFail(L, err)
		}
		L.Push(data)
		return 1
	}
	prefix := ""
	if v := L.Get(3); v != lua.LNil {
		prefix = checkData(L, "receive", 3, 2)
	}
	var data []byte
	var err error
	switch p := L.Get(2).(type) {
	case *lua.LNilType:
		data, err = m.receiveLine(L, s)
	case lua.LNumber:
		data, err = m.receiveCount(L, s, checkCount(L, "receive", 2, 1, "pattern"), len(prefix))
	case lua.LString:
		switch p {
		case "*l", "l":
			data, err = m.receiveLine(L, s)
		case "*a", "a":
			data, err = m.receiveAll(L, s)
		default:
			n := checkCount(L, "receive", 2, 1, "pattern (\"*l\", \"*a\" or a number)")
			data, err = m.receiveCount(L, s, n, len(prefix))
		}
	default:
		argError(L, "receive", 1, "pattern (\"*l\", \"*a\" or a number)", 2)
	}
	if err != nil {
		if len(data) == 0 {
			data = m.drain(L, s) // LuaSocket hands back what it read so far
		}
		lsFail(L, err) // nil, short, story
		story := L.Get(-1)
		L.Pop(1)
		L.Push(lua.LString(prefix + string(data)))
		L.Push(story)
		return 4
	}
	if prefix != "" {
		L.Push(lua.LString(prefix + string(data)))
	} else {
		L.Push(owned(data))
	}
	return 1
}

// receiveLine reads up to "\n" and drops every CR, as LuaSocket's "*l".
func (m *module) receiveLine(L *lua.LState, s *sock) ([]byte, error) {
	line, err := m.recvUntil(L, s, "receive", "\n", luaLineMax)
	if err == nil {
		line = line[:len(line)-1]
	}
	if bytes.IndexByte(line, '\r') >= 0 {
		line = bytes.ReplaceAll(line, []byte("\r"), nil)
	}
	return line, err
}

// receiveCount reads LuaSocket's receive(n, prefix): n bytes in all, the
// prefix counting towards them.
func (m *module) receiveCount(L *lua.LState, s *sock, n, have int) ([]byte, error) {
	if n == 0 && have == 0 {
		return nil, m.awaitData(L, s)
	}
	if have >= n {
		return nil, nil
	}
	data, err := m.recvExactly(L, s, n-have)
	return data, renameOp(err, "receive")
}

// awaitData is LuaSocket's receive(0): it waits, as C's one read of the
// buffer does, until data is there ("" then, the data stays) or the stream
// ends or fails (nil, "closed"...).
func (m *module) awaitData(L *lua.LState, s *sock) error {
	var one [1]byte
	return m.h.Block(L, func(ctx context.Context) error {
		n, err := s.ns.RecvFlags(ctx, one[:], syscall.MSG_PEEK)
		if err == nil && n == 0 {
			err = &netcore.OpError{Op: "receive", Err: io.EOF}
		}
		return renameOp(err, "receive")
	})
}

// drain takes the bytes a failed helper left in the read buffer, without
// waiting, so receive returns them as its partial result as LuaSocket does.
func (m *module) drain(L *lua.LState, s *sock) []byte {
	n := s.stream().Buffered()
	if n == 0 || !s.stillOpen() {
		return nil
	}
	buf := make([]byte, n)
	got, _ := s.stream().Recv(m.h.Context(L), buf)
	return buf[:got]
}

// receiveAll reads until the peer closes; the end of stream is success.
func (m *module) receiveAll(L *lua.LState, s *sock) ([]byte, error) {
	var out []byte
	err := m.h.Block(L, func(ctx context.Context) error {
		chunk := make([]byte, 32<<10)
		for {
			n, err := s.stream().Recv(ctx, chunk)
			if n > 0 {
				if gerr := memguard.Check("receive", int64(len(out)+n)); gerr != nil {
					return gerr // a peer that never stops sending must not exhaust memory
				}
				out = append(out, chunk[:n]...)
			}
			if err != nil {
				return err
			}
			if n == 0 && len(out) == 0 {
				// LuaSocket: "*a" at the end of the stream with nothing
				// read is nil, "closed" (what was read before it is success).
				return &netcore.OpError{Op: "receive", Err: io.EOF}
			}
			if n == 0 {
				return nil
			}
		}
	})
	return out, err
}

// recvExactly reads exactly n bytes; at end of stream it returns the
// partial data and netcore's "closed" error.
func (m *module) recvExactly(L *lua.LState, s *sock, n int) ([]byte, error) {
	if out, ok := s.ns.TakeBuffered(n); ok {
		// Already buffered (socket.http's receive(2048) of a body read
		// ahead): nothing to wait for, so no Block and no closure.
		return out, nil
	}
	// The buffer grows as bytes come; a count past the memory limit is read
	// up to one byte over the limit, and a peer that sends that much gets a
	// failure instead of exhausting memory.
	lim := memguard.Limit()
	want := n
	if int64(n) > lim {
		want = int(lim) + 1
	}
	var out []byte
	err := m.h.Block(L, func(ctx context.Context) error {
		var err error
		out, err = s.stream().RecvExactly(ctx, want)
		return err
	})
	if err == nil && want < n {
		return out, &memguard.TooLongError{What: "recvexactly", Max: lim, ByLimit: true}
	}
	return out, err
}

// recvUntil reads through delim (included) or fails with the partial data.
// The result is a fresh slice nobody else holds.
// op names the Lua call in the error's story (recvline, receive).
func (m *module) recvUntil(L *lua.LState, s *sock, op, delim string, max int) ([]byte, error) {
	if lim := memguard.Limit(); int64(max) > lim {
		max = int(lim) // a line may not grow past the memory limit
	}
	if !s.ubusy {
		s.ubusy, s.udelim, s.umax = true, bytesOf(delim), max
		err := m.h.Block(L, s.ufn)
		out := s.uout
		s.ubusy, s.udelim, s.uout = false, nil, nil
		return out, renameOp(err, op)
	}
	var out []byte
	err := m.h.Block(L, func(ctx context.Context) error {
		var err error
		out, err = s.stream().RecvUntil(ctx, bytesOf(delim), max)
		return err
	})
	return out, renameOp(err, op)
}

// lsFail is fail in LuaSocket's words, for its receive and send: a peer
// gone (EPIPE, ECONNRESET) is "closed", as LuaSocket's C maps them; the
// story still names the errno. Python's recv/send keep "broken pipe" and
// "connection reset by peer", which its lessons print.
func lsFail(L *lua.LState, err error) int {
	n := fail(L, err)
	if !netcore.PlainTimeout(err) && (errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)) {
		L.Replace(-2, lua.LString("closed"))
	}
	return n
}

// renameOp gives netcore's error the name of the Lua call that failed.
func renameOp(err error, op string) error {
	var oe *netcore.OpError
	if err == nil || !errors.As(err, &oe) || oe.Op == op {
		return err
	}
	named := *oe
	named.Op = op
	return &named
}

// owned turns a slice nobody else holds (netcore's helpers return fresh
// copies) into a Lua string without copying it again.
func owned(b []byte) lua.LString {
	if len(b) == 0 {
		return ""
	}
	return lua.LString(unsafe.String(&b[0], len(b)))
}

// failPartial pushes nil, short, story, partial.
func failPartial(L *lua.LState, err error, partial []byte) int {
	fail(L, err)
	L.Push(lua.LString(partial))
	return 4
}

// sock:recvexactly(n) -> exactly n bytes | nil, short, story, partial.
func (m *module) recvexactly(L *lua.LState) int {
	s := open(L, "recvexactly")
	maxArgs(L, "recvexactly", 2)
	n := checkCount(L, "recvexactly", 2, 1, "count")
	data, err := m.recvExactly(L, s, n)
	if err != nil {
		return failPartial(L, err, data)
	}
	L.Push(owned(data))
	return 1
}

// sock:recvuntil(delim[, max]) -> data up to and including delim.
func (m *module) recvuntil(L *lua.LState) int {
	s := open(L, "recvuntil")
	maxArgs(L, "recvuntil", 3)
	delim := checkStr(L, "recvuntil", 2, 1, "delimiter")
	if delim == "" {
		L.RaiseError("recvuntil: delimiter must not be empty")
	}
	max := optInt(L, "recvuntil", 3, 2, "max", lineMax)
	if max <= 0 {
		L.RaiseError("recvuntil: max must be positive: %d", max)
	}
	data, err := m.recvUntil(L, s, "recvuntil", delim, max)
	if err != nil {
		return failPartial(L, err, data)
	}
	L.Push(owned(data))
	return 1
}

// sock:recvline([max]) -> a line without "\n" or "\r\n".
func (m *module) recvline(L *lua.LState) int {
	s := open(L, "recvline")
	maxArgs(L, "recvline", 2)
	max := optInt(L, "recvline", 2, 1, "max", lineMax)
	if max <= 0 {
		L.RaiseError("recvline: max must be positive: %d", max)
	}
	data, err := m.recvUntil(L, s, "recvline", "\n", max)
	if err != nil {
		return failPartial(L, err, data)
	}
	line := data[:len(data)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	L.Push(owned(line))
	return 1
}

// sock:sendline(s) sends s and "\n" -> bytes sent.
func (m *module) sendline(L *lua.LState) int {
	s := open(L, "sendline")
	maxArgs(L, "sendline", 2)
	data := checkData(L, "sendline", 2, 1) + "\n"
	n, err := m.write(L, s, data, true)
	if err != nil {
		fail(L, err)
		L.Push(num(n))
		return 4
	}
	L.Push(num(n))
	return 1
}
