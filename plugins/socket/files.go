package socket

import (
	"context"
	"errors"
	"os"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// sock:sendfile(path[, offset[, count]]) -> bytes sent. The file's bytes go
// from the file to the socket in the kernel, never through Lua.
func (m *module) sendfile(L *lua.LState) int {
	s := open(L, "sendfile")
	maxArgs(L, "sendfile", 4)
	path := checkStr(L, "sendfile", 2, 1, "path")
	off := int64(optInt(L, "sendfile", 3, 2, "offset", 0))
	count := int64(optInt(L, "sendfile", 4, 3, "count", -1))
	if off < 0 {
		L.RaiseError("sendfile: offset must not be negative: %d", off)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(L, &netcore.OpError{Op: "sendfile", Addr: path, Err: errors.Unwrap(err)})
	}
	defer f.Close()
	var n int64
	err = m.h.Block(L, func(ctx context.Context) error {
		var err error
		n, err = s.stream().SendFile(ctx, f, off, count)
		return err
	})
	if err != nil {
		fail(L, err)
		L.Push(lua.LNumber(n))
		return 4
	}
	L.Push(lua.LNumber(n))
	return 1
}
