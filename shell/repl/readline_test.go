package repl

import (
	"bytes"
	"strings"
	"testing"
)

// While readline reads, an unfinished line waits for its end instead of
// being printed above the prompt (whose redraw would wipe it).
func TestAboveWriterHoldsUnfinishedLines(t *testing.T) {
	e := &readlineEditor{}
	var above, raw bytes.Buffer
	w := &aboveWriter{e: e, above: &above, raw: &raw}
	e.reading.Store(true)
	w.Write([]byte("tick1 "))
	w.Write([]byte("tick2 "))
	if above.Len() != 0 {
		t.Fatalf("an unfinished line went above the prompt: %q", above.String())
	}
	w.Write([]byte("tick3\nnext "))
	if above.String() != "tick1 tick2 tick3\n" {
		t.Errorf("above the prompt: %q", above.String())
	}
	e.reading.Store(false) // Enter: the prompt has gone
	w.flushHeld()
	if raw.String() != "next \n" {
		t.Errorf("after Enter: %q", raw.String())
	}
	raw.Reset()
	w.Write([]byte("result\n"))
	if raw.String() != "result\n" {
		t.Errorf("while a line runs: %q", raw.String())
	}

	// a progress bar redrawn with "\r" keeps its latest state only
	above.Reset()
	e.reading.Store(true)
	for i := 0; i < 1000; i++ {
		w.Write([]byte("\rup  [####    ]  50%\x1b[K"))
	}
	w.Write([]byte("\rup  [########] 100%\x1b[K\n"))
	if out := above.String(); !strings.HasSuffix(out, "\rup  [########] 100%\x1b[K\n") || len(out) > 100 {
		t.Errorf("a redrawn bar printed %q above the prompt", out)
	}

	// a line that never ends still shows, once it is long
	above.Reset()
	e.reading.Store(true)
	w.Write([]byte(strings.Repeat("x", heldMax)))
	if above.Len() != heldMax+1 || !strings.HasSuffix(above.String(), "x\n") {
		t.Errorf("a long unfinished line: %d bytes above", above.Len())
	}
}
