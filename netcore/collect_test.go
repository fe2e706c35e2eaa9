package netcore

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestCollectGarbageWaitsForCleanups: the cleanups of objects that became
// unreachable have all run when CollectGarbage returns.
func TestCollectGarbageWaitsForCleanups(t *testing.T) {
	var ran atomic.Int64
	const n = 1000
	for i := 0; i < n; i++ {
		p := new([64]byte)
		runtime.AddCleanup(p, func(int) { time.Sleep(10 * time.Microsecond); ran.Add(1) }, i)
	}
	if !CollectGarbage(10 * time.Second) {
		t.Fatal("the cleanup queue did not drain")
	}
	if got := ran.Load(); got != n {
		t.Fatalf("%d of %d cleanups ran", got, n)
	}
}
