package shell

import (
	"context"
	"time"
)

// The session lock, for the REPL and the lesson runner: Lua runs only while
// it is held (see Block for the calls that release it).

// Lock takes the session lock.
func (s *Session) Lock() { s.mu.Lock() }

// Unlock releases the session lock.
func (s *Session) Unlock() { s.mu.Unlock() }

// LockCtx takes the session lock, giving up when ctx ends first.
func (s *Session) LockCtx(ctx context.Context) bool {
	if s.mu.TryLock() {
		return true
	}
	got := make(chan struct{})
	go func() {
		s.mu.Lock()
		close(got)
	}()
	select {
	case <-got:
		return true
	case <-ctx.Done():
		go func() {
			<-got
			s.mu.Unlock()
		}()
		return false
	}
}

// ThenUnlock runs fn, which needs the session lock the caller took, and
// releases the lock even if fn panics.
func (s *Session) ThenUnlock(fn func()) {
	defer s.mu.Unlock()
	fn()
}

// WithLock runs fn holding the session lock if the lock comes free within
// wait (and before parent ends), so the prompt and dot-commands that only
// read the Lua state stay responsive beside a task holding it. It reports
// whether fn ran.
func (s *Session) WithLock(parent context.Context, wait time.Duration, fn func()) bool {
	ctx, cancel := context.WithTimeout(parent, wait)
	defer cancel()
	if !s.LockCtx(ctx) {
		return false
	}
	s.ThenUnlock(fn)
	return true
}
