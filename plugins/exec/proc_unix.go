//go:build unix

package exec

import (
	"os"
	osexec "os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// setGroup puts the child in its own process group so a kill reaches the
// programs a shell command line started too, and (Linux) has it killed
// when nsh dies, however it dies (proc_linux.go).
func setGroup(cmd *osexec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	deathSignal(cmd.SysProcAttr)
}

// killGroup kills the child's process group with SIGKILL.
func killGroup(cmd *osexec.Cmd) {
	if cmd.Process == nil {
		return
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		cmd.Process.Kill()
	}
}

// exitStatus returns the exit code (-N for signal N) and the signal's name.
func exitStatus(ps *os.ProcessState) (int, string) {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		sig := ws.Signal()
		return -int(sig), unix.SignalName(sig)
	}
	return ps.ExitCode(), ""
}
