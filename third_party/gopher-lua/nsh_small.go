package lua

// nsh patch: a small thread. nsh runs every connection of a server in a
// task, a Lua thread of its own, so what a thread allocates before it runs
// is paid ten thousand times by a server holding ten thousand idle
// connections. Two allocations were sized for the largest thread rather
// than the usual one:
//
//   - the auto-growing call-frame stack (MinimizeStackMemory) made its
//     whole segment index up front, CallStackSize/FramesPerSegment
//     pointers (1 KiB for 1024 frames) for a task that is 3 frames deep;
//     the index now grows by append, up to the same limit;
//   - a thread's registry (its value stack) started at RegistrySize
//     slots (nsh: 128, 2 KiB) although it grows on demand when
//     RegistryMaxSize allows; a thread sharing a parent's global state
//     now starts at threadRegistryStart slots and grows the same way.

// threadRegistryStart is the registry size a new thread starts with when
// its registry may grow (RegistryMaxSize > RegistrySize).
const threadRegistryStart = 32

// initialRegistrySize is the registry size newLState allocates: the main
// state (g == nil) and fixed-size registries keep RegistrySize.
func initialRegistrySize(o Options, g *Global) int {
	if g != nil && o.RegistryMaxSize > o.RegistrySize && o.RegistrySize > threadRegistryStart {
		return threadRegistryStart
	}
	return o.RegistrySize
}

// newSmallCallFrameStack returns an auto-growing call-frame stack of at
// most maxSize frames whose segment index starts with room for four
// segments (32 frames).
func newSmallCallFrameStack(maxSize int) *autoGrowingCallFrameStack {
	maxSegs := max((maxSize+(FramesPerSegment-1))/FramesPerSegment, 1)
	cs := &autoGrowingCallFrameStack{
		segments: make([]*callFrameStackSegment, 1, min(maxSegs, 4)),
		maxSegs:  maxSegs,
	}
	cs.segments[0] = newCallFrameStackSegment()
	return cs
}

// pushSegment starts the next segment (the caller checked maxSegs) and
// returns it.
func (cs *autoGrowingCallFrameStack) pushSegment() *callFrameStackSegment {
	seg := newCallFrameStackSegment()
	cs.segIdx++
	if int(cs.segIdx) < len(cs.segments) {
		cs.segments[cs.segIdx] = seg
	} else {
		cs.segments = append(cs.segments, seg)
	}
	cs.segSp = 0
	return seg
}
