package socket

import (
	"context"
	"errors"
	"runtime"
	"syscall"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// A socket no Lua value refers to any more closes when the Go garbage
// collector finds it, as CPython's refcounting and LuaSocket's __gc close
// theirs: gopher-lua has no __gc, so the cleanup hangs on the *sock that the
// Lua object's userdata holds. Nothing else holds a *sock — the session's
// netcore.Table holds the *netcore.Socket — so the table never keeps a
// forgotten socket alive. While a call runs on a socket its Lua object is on
// the caller's stack and the call's closures hold the *sock, so the cleanup
// cannot run under a call; and netcore.Socket.Close is safe beside any call
// anyway (the call answers ErrClosed). Go code that keeps using a socket
// after its Lua object may be dropped (a wrapper such as a TLS layer) must
// hold the *sock, not only its *netcore.Socket.
func watchCollected(s *sock) {
	runtime.AddCleanup(s, closeCollected, s.ns)
}

// closeCollected runs on the runtime's cleanup goroutine.
func closeCollected(ns *netcore.Socket) { ns.Close() }

// reclaimWait bounds how long a call out of descriptors waits for the
// cleanups of collected sockets to close theirs.
const reclaimWait = time.Second

// outOfDescriptors reports whether err is EMFILE or ENFILE.
func outOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// reclaim is called when try failed for want of descriptors: it collects
// garbage and waits for the cleanups, so that forgotten sockets close, then
// calls try once more. A loop that drops a socket an iteration thus never
// meets EMFILE, as under CPython. It runs inside Block: other tasks run
// meanwhile.
func (m *module) reclaim(L *lua.LState, try func(context.Context) error) error {
	var err error
	m.h.Block(L, func(ctx context.Context) error {
		netcore.CollectGarbage(reclaimWait)
		err = try(ctx)
		return nil
	})
	return err
}

// openSocket is Table.Open that reclaims forgotten sockets' descriptors
// when the process has none left.
func (m *module) openSocket(L *lua.LState, family, typ, proto int) (*netcore.Socket, error) {
	ns, err := m.h.Sockets().Open(family, typ, proto)
	if err != nil && outOfDescriptors(err) {
		err = m.reclaim(L, func(context.Context) error {
			var err error
			ns, err = m.h.Sockets().Open(family, typ, proto)
			return err
		})
	}
	return ns, err
}
