package repl

import (
	"strings"
	"testing"

	"nsh/plugins"
)

// help by a name of the prompt lists the methods of the value it names.
func TestHelpByPromptName(t *testing.T) {
	if _, ok := plugins.Get("socket"); !ok {
		t.Skip("no socket plugin in this build")
	}
	r, ed := newTestREPL(t, `srv = socket.bind("127.0.0.1", 0)`, `t = spawn(function() end)`)
	for line, want := range map[string]string{
		".help srv":            "sock:accept",
		`help("srv")`:          "sock:setsockopt",
		".help t:join":         "task:join(",
		".help socket.bind":    "socket.bind(host, port",
		"help(coroutine.wrap)": "manual.html#pdf-coroutine.wrap",
	} {
		r.runLine(line)
		if out := ed.printed(); !strings.Contains(out, want) {
			t.Errorf("%s printed %q, want %q in it", line, out, want)
		}
	}
}

// On a narrow terminal, help lists wrap their summaries under the summary
// column instead of running past the edge.
func TestHelpListsWrapToTheTerminal(t *testing.T) {
	ed := &scriptedEditor{}
	s := newScriptedSession(ed)
	t.Cleanup(func() { s.Close() })
	r := newREPL(s, narrowEditor{ed, 50}, &history{})
	for _, line := range []string{".help", ".help task", `help("tasks")`, ".help task:join"} {
		r.runLine(line)
		out := ed.printed()
		for _, l := range strings.Split(out, "\n") {
			// a signature, an example line and a usage stay whole
			if len(l) >= 50 && !strings.Contains(l, " -> ") && !strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "  .lesson [") {
				t.Errorf("%s: a line of %d columns on a 50-column terminal: %q", line, len(l), l)
			}
		}
		if line == ".help task" && !strings.Contains(out, "\n"+strings.Repeat(" ", len("  task:cancel  "))+"what it returned") {
			t.Errorf("%s: no continuation line under the summary column:\n%s", line, out)
		}
	}
}
