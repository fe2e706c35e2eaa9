package memguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// ErrTooLong is what ReadAll's error Is when the input goes on past its
// bound.
var ErrTooLong = errors.New("input longer than the limit")

// TooLongError is ReadAll's error for an input past its bound: What (the
// operation and the file), Max the bound, ByLimit when the bound was the
// memory limit rather than the caller's maximum.
type TooLongError struct {
	What    string
	Max     int64
	ByLimit bool
}

func (e *TooLongError) Error() string {
	if e.ByLimit {
		return fmt.Sprintf("%s: more than %s, the memory limit (%s)", e.What, Format(e.Max), hint()[2:])
	}
	return fmt.Sprintf("%s: more than max=%d bytes", e.What, e.Max)
}

// Is makes errors.Is(err, ErrTooLong) true.
func (e *TooLongError) Is(target error) bool { return target == ErrTooLong }

// ReadAll reads r to its end as io.ReadAll does, but never past maxBytes
// (<= 0: the memory limit) nor past the memory limit, and it stops
// when ctx is done (Ctrl-C, task:cancel) between two reads of at most 1 MiB,
// so reading /dev/zero ends with an error instead of the process. The
// error names what: "fs.read: /dev/zero: more than 12 GB (the memory
// limit (--max-mem)"; its error is a *TooLongError. A reader that blocks must be closed by the caller on
// cancellation; ReadAll only checks ctx between reads.
func ReadAll(ctx context.Context, r io.Reader, what string, maxBytes int64) ([]byte, error) {
	lim, byLimit := Limit(), true
	if maxBytes > 0 && maxBytes < lim {
		lim, byLimit = maxBytes, false
	}
	buf := make([]byte, 0, min(lim, 64<<10)+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if int64(len(buf)) > lim {
			return nil, &TooLongError{What: what, Max: lim, ByLimit: byLimit}
		}
		if len(buf) == cap(buf) {
			grow := min(int64(cap(buf)), 1<<20, lim+1-int64(len(buf)))
			buf = slices.Grow(buf, int(max(grow, 1)))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > lim {
				continue // report the overflow above
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// hint is "; --max-mem" or the like, for messages.
func hint() string {
	if s := Source(); s != "" {
		return "; " + s
	}
	return "; --max-mem or NSH_MAX_MEM"
}
