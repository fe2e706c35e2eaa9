package shell

import "io"

// Version is nsh's version, printed by --version.
const Version = "0.1.0"

// CLIEnv is what the command line runs with: the process's streams and what
// they are connected to.
type CLIEnv struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	StdinTTY       bool
	StdoutTTY      bool
	Color          bool
}

// NewSession opens a session on env's streams.
func (env *CLIEnv) NewSession() *Session {
	return New(Options{
		Stdin:       env.Stdin,
		Stdout:      env.Stdout,
		Stderr:      env.Stderr,
		Color:       env.Color,
		Interactive: env.StdinTTY,
	})
}
