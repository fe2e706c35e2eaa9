// Package cli is nsh's command line: options, script runs, the REPL when
// the terminal is a person's, the subcommands (lesson, plugins, bench) and
// the generator of docs/API.md.
package cli
