package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// TestExecChildrenDieWithNshOnSIGKILL: nsh killed by SIGKILL (nothing it
// can catch) still takes its exec children with it: the kernel's parent
// death signal (Linux), set on a thread that lives as long as nsh. One
// child is started by the main chunk, one by a task, one by a task that
// has ended (its goroutine and whatever thread ran it are gone).
func TestExecChildrenDieWithNshOnSIGKILL(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: cannot find nsh's children")
	}
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep program")
	}
	script := filepath.Join(t.TempDir(), "children.lua")
	writeFile(t, script, `
local t = spawn(function() exec.run({"sleep", "1001"}, {timeout = 0.01}) end); t:join(10)
spawn(function() exec.run{"sleep", "1002"} end)
spawn(function() sleep(0.2); print("go"); io.stdout:flush() end)
exec.run{"sleep", "1003"}
`)
	p := nshtest.Start(t, script)
	p.WaitLine(t, "^go$", 20*time.Second)
	nsh := p.Cmd.Process.Pid
	var kids []int
	for end := time.Now().Add(20 * time.Second); len(kids) < 2 && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		kids = kids[:0]
		for _, ps := range readProcs(t) {
			if ps.ppid == nsh && ps.comm == "sleep" && ps.state != "Z" {
				kids = append(kids, ps.pid)
			}
		}
	}
	if len(kids) != 2 {
		t.Fatalf("found %d sleep children of nsh, want 2", len(kids))
	}
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(p.Cmd, 20*time.Second); err == nil {
		t.Fatal("nsh exited 0 after SIGKILL")
	}
	for _, pid := range kids {
		for end := time.Now().Add(10 * time.Second); alive(pid) && time.Now().Before(end); {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child %d outlived nsh's SIGKILL", pid)
		}
	}
}
