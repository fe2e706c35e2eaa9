package queue

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Errors a push or pop returns; their texts are the Lua error words.
var (
	errClosed      = errors.New("closed")
	errTimeout     = errors.New("timeout")
	errInterrupted = errors.New("interrupted")
)

// Queue is a FIFO of values, safe between goroutines, bounded when cap > 0.
// It holds any Go value; the Lua side stores Lua values, which only the
// task holding the session lock touches, so the queue itself never looks
// inside them.
//
// A task that cannot go on (pop on empty, push on full) waits on its own
// channel, in FIFO order; each push wakes one popper and each pop one
// pusher (no thundering herd with a hundred producers on a full queue). A
// woken waiter that leaves without taking its turn (timeout, interrupt)
// passes the wake-up on.
type Queue struct {
	mu      sync.Mutex
	items   []any // items[head:] are queued
	head    int
	cap     int // 0: unbounded
	closed  bool
	poppers []chan struct{}
	pushers []chan struct{}
	// watch is closed at the next change of state (select waits on it);
	// nil while nobody watches.
	watch chan struct{}
}

// New returns a queue holding at most capacity items (0: no limit).
func New(capacity int) *Queue { return &Queue{cap: capacity} }

// Len is the number of queued items.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) - q.head
}

// Cap is the capacity (0: unbounded).
func (q *Queue) Cap() int { return q.cap }

// Closed reports whether Close was called.
func (q *Queue) Closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

func (q *Queue) full() bool { return q.cap > 0 && len(q.items)-q.head >= q.cap }

// TryPush queues v if there is room; ok false means the queue is full.
func (q *Queue) TryPush(v any) (ok bool, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.tryPushLocked(v)
}

func (q *Queue) tryPushLocked(v any) (bool, error) {
	if q.closed {
		return false, errClosed
	}
	if q.full() {
		return false, nil
	}
	if q.head > 0 && q.head >= len(q.items)/2 {
		// reuse the front half instead of growing for ever
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, v)
	q.wakeLocked(&q.poppers)
	return true, nil
}

// TryPop takes the first item; ok false means the queue is empty (err is
// errClosed when it is also closed).
func (q *Queue) TryPop() (v any, ok bool, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.tryPopLocked()
}

func (q *Queue) tryPopLocked() (any, bool, error) {
	if q.head == len(q.items) {
		if q.closed {
			return nil, false, errClosed
		}
		return nil, false, nil
	}
	v := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	q.wakeLocked(&q.pushers)
	return v, true, nil
}

// wakeLocked wakes the first waiter of list, and whoever watches.
func (q *Queue) wakeLocked(list *[]chan struct{}) {
	if len(*list) > 0 {
		close((*list)[0])
		*list = (*list)[1:]
	}
	if q.watch != nil {
		close(q.watch)
		q.watch = nil
	}
}

// Push queues v, waiting while the queue is full until ctx ends or timeout
// (< 0: no limit) passes.
func (q *Queue) Push(ctx context.Context, v any, timeout time.Duration) error {
	_, err := q.wait(ctx, timeout, &q.pushers, func() (any, bool, error) {
		ok, err := q.tryPushLocked(v)
		return nil, ok, err
	})
	return err
}

// Pop takes the first item, waiting while the queue is empty like Push.
// A closed queue gives its remaining items, then errClosed.
func (q *Queue) Pop(ctx context.Context, timeout time.Duration) (any, error) {
	return q.wait(ctx, timeout, &q.poppers, q.tryPopLocked)
}

// wait retries try, queueing on list between tries, until it succeeds or
// fails, ctx ends or the timeout passes.
func (q *Queue) wait(ctx context.Context, timeout time.Duration, list *[]chan struct{}, try func() (any, bool, error)) (any, error) {
	var timer <-chan time.Time
	if timeout >= 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	for {
		q.mu.Lock()
		v, ok, err := try()
		if ok || err != nil {
			q.mu.Unlock()
			return v, err
		}
		if ctx.Err() != nil {
			q.mu.Unlock()
			return nil, errInterrupted
		}
		me := make(chan struct{})
		*list = append(*list, me)
		q.mu.Unlock()
		select {
		case <-me:
			continue // our turn: try again
		case <-ctx.Done():
			err = errInterrupted
		case <-timer:
			err = errTimeout
		}
		q.leave(list, me)
		return nil, err
	}
}

// leave takes me off list; if me was woken meanwhile, the wake-up goes to
// the next waiter so that no item or free slot waits for nobody.
func (q *Queue) leave(list *[]chan struct{}, me chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, c := range *list {
		if c == me {
			*list = append((*list)[:i:i], (*list)[i+1:]...)
			return
		}
	}
	// woken already: pass it on
	if len(*list) > 0 {
		close((*list)[0])
		*list = (*list)[1:]
	}
}

// Close ends the queue: pushes fail with errClosed, pops drain what is
// queued, then fail with errClosed. Every waiter wakes. Closing twice is
// harmless.
func (q *Queue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	for _, list := range []*[]chan struct{}{&q.poppers, &q.pushers} {
		for _, c := range *list {
			close(c)
		}
		*list = nil
	}
	if q.watch != nil {
		close(q.watch)
		q.watch = nil
	}
}

// Ready implements plugins.Waitable: a pop (write false) or push would not
// block. A closed queue is ready both ways: the call returns at once.
func (q *Queue) Ready(write bool) (bool, <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	switch {
	case q.closed, write && !q.full(), !write && q.head < len(q.items):
		return true, nil
	}
	if q.watch == nil {
		q.watch = make(chan struct{})
	}
	return false, q.watch
}
