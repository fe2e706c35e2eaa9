package perf

import (
	"runtime"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// taskOptions are the shell's options for a task's Lua thread (shell's
// luaOptions): a growable registry and an auto-growing call stack.
var taskOptions = lua.Options{CallStackSize: 1024, RegistrySize: 128, RegistryMaxSize: 1 << 20,
	RegistryGrowStep: 128, MinimizeStackMemory: true}

// TestThreadIsSmall: the fork's nsh_small.go patch. A new thread costs
// what it uses (a 32-slot registry, one call-frame segment), not its
// limits; ten thousand idle connections are ten thousand threads.
func TestThreadIsSmall(t *testing.T) {
	L := lua.NewState(taskOptions)
	defer L.Close()
	per := heapPer(2000, func() any { co, _ := L.NewThread(); return co })
	t.Logf("%.0f bytes per thread", per)
	// Before the patch: 4,781 bytes (a 2 KiB registry, a 1 KiB segment
	// index); after: 1,885.
	if per > 3000 {
		t.Errorf("a new thread holds %.0f bytes, want at most 3000", per)
	}
}

// heapPer returns the heap bytes each of n values made by mk holds, all
// of them alive, after a collection.
func heapPer(n int, mk func() any) float64 {
	keep := make([]any, 0, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		keep = append(keep, mk())
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

// TestThreadGrowsToItsLimits: the small thread still grows: deep
// recursion (more call frames than the segment index started with) and
// many values on the stack (more than the registry started with) work,
// and going past CallStackSize is Lua's "stack overflow" error.
func TestThreadGrowsToItsLimits(t *testing.T) {
	L := lua.NewState(taskOptions)
	defer L.Close()
	co, _ := L.NewThread()
	err := co.DoString(`
		local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
		assert(depth(900) == 900)
		local function many(...) return select('#', ...) end
		assert(many((table.unpack or unpack)({})) == 0)
		local t = {}
		for i = 1, 5000 do t[i] = i end
		assert(many((table.unpack or unpack)(t)) == 5000)
		assert(depth(900) == 900) -- again, after the segments were freed
	`)
	if err != nil {
		t.Fatal(err)
	}
	err = co.DoString(`local function f(n) return 1 + f(n + 1) end return f(0)`)
	if err == nil || !strings.Contains(err.Error(), "stack overflow") {
		t.Fatalf("recursion past CallStackSize: %v, want a stack overflow error", err)
	}
	if err := co.DoString(`local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end assert(d(500) == 500)`); err != nil {
		t.Fatalf("the thread after a stack overflow: %v", err)
	}
}
