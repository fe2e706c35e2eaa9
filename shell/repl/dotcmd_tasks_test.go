package repl

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// narrowEditor is a scripted editor on a terminal of a given width.
type narrowEditor struct {
	*scriptedEditor
	width int
}

func (n narrowEditor) Width() int { return n.width }

// .tasks keeps one line a task on a narrow terminal.
func TestDotTasksFitsTheTerminal(t *testing.T) {
	ed := &scriptedEditor{}
	s := newScriptedSession(ed)
	t.Cleanup(func() { s.Close() })
	r := newREPL(s, narrowEditor{ed, 60}, &history{})
	r.runLine(`napper = spawn(function() sleep(60, "a long argument that makes the WAITING ON column wide") end)`)
	for i := 0; i < 1000; i++ { // until the task has reached its sleep (bounded)
		r.runLine(`napper.state`)
		if strings.Contains(ed.printed(), "waiting") {
			break
		}
	}
	r.runLine(".tasks")
	out := ed.printed()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(out, "…") {
		t.Fatalf(".tasks on 60 columns printed:\n%s", out)
	}
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n >= 60 {
			t.Errorf("a line of %d columns on a 60-column terminal: %q", n, l)
		}
	}
	r.runLine(".kill all")
}
