package e2e

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestCtrlCEndsAnEndlessCallback: nsh running a script whose recvfile step
// callback loops for ever (in a task, while the main chunk waits on it)
// ends on SIGINT, Ctrl-C's signal, with status 130, as at any blocking call.
func TestCtrlCEndsAnEndlessCallback(t *testing.T) {
	script := filepath.Join(t.TempDir(), "step.lua")
	got := filepath.Join(t.TempDir(), "got.bin")
	writeFile(t, script, `
local srv = socket.bind("127.0.0.1", 0); local _, port = srv:getsockname()
spawn(function() local c = srv:accept(); c:sendall(string.rep("z", 5 * 1024 * 1024)); c:receive("*a") end)
local busy = spawn(function()
  local c = socket.connect("127.0.0.1", port)
  return c:recvfile("`+got+`", 6 * 1024 * 1024, {step = function() print("go"); io.stdout:flush() while true do end end})
end)
busy:join()
`)
	p := nshtest.Start(t, script)
	p.WaitLine(t, "^go$", 20*time.Second)
	if err := p.Cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := waitExit(p.Cmd, 20*time.Second)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit status 130; stderr %q", err, p.Stderr.String())
	}
}
