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
}
