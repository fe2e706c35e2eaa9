package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is how much the heap may grow past the live data before the
// collector runs, however small the live heap is. Go's default (GOGC=100)
// lets a 4 MiB heap grow by 4 MiB, so a server moving 16 KiB messages
// through Lua strings collects hundreds of times a second; with 32 MiB of
// headroom it spends about a third less CPU per message. Once the live heap
// passes 32 MiB (thousands of connections) this is GOGC=100 again.
const gcHeadroom = 32 << 20

// tuneGC starts adjusting the collector's GOGC percentage after every
// collection so that the next one comes after max(live, gcHeadroom) more
// bytes. It does nothing when the user set GOGC or GOMEMLIMIT.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	t := newGCTuner()
	t.retune()
	t.arm()
}

type gcTuner struct {
	sample  []metrics.Sample
	percent int
}

// gcTick is garbage from birth: its finalizer runs after the next
// collection, retunes and arms a new one. It has a pointer so that it is
// never a tiny allocation (whose finalizers may never run).
type gcTick struct{ t *gcTuner }

func newGCTuner() *gcTuner {
	return &gcTuner{sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}, percent: 100}
}

func (t *gcTuner) arm() {
	runtime.SetFinalizer(&gcTick{t: t}, func(k *gcTick) {
		k.t.retune()
		k.t.arm()
	})
}

func (t *gcTuner) retune() {
	metrics.Read(t.sample)
	if t.sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	p := gcPercentFor(t.sample[0].Value.Uint64(), gcHeadroom)
	// Small changes are not worth a call into the runtime.
	if p*10 < t.percent*9 || p*10 > t.percent*11 {
		t.percent = p
		debug.SetGCPercent(p)
	}
}

// gcPercentFor returns the GOGC percentage that lets a heap with live bytes
// grow by max(live, headroom) before the next collection. The runtime never
// sets the goal below its 4 MiB minimum heap times GOGC/100, so a live heap
// under 4 MiB counts as 4 MiB: otherwise a nearly empty heap would get
// GOGC=10000 and no collection until 400 MiB of garbage (10,000 idle
// connections held 23 KiB of RSS each, most of it garbage).
func gcPercentFor(live, headroom uint64) int {
	const minHeap = 4 << 20
	return max(100, int(headroom*100/max(live, minHeap)))
}
