package shell

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
