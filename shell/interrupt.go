package shell

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"nsh/plugins"
)

// exitInterrupted is the exit status of a script stopped by Ctrl-C, as a
// shell reports a command killed by SIGINT (128 + 2).
const exitInterrupted = 130

// EndSignals are the signals that end a script run in order: SIGINT
// (Ctrl-C), SIGTERM (kill PID) and SIGHUP (the terminal went away).
var EndSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// SignalGrace bounds how long a run may take to end after SIGTERM or SIGHUP
// before nsh exits anyway (after killing its children): unlike Ctrl-C, whose
// sender can press it again, nobody may be there to send a second one.
const SignalGrace = 3 * time.Second

// SignalStatus is the exit status for dying of sig: 128 + its number.
func SignalStatus(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitInterrupted
}

// ExitNow ends the process with code at once, first letting every plugin
// release what would outlive it (exec kills its children's process groups
// and reaps them), since the session will not close in order.
func ExitNow(code int) {
	plugins.RunExit()
	os.Exit(code)
}

// RunInterruptible runs fn (the script runs of the command line) with
// SIGINT, SIGTERM and SIGHUP caught: the first one ends every running
// script as os.exit(128+N) would — each blocking call returns
// "interrupted", the tasks end, children of exec are killed and reaped, the
// session closes its sockets — and the status is 130 (Ctrl-C), 143
// (SIGTERM) or 129 (SIGHUP); a second signal, or a run still going
// signalGrace after SIGTERM or SIGHUP, exits at once (children killed
// first). The REPL handles signals itself, so fn must not open it.
func (s *Session) RunInterruptible(fn func() int) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, EndSignals...)
	done := make(chan struct{})
	go func() {
		for n := 0; ; n++ {
			select {
			case sig := <-sigs:
				code := SignalStatus(sig)
				if n > 0 {
					ExitNow(code)
				}
				s.interruptScripts(code)
				if sig != os.Interrupt {
					time.AfterFunc(SignalGrace, func() { ExitNow(code) })
				}
			case <-done:
				return
			}
		}
	}()
	code := fn()
	signal.Stop(sigs)
	close(done)
	if s.interrupted.Load() {
		fmt.Fprintln(s.stderr, s.style.Style("warn", "nsh: interrupted"))
		return int(s.interruptStatus.Load())
	}
	return code
}

// interruptScripts ends every running script with status code. A script
// started after it has run sees s.interrupted (see startScriptGroup).
func (s *Session) interruptScripts(code int) {
	s.interruptStatus.Store(int32(code))
	s.interrupted.Store(true)
	for _, t := range s.tasks.List() {
		t.group.exit(code)
	}
}

// CheckInterrupted ends g at once when the session was interrupted before
// g's first task was listed. The caller has spawned that task.
func (s *Session) CheckInterrupted(g *Group) {
	if s.interrupted.Load() {
		g.exit(int(s.interruptStatus.Load()))
	}
}
