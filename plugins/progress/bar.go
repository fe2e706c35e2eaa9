package progress

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Redraw limits: a terminal bar is redrawn at most every TermEvery, plain
// lines are printed at most every PlainEvery.
const (
	TermEvery  = 100 * time.Millisecond
	PlainEvery = time.Second
	barWidth   = 24
	rateAfter  = 500 * time.Millisecond
)

// Bar is a progress report for a byte count. On a terminal it redraws one
// line in place; otherwise it prints a plain line now and then and one at
// the end.
type Bar struct {
	total    int64 // < 0: unknown
	label    string
	done     int64
	out      io.Writer
	tty      bool
	now      func() time.Time
	start    time.Time
	last     time.Time // last draw
	drawn    bool      // a terminal line is on screen
	finished bool
}

// New returns a bar counting towards total bytes (< 0: unknown) that
// writes to out, as a terminal bar when tty is set; now is its clock.
func New(total int64, label string, out io.Writer, tty bool, now func() time.Time) *Bar {
	t := now()
	return &Bar{total: total, label: label, out: out, tty: tty, now: now, start: t, last: t}
}

// Add counts n more bytes.
func (b *Bar) Add(n int64) { b.Set(b.done + n) }

// Set sets the count to n bytes and redraws when it is time to.
func (b *Bar) Set(n int64) {
	if b.finished {
		return
	}
	b.done = n
	t := b.now()
	every := PlainEvery
	if b.tty {
		every = TermEvery
	}
	if t.Sub(b.last) < every && (b.tty && b.drawn || !b.tty) {
		return
	}
	b.last = t
	b.draw(t, false)
}

// Done prints the final line; later calls do nothing.
func (b *Bar) Done() {
	if b.finished {
		return
	}
	b.finished = true
	b.draw(b.now(), true)
}

// Count is the number of bytes counted so far.
func (b *Bar) Count() int64 { return b.done }

// Finished reports whether Done was called.
func (b *Bar) Finished() bool { return b.finished }

func (b *Bar) draw(t time.Time, final bool) {
	line := b.line(t, final)
	switch {
	case b.tty && final:
		fmt.Fprintf(b.out, "\r%s\x1b[K\n", line)
	case b.tty:
		fmt.Fprintf(b.out, "\r%s\x1b[K", line)
		b.drawn = true
	default:
		fmt.Fprintf(b.out, "%s\n", line)
	}
}

// line is the text of one report.
func (b *Bar) line(t time.Time, final bool) string {
	elapsed := t.Sub(b.start)
	var parts []string
	if b.label != "" {
		parts = append(parts, b.label)
	}
	if b.tty && b.total > 0 {
		parts = append(parts, bar(b.done, b.total))
	}
	if b.total >= 0 {
		parts = append(parts, Bytes(b.done)+" / "+Bytes(b.total))
		parts = append(parts, fmt.Sprintf("%3d%%", percent(b.done, b.total)))
	} else {
		parts = append(parts, Bytes(b.done))
	}
	rate := 0.0
	// A rate over the first moments means nothing (a first chunk in 1 ms
	// reads as GB/s): a running bar shows it, and the ETA, after rateAfter.
	if elapsed > 0 && (final || elapsed >= rateAfter) {
		rate = float64(b.done) / elapsed.Seconds()
		parts = append(parts, Bytes(int64(rate))+"/s")
	}
	switch {
	case final:
		parts = append(parts, "in "+Clock(elapsed))
	case b.total >= 0 && rate > 0 && b.done <= b.total:
		parts = append(parts, "ETA "+Clock(time.Duration(float64(b.total-b.done)/rate*float64(time.Second))))
	}
	return strings.Join(parts, "  ")
}

func percent(done, total int64) int {
	if total <= 0 {
		return 100
	}
	p := int(float64(done) / float64(total) * 100)
	return min(max(p, 0), 100)
}

func bar(done, total int64) string {
	fill := min(max(int(float64(done)/float64(total)*barWidth), 0), barWidth)
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", barWidth-fill) + "]"
}

// Bytes writes n in decimal units: 999 B, 1.5 kB, 12.3 MB, 4.0 GB.
func Bytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"kB", "MB", "GB", "TB"} {
		f /= 1000
		if f < 999.95 || u == "TB" {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return ""
}

// Clock writes d as m:ss or h:mm:ss.
func Clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
