package netcore

import (
	"runtime"
	"runtime/metrics"
	"time"
)

// CollectGarbage runs the garbage collector and waits, at most wait, until
// the cleanups (runtime.AddCleanup) that collection queued have run. The Lua
// layer closes a socket nothing refers to in such a cleanup, so after
// CollectGarbage those sockets are closed and their descriptors free. It
// reports whether the queue drained in time.
func CollectGarbage(wait time.Duration) bool {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/cleanups/queued:cleanups"}, {Name: "/gc/cleanups/executed:cleanups"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return false // a runtime without the counters: the caller retries anyway
	}
	queued := s[0].Value.Uint64()
	deadline := time.Now().Add(wait)
	for pause := 20 * time.Microsecond; ; pause = min(2*pause, 5*time.Millisecond) {
		metrics.Read(s)
		if s[1].Value.Uint64() >= queued {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pause)
	}
}
