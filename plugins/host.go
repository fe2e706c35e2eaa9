package plugins

import (
	"context"
	"io"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
)

// Host is what a plugin may ask of the session that runs it. The session
// implements it; plugins never import the shell.
type Host interface {
	// Block runs fn with the session lock released, so other tasks can run
	// Lua while this one waits in Go. ctx is the calling task's context: it is
	// cancelled by Ctrl-C, task:cancel() or .kill. Every call that can wait
	// (network, sleep, a child process, reading input) must go through Block.
	// fn must not touch L or any Lua value.
	Block(L *lua.LState, fn func(ctx context.Context) error) error
	// Context returns the context of the task running on L.
	Context(L *lua.LState) context.Context
	// Sockets is the session's table of open sockets.
	Sockets() *netcore.Table
	// Stdout and Stderr print safely above a REPL prompt.
	Stdout() io.Writer
	Stderr() io.Writer
	// Stdin is the session's standard input (scripts and client lessons read it).
	Stdin() io.Reader
	// Style colours s for a kind of output ("error", "warn", "ok", "sent",
	// "recv", "addr", "dim", "key", "number", "string"); it returns s unchanged
	// when colour is off.
	Style(kind, s string) string
	// Interactive reports whether a person is at a terminal (REPL or TTY stdin).
	Interactive() bool
	// Owner is who owns the sockets made or accepted on L: the task running
	// on L, the prompt line, the script's main chunk (nil: the session). A
	// plugin that opens a socket for a script gives it this owner, so the
	// socket closes when its owner ends (see SocketHolder).
	Owner(L *lua.LState) *netcore.Owner
}

// SocketField is the field of a Lua object (a table) that carries sockets:
// it holds a userdata whose Value is a SocketHolder. The session finds a
// script's sockets through it — when a task ends, the sockets it owns that no
// live value reaches are closed, and spawn hands the sockets passed to it to
// the new task.
const SocketField = "__sock"

// SocketHolder is the Go value of a userdata that holds sockets (a socket
// object, a wrapper such as a TLS connection). A userdata reachable from a
// live Lua value keeps the sockets it reports open when their owner ends.
type SocketHolder interface {
	HeldSockets() []*netcore.Socket
}

// ValueHolder is the Go value of a userdata that keeps Lua values where Lua
// cannot see them (a queue's items): HeldValues calls fn with each. The
// session's walk of what is alive visits them, so a socket waiting in a
// queue stays open when the task that pushed it ends.
type ValueHolder interface {
	HeldValues(fn func(lua.LValue))
}

// SocketsOf returns the sockets a Lua value carries itself: a SocketHolder
// userdata, or a table whose SocketField is one. It does not look further
// into tables.
func SocketsOf(v lua.LValue) []*netcore.Socket {
	if t, ok := v.(*lua.LTable); ok {
		v = t.RawGetString(SocketField)
	}
	if ud, ok := v.(*lua.LUserData); ok {
		if h, ok := ud.Value.(SocketHolder); ok {
			return h.HeldSockets()
		}
	}
	return nil
}
