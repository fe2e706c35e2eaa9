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
	// Work until a tick of CPU has passed: on a loaded host 100 ms of wall
	// time may hold less than one 10 ms tick of ours.
	x := 0
	for end := time.Now().Add(10 * time.Second); cpuTicks(os.Getpid()) <= t0; x++ {
		if time.Now().After(end) {
			t.Fatalf("cpuTicks stayed %d through 10 s of work (%d)", t0, x)
		}
		for i := range 1 << 16 {
			x ^= i
		}
	}
	if cpuTicks(-1) != -1 {
		t.Fatal("cpuTicks of no process should be -1")
	}
}
