package main

import (
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
