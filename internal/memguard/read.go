package memguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// ErrTooLong is wrapped by ReadAll's error when the input goes on past max.
var ErrTooLong = errors.New("input longer than the limit")

// ReadAll reads r to its end as io.ReadAll does, but never past maxBytes
// (<= 0: the memory limit) nor past the memory limit, and it stops
// when ctx is done (Ctrl-C, task:cancel) between two reads of at most 1 MiB,
// so reading /dev/zero ends with an error instead of the process. The
// error names what: "fs.read: /dev/zero: more than 12 GB (the memory
// limit; --max-mem)". A reader that blocks must be closed by the caller on
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
			if byLimit {
				return nil, fmt.Errorf("%s: more than %s (%w; the memory limit%s)", what, Format(lim), ErrTooLong, hint())
			}
			return nil, fmt.Errorf("%s: more than %d bytes (%w given as max)", what, lim, ErrTooLong)
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
