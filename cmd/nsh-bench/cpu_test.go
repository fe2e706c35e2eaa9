package main

import (
	"os"
	"testing"
	"time"
)

func TestParseStatTimes(t *testing.T) {
	// a name with a space and a parenthesis, as a process may call itself
	line := "4242 (nsh (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 37 0 0 20 0 9 0 1000 1 1 \n"
	u, s, err := parseStatTimes(line)
	if err != nil || u != 2500*time.Millisecond || s != 370*time.Millisecond {
		t.Fatalf("parseStatTimes = %v, %v, %v; want 2.5s, 370ms", u, s, err)
	}
	for _, bad := range []string{"", "12 nsh S 1 2", "1 (a) S 1 2 3 4 5 6 7 8 9 x y"} {
		if _, _, err := parseStatTimes(bad); err == nil {
			t.Errorf("parseStatTimes(%q): no error", bad)
		}
	}
}

// TestProcCPUCounts: our own CPU time, read the way the cpu section reads
// a server's, grows while we compute.
func TestProcCPUCounts(t *testing.T) {
	u0, s0, err := procCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	x, deadline := 0, time.Now().Add(10*time.Second)
	for {
		for i := range 1 << 20 {
			x ^= i * i
		}
		u1, s1, err := procCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if u1+s1 > u0+s0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU time did not grow in 10 s of computing (%v)", x)
		}
	}
}
