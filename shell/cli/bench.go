package cli

import (
	"nsh/plugins/bench"
	"nsh/shell"
)

// benchMain: nsh bench rr|conns|bulk|udp [flags] — the load generator of
// plugins/bench, on the process's streams.
func benchMain(args []string, env *shell.Env) int {
	return bench.Main(args, env.Stdout, env.Stderr)
}
