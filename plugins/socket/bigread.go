package socket

import (
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// bigString makes the Lua string of a big read: the n bytes the kernel put
// in b, a buffer borrowed from bigBufs. When they fill most of it, the
// string takes the buffer itself (the pool makes a new one next time), so
// a bulk recv(65536) loop copies each byte once, from the kernel, instead
// of twice (the copy was 40% of such a loop's CPU); otherwise the bytes are
// copied into a string of their size and the buffer goes back, so a short
// read never holds 64 KiB. The buffer is never written again once given
// away: nothing else holds it.
func bigString(b *[]byte, n int) lua.LString {
	if n > 0 && n >= cap(*b)/4*3 {
		return lua.LString(unsafe.String(unsafe.SliceData(*b), n))
	}
	s := lua.LString((*b)[:n])
	bigBufs.Put(b)
	return s
}
