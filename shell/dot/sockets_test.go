package dot

import (
	"testing"
	"time"
)

func TestProcAddr(t *testing.T) {
	for in, want := range map[string]string{
		"0100007F:1F90":                         "127.0.0.1:8080",
		"00000000000000000000000001000000:0050": "[::1]:80",
		"0000000000000000FFFF00000100007F:0016": "[::ffff:127.0.0.1]:22",
	} {
		got, ok := procAddr(in)
		if !ok || got.String() != want {
			t.Errorf("procAddr(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	if _, ok := procAddr("nonsense"); ok {
		t.Error("procAddr accepted nonsense")
	}
}

func TestTimeWaitAge(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"03:00001770": 0,                // 6000 ticks left: just closed
		"03:000003E8": 50 * time.Second, // 1000 ticks left
		"03:00000000": timeWaitLen,
		"nonsense":    0,
	} {
		if got := timeWaitAge(in); got != want {
			t.Errorf("timeWaitAge(%q) = %v, want %v", in, got, want)
		}
	}
}
