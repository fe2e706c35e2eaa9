package shell

import "fmt"

// runREPL is replaced by the REPL (issue 3); until then it says so.
func runREPL(s *Session, env *cliEnv) int {
	fmt.Fprintln(env.Stderr, "nsh: the interactive REPL is not available yet in this build; run a script: nsh FILE.lua, nsh -e CODE, or pipe a script into nsh")
	return 2
}
