package progress

import (
	"os"
	"time"
)

// Fake makes new bars use clock now and see a terminal when tty is set; the
// returned function restores the real ones.
func Fake(now func() time.Time, tty bool) (restore func()) {
	oldClock, oldTerm := clock, isTerminal
	clock = now
	isTerminal = func(*os.File) bool { return tty }
	return func() { clock, isTerminal = oldClock, oldTerm }
}
