// Package repl is nsh's prompt: it reads chunks with a line editor, runs
// each as the session's foreground task and prints its values, and offers
// completion, hints, history and the dot-commands (which register
// themselves, as plugins do, with Register).
package repl
