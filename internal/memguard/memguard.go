// Package memguard is nsh's memory guard: the one limit every allocation a
// script can size (string.rep, string.format widths, table.concat, hex and
// codec outputs, json.decode, fs.read, recv sizes...) is checked against
// before it is made, so a single line of Lua gets a clear error instead of
// killing the whole shell with Go's "fatal error: out of memory".
//
// The limit is per allocation, not a budget: the point is that no one value
// a script asks for can be bigger than the machine can give. It defaults to
// a quarter of the RAM (or of a lower cgroup or RLIMIT_AS limit) and is set by
// `--max-mem SIZE` or NSH_MAX_MEM. The package imports only the standard
// library, so the Lua fork's hook, the shell and every plugin can use it.
package memguard

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// limit is the current limit in bytes; 0 until first read (then Default).
var (
	limit  atomic.Int64
	source atomic.Value // string: how the limit was set ("--max-mem", "NSH_MAX_MEM", "")
	once   sync.Once
)

// Limit returns the largest size, in bytes, one allocation may have.
func Limit() int64 {
	once.Do(func() {
		if limit.Load() == 0 {
			limit.Store(Default())
		}
	})
	return limit.Load()
}

// Set makes n bytes the limit; how names where it came from ("--max-mem",
// "NSH_MAX_MEM", or "" for the default), which the error message quotes so
// a user knows which knob to turn. n <= 0 restores the default.
func Set(n int64, how string) {
	once.Do(func() {})
	if n <= 0 {
		n, how = Default(), ""
	}
	limit.Store(n)
	source.Store(how)
}

// Source is how the current limit was set: "--max-mem", "NSH_MAX_MEM" or "".
func Source() string {
	s, _ := source.Load().(string)
	return s
}

// Error is a refused allocation: what asked for how many bytes, and the
// limit it exceeds. Its text is the whole Lua error message.
type Error struct {
	What  string // the Lua function, "string.rep"
	Size  int64  // bytes asked for; math.MaxInt64 when the size overflowed
	Limit int64
	How   string // Source() at the time
}

func (e *Error) Error() string {
	if e.Size == math.MaxInt64 {
		return e.What + ": resulting string too large"
	}
	h := "; --max-mem or NSH_MAX_MEM"
	if e.How != "" {
		h = "; " + e.How
	}
	return fmt.Sprintf("%s: result of %s exceeds the memory limit (%s%s)", e.What, Format(e.Size), Format(e.Limit), h)
}

// Check returns nil when an allocation of size bytes is within the limit,
// and otherwise an *Error naming what (the Lua function) and the size. A
// negative size counts as an overflow (pass Mul/Add results unchecked).
func Check(what string, size int64) error {
	lim := Limit()
	if size < 0 {
		size = math.MaxInt64
	}
	if size <= lim {
		return nil
	}
	return &Error{What: what, Size: size, Limit: lim, How: Source()}
}

// CheckFloat is Check for a size computed in Lua numbers (2^62 * 3 does
// not fit an int64; NaN and negatives count as too large).
func CheckFloat(what string, size float64) error {
	if !(size >= 0) || size >= math.MaxInt64 {
		return Check(what, -1)
	}
	return Check(what, int64(size))
}

// Mul is a*b, or -1 when it overflows (or either is negative), for Check.
func Mul(a, b int64) int64 {
	if a < 0 || b < 0 {
		return -1
	}
	if a != 0 && b > math.MaxInt64/a {
		return -1
	}
	return a * b
}

// Add is a+b, or -1 when it overflows (or either is negative), for Check.
func Add(a, b int64) int64 {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return -1
	}
	return a + b
}
