// Package exec is the nsh plugin that runs child processes: from an argv
// list, or from a shell command line only when asked, with a timeout, stdin,
// environment, working folder and an output cap.
package exec

import "nsh/plugins"

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "exec",
		Version: "1.0.0",
		Summary: "run child processes (argv or shell) with timeout, stdin, env, cwd and an output cap",
		Open:    Open,
		Global:  true,
		Exit:    KillAll,
		Commands: []plugins.Command{{
			Name:    "procs",
			Usage:   ".procs",
			Summary: "the running child processes of exec.run/exec.shell: pid (= process group), age, command",
			Run:     procsCommand,
		}},
		Help: []plugins.Help{
			{
				Name:      "exec.run",
				Signature: "exec.run(argv | {cmd=, shell=true}[, opts]) -> result | nil, err, story",
				Summary:   "run a program and wait; result has stdout, stderr, code, signal, timed_out, truncated, ok; opts: stdin, env, clear_env, cwd, timeout, max_output",
				Example:   "local r = exec.run({\"uname\", \"-s\"}, {timeout = 5})\nprint(r.code, r.stdout)",
			},
			{
				Name:      "exec.shell",
				Signature: "exec.shell(cmdline[, opts]) -> result | nil, err, story",
				Summary:   "run a command line through /bin/sh -c (same options and result as exec.run)",
				Example:   "local r = exec.shell(\"ls | wc -l\", {timeout = 5})\nprint(r.stdout)",
			},
			{
				Name:      "exec.which",
				Signature: "exec.which(name) -> path | nil, err, story",
				Summary:   "find a program in $PATH, like shutil.which",
				Example:   "print(exec.which(\"sh\"))",
			},
		},
	})
}
