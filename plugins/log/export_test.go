package log

import "time"

// SetClock replaces the clock for a test and returns a function that puts
// the real one back.
func SetClock(f func() time.Time) (restore func()) {
	old := clock
	clock = f
	return func() { clock = old }
}
