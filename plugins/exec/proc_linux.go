//go:build linux

package exec

import (
	osexec "os/exec"
	"runtime"
	"sync"
	"syscall"
)

// Children die with nsh even when nsh cannot catch its end (SIGKILL, the
// OOM killer): the kernel sends each child SIGKILL when its parent goes
// (PR_SET_PDEATHSIG). Linux ties that signal to the *thread* that forked
// the child, not the process: a child started from a Go thread that later
// exits would be killed then, while nsh lives on. So every child is
// started from one goroutine locked to its OS thread that never returns:
// that thread lives exactly as long as the process. (Grandchildren a child
// starts in its process group are not reached by this signal; the group
// kill on a catchable end still reaches them.)

// deathSignal asks the kernel to SIGKILL the child when nsh dies.
func deathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// starter is the goroutine, locked to its thread for good, that starts
// every child.
var starter struct {
	once sync.Once
	reqs chan startReq
}

type startReq struct {
	cmd *osexec.Cmd
	err chan error
}

// startChild runs cmd.Start on the starter's thread.
func startChild(cmd *osexec.Cmd) error {
	starter.once.Do(func() {
		starter.reqs = make(chan startReq)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread outlives every child
			for r := range starter.reqs {
				r.err <- r.cmd.Start()
			}
		}()
	})
	r := startReq{cmd: cmd, err: make(chan error, 1)}
	starter.reqs <- r
	return <-r.err
}
