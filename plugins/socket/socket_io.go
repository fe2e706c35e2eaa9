package socket

import (
	"context"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// bytesOf views a Lua string's bytes without copying; the callers only read
// them (the kernel copies them out) and keep the string alive meanwhile.
func bytesOf(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// write sends data through the socket's reusable writer state; all selects
// SendAll. It returns the bytes sent and the error.
func (m *module) write(L *lua.LState, s *sock, data string, all bool) (int, error) {
	if s.ns.Buffer(bytesOf(data)) {
		return len(data), nil // into the write buffer: no wait, no lock hand-off
	}
	if s.wbusy {
		var n int
		err := m.h.Block(L, func(ctx context.Context) error {
			var err error
			if all {
				n, err = s.stream().SendAll(ctx, bytesOf(data))
			} else {
				n, err = s.stream().Send(ctx, bytesOf(data))
			}
			return err
		})
		return n, err
	}
	s.wbusy, s.wdata, s.wall, s.wn = true, bytesOf(data), all, 0
	err := m.h.Block(L, s.wfn)
	n := s.wn
	s.wbusy, s.wdata = false, nil
	return n, err
}

// maxReadAlloc caps the buffer of one recv or recvfrom: they promise up to n
// bytes, and recv(2^40) must not allocate a terabyte (the runtime kills the
// process). No datagram is larger (UDP's are at most 64 KiB).
const maxReadAlloc = 4 << 20

// read receives up to n bytes through the socket's reusable buffer and
// returns them as a Lua string.
func (m *module) read(L *lua.LState, s *sock, n int) (lua.LString, error) {
	if s.rbusy || n > bigBufSize {
		buf := make([]byte, min(n, maxReadAlloc))
		var got int
		err := m.h.Block(L, func(ctx context.Context) error {
			var err error
			got, err = s.stream().Recv(ctx, buf)
			return err
		})
		return lua.LString(buf[:got]), err
	}
	s.rbusy, s.rwant, s.rn = true, n, 0
	if n <= ownBufMax {
		s.rcur = s.readBuf(n)
		err := m.h.Block(L, s.rfn)
		data := lua.LString(s.rcur[:s.rn])
		s.rbusy, s.rcur = false, nil
		return data, err
	}
	// A big read borrows a pooled buffer only once the kernel has data, so
	// an idle connection waiting in recv(65536) holds no 64 KiB buffer; rpfn
	// copies the bytes into a string before the lock is taken back.
	err := m.h.Block(L, s.rpfn)
	data := s.rstr
	s.rbusy, s.rstr = false, ""
	return data, err
}

// sock:send(data[, i[, j]]) -> index of the last byte sent (with i = 1 the
// byte count, as Python's send) | nil, err, last index sent, story. A blocking socket, or one made by
// LuaSocket's socket.bind or socket.connect, sends everything, as the kernel and LuaSocket
// do; a socket with a timeout may send part, as Python's does.
func (m *module) send(L *lua.LState) int {
	s := open(L, "send")
	maxArgs(L, "send", 4)
	data := checkData(L, "send", 2, 1)
	i, j := 1, len(data)
	if L.GetTop() >= 3 {
		i, j = sliceBounds(L, "send", len(data))
		if i > j {
			L.Push(lua.LNumber(i - 1))
			return 1
		}
		data = data[i-1 : j]
	}
	n, err := m.write(L, s, data, s.luasock || s.timeout < 0)
	if err != nil {
		// LuaSocket's order, which its scripts resume from: nil, err,
		// last index sent; the story comes fourth.
		if s.luasock {
			lsFail(L, err)
		} else {
			fail(L, err)
		}
		story := L.Get(-1)
		L.Pop(1)
		L.Push(num(i + n - 1))
		L.Push(story)
		return 4
	}
	L.Push(num(i + n - 1))
	return 1
}

// sliceBounds reads LuaSocket's i, j (negative counts from the end) and
// clamps them to the string.
func sliceBounds(L *lua.LState, fn string, size int) (int, int) {
	i := optInt(L, fn, 3, 2, "i", 1)
	j := optInt(L, fn, 4, 3, "j", -1)
	if i < 0 {
		i = size + i + 1
	}
	if j < 0 {
		j = size + j + 1
	}
	if i < 1 {
		i = 1
	}
	if j > size {
		j = size
	}
	return i, j
}

// sock:sendall(data) -> bytes sent (everything unless an error).
func (m *module) sendall(L *lua.LState) int {
	s := open(L, "sendall")
	maxArgs(L, "sendall", 2)
	data := checkData(L, "sendall", 2, 1)
	n, err := m.write(L, s, data, true)
	if err != nil {
		fail(L, err)
		L.Push(num(n))
		return 4
	}
	L.Push(num(n))
	return 1
}

// sock:recv(n) -> up to n bytes, "" at end of stream.
func (m *module) recv(L *lua.LState) int {
	s := open(L, "recv")
	maxArgs(L, "recv", 2)
	n := checkCount(L, "recv", 2, 1, "bufsize")
	if n == 0 {
		L.Push(lua.LString(""))
		return 1
	}
	data, err := m.read(L, s, n)
	if err != nil {
		return fail(L, err)
	}
	L.Push(data)
	return 1
}

// sock:sendto(data, host, port | {host, port} | path) -> bytes sent.
func (m *module) sendto(L *lua.LState) int {
	s := lazySelf(L, "sendto")
	data := checkData(L, "sendto", 2, 1)
	t, next := checkTarget(L, "sendto", 3, 2, s.isUnix())
	maxArgs(L, "sendto", next-1)
	return m.doSendto(L, s, data, t)
}

// sock:recvfrom(n) -> data, addr
func (m *module) recvfrom(L *lua.LState) int {
	s := open(L, "recvfrom")
	maxArgs(L, "recvfrom", 2)
	n := checkCount(L, "recvfrom", 2, 1, "bufsize")
	data, from, err := m.recvFrom(L, s, n)
	if err != nil {
		return fail(L, err)
	}
	L.Push(data)
	m.pushAddr(L, from)
	return 2
}
