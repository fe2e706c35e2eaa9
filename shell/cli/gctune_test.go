package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live, headroom uint64
		want           int
	}{
		{0, 32 * mib, 800},
		{1 * mib, 32 * mib, 800},
		{4 * mib, 32 * mib, 800},
		{16 * mib, 32 * mib, 200},
		{32 * mib, 32 * mib, 100},
		{500 * mib, 32 * mib, 100},
		{100, 32 * mib, 800},
		{8 * mib, 32 * mib, 400},
	} {
		if got := gcPercentFor(tc.live, tc.headroom); got != tc.want {
			t.Errorf("gcPercentFor(%d, %d) = %d, want %d", tc.live, tc.headroom, got, tc.want)
		}
	}
}

// TestGCTunerFollowsCollections checks that the tuner sets a percentage at
// once and keeps re-arming itself across collections.
func TestGCTunerFollowsCollections(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	old := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(old) })
	tr := newGCTuner()
	tr.retune()
	if tr.percent <= 100 {
		t.Fatalf("percent %d with a small live heap, want more than 100", tr.percent)
	}
	done := make(chan struct{})
	runtime.SetFinalizer(&gcTick{t: tr}, func(*gcTick) { close(done) })
	for i := 0; i < 20; i++ {
		runtime.GC()
		select {
		case <-done:
			return
		default:
		}
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the finalizer of a gcTick did not run after 20 collections")
	}
}
