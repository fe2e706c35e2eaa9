package shell

import "io"

// Version is nsh's version, printed by --version.
const Version = "0.1.0"

// Env is what the command line runs with: the process's streams and what
// they are connected to.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	StdinTTY       bool
	StdoutTTY      bool
	Color          bool
}

// NewSession opens a session on env's streams.
func (env *Env) NewSession() *Session {
	return New(Options{
		Stdin:       env.Stdin,
		Stdout:      env.Stdout,
		Stderr:      env.Stderr,
		Color:       env.Color,
		Interactive: env.StdinTTY,
	})
}
