package exec_test

import (
	"context"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nsh/plugins"
	"nsh/plugins/exec"
	"nsh/plugins/plugintest"
)

// TestChildrenListedAndKilled runs a sleeping child, finds it in Children
// and in .procs, then ends it with the plugin's Exit (what nsh runs when a
// signal ends it): Run returns the SIGKILL, the child is reaped and the
// list is empty again.
func TestChildrenListedAndKilled(t *testing.T) {
	type ran struct {
		r   *exec.Result
		err error
	}
	done := make(chan ran, 1)
	go func() {
		r, err := exec.Run(context.Background(), "exec.run", exec.Spec{Argv: []string{"sleep", "1000"}, MaxOutput: -1})
		done <- ran{r, err}
	}()
	var pid int
	for end := time.Now().Add(10 * time.Second); pid == 0 && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		for _, c := range exec.Children() {
			if c.Name == "sleep" {
				pid = c.PID
			}
		}
	}
	if pid == 0 {
		t.Fatal("the sleeping child never showed in Children()")
	}
	h := plugintest.NewHost(t)
	p, _ := plugins.Get("exec")
	var procs *plugins.Command
	for i := range p.Commands {
		if p.Commands[i].Name == "procs" {
			procs = &p.Commands[i]
		}
	}
	if procs == nil || p.Exit == nil {
		t.Fatal("the exec plugin offers no .procs or no Exit")
	}
	if err := procs.Run(nil, h, nil); err != nil {
		t.Fatal(err)
	}
	if out := h.Out.String(); !strings.Contains(out, "PID") || !strings.Contains(out, strconv.Itoa(pid)+"  ") || !strings.Contains(out, "sleep") {
		t.Fatalf(".procs printed %q, without child %d", out, pid)
	}
	p.Exit()
	select {
	case d := <-done:
		if d.err != nil || d.r.Signal != "SIGKILL" {
			t.Fatalf("Run after Exit: %+v, %v", d.r, d.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after Exit killed its child")
	}
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		t.Fatalf("child %d still exists after Exit (kill 0: %v): not reaped", pid, err)
	}
	if n := len(exec.Children()); n != 0 {
		t.Fatalf("%d children still listed", n)
	}
	h.Out.Reset()
	procs.Run(nil, h, nil)
	if !strings.Contains(h.Out.String(), "no child processes") {
		t.Fatalf(".procs with no child printed %q", h.Out.String())
	}
}
