package perf

import (
	"context"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// TestContextStopsLoop: the fork's VM reads the context's Done channel
// saved by SetContext (NSH-PATCH.md, "the context's Done channel"): a
// cancelled context still stops a busy loop, in the state and in a thread
// made from it, and a state whose context was removed runs on.
func TestContextStopsLoop(t *testing.T) {
	for _, thread := range []bool{false, true} {
		L := lua.NewState()
		ctx, cancel := context.WithCancel(context.Background())
		L.SetContext(ctx)
		run := L
		if thread {
			run, _ = L.NewThread()
		}
		done := make(chan error, 1)
		go func() { done <- run.DoString(`while true do end`) }()
		time.AfterFunc(20*time.Millisecond, cancel)
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "context canceled") {
				t.Errorf("thread=%v: a cancelled loop ended with %v, want 'context canceled'", thread, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("thread=%v: a cancelled loop did not stop", thread)
		}
		L.Close()
	}
	L := lua.NewState()
	defer L.Close()
	ctx, cancel := context.WithCancel(context.Background())
	L.SetContext(ctx)
	cancel()
	L.RemoveContext()
	if err := L.DoString(`local n = 0 for i = 1, 1000 do n = n + 1 end assert(n == 1000)`); err != nil {
		t.Fatalf("after RemoveContext: %v", err)
	}
}
