package shell

import (
	"fmt"
	"os"
	"os/signal"
)

// exitInterrupted is the exit status of a script stopped by Ctrl-C, as a
// shell reports a command killed by SIGINT (128 + 2).
const exitInterrupted = 130

// runInterruptible runs fn (the script runs of the command line) with
// SIGINT caught: the first Ctrl-C ends every running script as os.exit(130)
// would — each blocking call returns "interrupted", the tasks end, the
// session closes its sockets — and the status is 130; a second Ctrl-C
// exits at once, for a script that does not stop. The REPL handles Ctrl-C
// itself, so fn must not open it.
func (s *Session) runInterruptible(fn func() int) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for n := 0; ; n++ {
			select {
			case <-sigs:
				if n > 0 {
					os.Exit(exitInterrupted)
				}
				s.interruptScripts()
			case <-done:
				return
			}
		}
	}()
	code := fn()
	signal.Stop(sigs)
	close(done)
	if s.interrupted.Load() {
		fmt.Fprintln(s.stderr, s.style.style("warn", "nsh: interrupted"))
		return exitInterrupted
	}
	return code
}

// interruptScripts ends every running script with status 130. A script
// started after it has run sees s.interrupted (see startScriptGroup).
func (s *Session) interruptScripts() {
	s.interrupted.Store(true)
	for _, t := range s.tasks.List() {
		t.group.exit(exitInterrupted)
	}
}

// checkInterrupted ends g at once when the session was interrupted before
// g's first task was listed. The caller has spawned that task.
func (s *Session) checkInterrupted(g *group) {
	if s.interrupted.Load() {
		g.exit(exitInterrupted)
	}
}
