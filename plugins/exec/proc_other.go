//go:build !unix

package exec

import (
	"os"
	osexec "os/exec"
)

func setGroup(cmd *osexec.Cmd) {}

func killGroup(cmd *osexec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

func exitStatus(ps *os.ProcessState) (int, string) { return ps.ExitCode(), "" }
