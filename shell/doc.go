// Package shell is the nsh session: one Lua state shared by any number of
// tasks under one lock, with the session's stdio, script runs, socket
// lifetime and call trace.
//
// The rooms above it use a session through its methods (Lock, LockCtx,
// Spawn, NewGroup, StartForeground, RunScript...), not its fields:
// shell/dot holds the dot-commands, shell/repl is the prompt, shell/lesson
// the lesson runner, shell/cli the command line. Below it, shell/wire
// captures the session's packets, shell/printer shows values and
// shell/help reads the help registry; plugins/layout_test.go keeps the
// imports one way.
package shell
