package bench

import (
	"math/bits"
	"time"
)

// hist is a log-linear latency histogram: values below 64 ns are exact, and
// every power of two above is split in 64 buckets, so a quantile is within
// about 1.6% of the true value (up to
// about 137 s; longer waits count as 137 s). Recording is a few instructions and no
// allocation; one hist per connection, merged at the end.
type hist struct {
	counts [histBuckets]uint32
	n      int64
	max    time.Duration
}

const (
	histSub     = 64 // buckets per power of two
	histShift   = 6  // log2(histSub)
	histMaxBits = 37 // 2^37 ns is about 137 s, beyond any run
	histBuckets = (histMaxBits-histShift)*histSub + histSub
)

func histIndex(v uint64) int {
	if v >= 1<<histMaxBits {
		return histBuckets - 1
	}
	if v < histSub {
		return int(v)
	}
	e := bits.Len64(v) - histShift - 1 // v>>e is in [64, 128)
	return (e+1)*histSub + int(v>>e) - histSub
}

// histValue returns the middle of bucket i.
func histValue(i int) time.Duration {
	if i < histSub {
		return time.Duration(i)
	}
	e := i/histSub - 1
	lo := uint64(i%histSub+histSub) << e
	return time.Duration(lo + (uint64(1)<<e)/2)
}

func (h *hist) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[histIndex(uint64(d))]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// quantile returns the value below which a fraction q of the samples fall.
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n-1)) + 1
	var seen int64
	for i, c := range h.counts {
		seen += int64(c)
		if seen >= rank {
			return min(histValue(i), h.max)
		}
	}
	return h.max
}
