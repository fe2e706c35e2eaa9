package bench

import (
	"testing"
	"time"
)

func TestHistQuantiles(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {1, 1000 * time.Microsecond}} {
		got := h.quantile(tc.q)
		if d := float64(got-tc.want) / float64(tc.want); d > 0.02 || d < -0.02 {
			t.Errorf("quantile(%v) = %v, want %v within 2%%", tc.q, got, tc.want)
		}
	}
	if h.max != time.Millisecond || h.n != 1000 {
		t.Errorf("max %v n %d", h.max, h.n)
	}
}

func TestHistIndexMonotonic(t *testing.T) {
	prev := -1
	for _, v := range []uint64{0, 1, 63, 64, 65, 127, 128, 1000, 1 << 20, 1<<37 - 1, 1 << 37, 1 << 62} {
		i := histIndex(v)
		if i < prev || i >= histBuckets {
			t.Fatalf("histIndex(%d) = %d after %d (buckets %d)", v, i, prev, histBuckets)
		}
		if v < 1<<histMaxBits {
			if mid := uint64(histValue(i)); float64(mid) < float64(v)*0.98 || float64(mid) > float64(v)*1.02+1 {
				t.Errorf("histValue(histIndex(%d)) = %d, not within 2%%", v, mid)
			}
		}
		prev = i
	}
}

func TestHistMerge(t *testing.T) {
	var a, b hist
	a.record(time.Millisecond)
	b.record(3 * time.Millisecond)
	b.record(-1)
	a.merge(&b)
	if a.n != 3 || a.max != 3*time.Millisecond || a.quantile(0) != 0 {
		t.Errorf("merged: n %d max %v q0 %v", a.n, a.max, a.quantile(0))
	}
}
