package main

import (
	"os"
	"testing"
	"time"
)

// cpuTicks reads this process's own utime+stime, and they grow with work.
func TestCPUTicks(t *testing.T) {
	t0 := cpuTicks(os.Getpid())
	if t0 < 0 {
		t.Fatal("cpuTicks of this process: unreadable")
	}
	x := 0
	for end := time.Now().Add(100 * time.Millisecond); time.Now().Before(end); {
		x++
	}
	if t1 := cpuTicks(os.Getpid()); t1 <= t0 {
		t.Fatalf("cpuTicks %d then %d after 100 ms of work (%d)", t0, t1, x)
	}
	if cpuTicks(-1) != -1 {
		t.Fatal("cpuTicks of no process should be -1")
	}
}
