package shell

import "nsh/plugins/bench"

// benchMain: nsh bench rr|conns|bulk|udp [flags] — the load generator of
// plugins/bench, on the process's streams.
func benchMain(args []string, env *CLIEnv) int {
	return bench.Main(args, env.Stdout, env.Stderr)
}
