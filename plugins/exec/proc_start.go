//go:build !linux

package exec

import (
	osexec "os/exec"
	"syscall"
)

// deathSignal: only Linux has a parent-death signal; elsewhere children
// are killed on the ends nsh can catch (KillAll).
func deathSignal(*syscall.SysProcAttr) {}

// startChild starts cmd.
func startChild(cmd *osexec.Cmd) error { return cmd.Start() }
