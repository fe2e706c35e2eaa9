package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"nsh/internal/nshtest"
	"nsh/plugins/plugintest"
)

func TestMain(m *testing.M) { nshtest.Main(m) }

func TestLua(t *testing.T) {
	L := plugintest.NewState(t, plugintest.NewHost(t), "queue")
	plugintest.RunLuaTests(t, L, "test/queue_test.lua")
}

// TestREADMEExample runs the README's example in the nsh binary, where
// spawn makes real tasks, and compares what it prints.
func TestREADMEExample(t *testing.T) {
	code, want := plugintest.READMEExample(t, "README.md")
	r := nshtest.Run(t, "", 60*time.Second, "-e", code)
	if r.Code != 0 || r.Stdout != want {
		t.Fatalf("exit %d, printed:\n%s\nwant:\n%s\nstderr: %s", r.Code, r.Stdout, want, r.Stderr)
	}
}

// TestManyProducers: 100 goroutines × itemsPerProducer items through a
// small queue to 4 consumers: every item arrives once, each producer's in
// order. Run with -race it checks the wake-ups.
func TestManyProducers(t *testing.T) {
	const producers = 100
	per := itemsPerProducer
	q := New(16)
	ctx := context.Background()
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range per {
				if err := q.Push(ctx, [2]int{p, i}, -1); err != nil {
					t.Errorf("push: %v", err)
					return
				}
			}
		})
	}
	got := make([][]int, producers)
	var mu sync.Mutex
	var cwg sync.WaitGroup
	for range 4 {
		cwg.Go(func() {
			for {
				v, err := q.Pop(ctx, -1)
				if err == errClosed {
					return
				}
				if err != nil {
					t.Errorf("pop: %v", err)
					return
				}
				it := v.([2]int)
				mu.Lock()
				got[it[0]] = append(got[it[0]], it[1])
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	q.Close()
	cwg.Wait()
	for p, items := range got {
		if len(items) != per {
			t.Fatalf("producer %d: %d items arrived, want %d", p, len(items), per)
		}
		// 4 consumers may append out of order; each item once is what counts here
		seen := make([]bool, per)
		for _, i := range items {
			if seen[i] {
				t.Fatalf("producer %d: item %d arrived twice", p, i)
			}
			seen[i] = true
		}
	}
}

// TestOrderPerProducer: with one consumer, each producer's items come out
// in the order it pushed them.
func TestOrderPerProducer(t *testing.T) {
	q := New(4)
	ctx := context.Background()
	var wg sync.WaitGroup
	for p := range 10 {
		wg.Go(func() {
			for i := range 1000 {
				q.Push(ctx, [2]int{p, i}, -1)
			}
		})
	}
	go func() { wg.Wait(); q.Close() }()
	next := make([]int, 10)
	for {
		v, err := q.Pop(ctx, -1)
		if err != nil {
			break
		}
		it := v.([2]int)
		if it[1] != next[it[0]] {
			t.Fatalf("producer %d: got item %d, want %d", it[0], it[1], next[it[0]])
		}
		next[it[0]]++
	}
	for p, n := range next {
		if n != 1000 {
			t.Fatalf("producer %d: %d items", p, n)
		}
	}
}

// TestWaitEnds: a blocked pop wakes with interrupted, timeout or closed;
// a blocked push likewise; a waiter that leaves passes its wake-up on.
func TestWaitEnds(t *testing.T) {
	q := New(1)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := q.Pop(ctx, -1); errc <- err }()
	waitWaiters(t, q, func() int { return len(q.poppers) }, 1)
	cancel()
	if err := <-errc; err != errInterrupted {
		t.Fatalf("cancelled pop: %v, want interrupted", err)
	}
	if _, err := q.Pop(context.Background(), 10*time.Millisecond); err != errTimeout {
		t.Fatalf("pop with timeout: %v", err)
	}
	q.Push(context.Background(), 1, -1)
	go func() { errc <- q.Push(context.Background(), 2, -1) }()
	waitWaiters(t, q, func() int { return len(q.pushers) }, 1)
	q.Close()
	if err := <-errc; err != errClosed {
		t.Fatalf("push blocked on a closed queue: %v, want closed", err)
	}
	if v, err := q.Pop(context.Background(), -1); v != 1 || err != nil {
		t.Fatalf("drain: %v %v", v, err)
	}
	if _, err := q.Pop(context.Background(), -1); err != errClosed {
		t.Fatalf("drained: %v", err)
	}
}

// TestWakeUpPassedOn: of two poppers, the first is woken by a push and
// leaves (cancelled) at the same time; the item still reaches the second.
func TestWakeUpPassedOn(t *testing.T) {
	q := New(0)
	ctx1, cancel1 := context.WithCancel(context.Background())
	got := make(chan any, 2)
	go func() { v, _ := q.Pop(ctx1, -1); got <- v }()
	waitWaiters(t, q, func() int { return len(q.poppers) }, 1)
	go func() { v, _ := q.Pop(context.Background(), 5*time.Second); got <- v }()
	waitWaiters(t, q, func() int { return len(q.poppers) }, 2)
	q.mu.Lock() // wake the first and cancel it before it runs
	q.items = append(q.items, "x")
	q.wakeLocked(&q.poppers)
	cancel1()
	q.mu.Unlock()
	a, b := <-got, <-got
	if (a == "x") == (b == "x") {
		t.Fatalf("the item went to %v and %v: want exactly one x", a, b)
	}
}

func waitWaiters(t *testing.T, q *Queue, n func() int, want int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		q.mu.Lock()
		got := n()
		q.mu.Unlock()
		if got >= want {
			return
		}
	}
	t.Fatalf("never %d waiters", want)
}

// TestReady: the Waitable side for select.
func TestReady(t *testing.T) {
	q := New(1)
	if ok, ch := q.Ready(false); ok || ch == nil {
		t.Fatalf("empty queue readable: %v", ok)
	}
	_, ch := q.Ready(false)
	q.TryPush(1)
	select {
	case <-ch:
	default:
		t.Fatal("push did not signal the watcher")
	}
	if ok, _ := q.Ready(false); !ok {
		t.Fatal("queue with an item not readable")
	}
	if ok, _ := q.Ready(true); ok {
		t.Fatal("full queue writable")
	}
	q.Close()
	if ok, _ := q.Ready(true); !ok {
		t.Fatal("closed queue must be ready (push returns at once)")
	}
}
