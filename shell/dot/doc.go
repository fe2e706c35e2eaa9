// Package dot holds the REPL's dot-commands (.help, .run, .tasks, .kill,
// .sockets, .close, .capture...): the registry they register themselves in
// from init, as plugins do, and the built-in ones, which reach the REPL they
// were typed at through the Prompt interface.
package dot
