package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"nsh/internal/nshtest"
)

// procStat is what /proc/PID/stat says of a process: its command, state,
// parent and process group.
type procStat struct {
	pid, ppid, pgrp int
	comm, state     string
}

// readProcs lists every process /proc shows.
func readProcs(t *testing.T) []procStat {
	t.Helper()
	dirs, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []procStat
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue // ended meanwhile
		}
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 3 {
			continue
		}
		p := procStat{comm: s[open+1 : close], state: f[0]}
		p.pid, _ = strconv.Atoi(strings.TrimSpace(s[:open]))
		p.ppid, _ = strconv.Atoi(f[1])
		p.pgrp, _ = strconv.Atoi(f[2])
		out = append(out, p)
	}
	return out
}

// alive reports whether pid is a process that is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

// TestExecChildrenDieWithNsh starts nsh on a script whose exec.run or
// exec.shell child sleeps 1000 s, sends nsh SIGTERM, SIGHUP or SIGINT by
// PID, and checks the exit status and that every process of the child's
// process group is gone (a pipeline's grandchildren too).
func TestExecChildrenDieWithNsh(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: cannot find nsh's children")
	}
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep program")
	}
	cases := []struct {
		name, code string
		sig        syscall.Signal
		status     int
		procs      int // processes expected in the child's group
	}{
		{"SIGTERM main chunk", `print("go"); io.stdout:flush(); exec.run{"sleep", "1000"}`, syscall.SIGTERM, 143, 1},
		{"SIGHUP task pipeline", `spawn(function() exec.shell("sleep 1000 | cat") end); print("go"); io.stdout:flush()`, syscall.SIGHUP, 129, 3},
		{"SIGINT task", `spawn(function() exec.run{"sleep", "1000"} end); print("go"); io.stdout:flush(); sleep(1000)`, syscall.SIGINT, 130, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			script := filepath.Join(t.TempDir(), "child.lua")
			writeFile(t, script, c.code)
			p := nshtest.Start(t, script)
			p.WaitLine(t, "^go$", 20*time.Second)
			nsh := p.Cmd.Process.Pid
			var group []int
			deadline := time.Now().Add(20 * time.Second)
			for len(group) < c.procs && time.Now().Before(deadline) {
				group = group[:0]
				leader := 0
				procs := readProcs(t)
				for _, ps := range procs {
					if ps.ppid == nsh && ps.pgrp == ps.pid {
						leader = ps.pid
					}
				}
				for _, ps := range procs {
					if leader != 0 && ps.pgrp == leader {
						group = append(group, ps.pid)
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
			if len(group) < c.procs {
				t.Fatalf("found %d processes of nsh's child group, want %d", len(group), c.procs)
			}
			if err := p.Cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			err := waitExit(p.Cmd, 20*time.Second)
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != c.status {
				t.Fatalf("after %v: %v, want exit status %d; stderr %q", c.sig, err, c.status, p.Stderr.String())
			}
			// nsh reaped its child before exiting; a pipeline's others were
			// killed with the group and init reaps them.
			for _, pid := range group {
				for end := time.Now().Add(5 * time.Second); alive(pid) && time.Now().Before(end); {
					time.Sleep(20 * time.Millisecond)
				}
				if alive(pid) {
					syscall.Kill(pid, syscall.SIGKILL)
					t.Fatalf("process %d of nsh's child group outlived nsh's %v", pid, c.sig)
				}
			}
			if _, err := os.Stat("/proc/" + strconv.Itoa(group[0])); err == nil {
				t.Fatalf("child %d is a zombie: nsh did not reap it", group[0])
			}
		})
	}
}
