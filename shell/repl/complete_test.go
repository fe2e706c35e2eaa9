package repl

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// newTestREPL returns a REPL over a scripted editor, with setup typed first.
func newTestREPL(t *testing.T, setup ...string) (*repl, *scriptedEditor) {
	t.Helper()
	ed := &scriptedEditor{}
	s := newScriptedSession(ed)
	t.Cleanup(func() { s.Close() })
	r := newREPL(s, ed, &history{})
	for _, line := range setup {
		r.runLine(line)
	}
	if out := ed.printed(); strings.Contains(out, "error") {
		t.Fatalf("setup printed %q", out)
	}
	return r, ed
}

func TestComplete(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "server.lua"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "serve_more.lua"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	r, _ := newTestREPL(t,
		`t = spawn(function() sleep(60) end)`,
		`conf = {host = "localhost", port = 80, nested = {deep = 1}, run = function() end}`,
		`obj = setmetatable({}, {__index = {greet = function() end, name = "x"}})`,
	)
	tests := []struct {
		line    string
		want    []string // suffixes that must be offered
		exactly bool     // and nothing else
		replace int
	}{
		{line: "spa", want: []string{"wn("}, replace: 3},
		{line: "x = pri", want: []string{"nt("}, replace: 3},
		{line: "whi", want: []string{"le"}, replace: 3},
		{line: "string.up", want: []string{"per("}, exactly: true, replace: 2},
		{line: "conf.", want: []string{"host", "port", "nested", "run("}, exactly: true},
		{line: "conf.nested.d", want: []string{"eep"}, exactly: true, replace: 1},
		{line: "conf:r", want: []string{"un("}, exactly: true, replace: 1},
		{line: "obj:gr", want: []string{"eet("}, exactly: true, replace: 2},
		{line: "obj.", want: []string{"greet(", "name"}, exactly: true},
		{line: "t:jo", want: []string{"in("}, exactly: true, replace: 2},
		{line: "t:", want: []string{"adopt(", "cancel(", "close(", "join("}, exactly: true},
		{line: "t.", want: []string{"id", "join(", "cancel("}}, // fields found through the help names
		{line: "nosuch.", want: nil, exactly: true},
		{line: "_print", want: nil, exactly: true},
		{line: `print("spa`, want: nil, exactly: true},
		{line: ".ta", want: []string{"sks "}, exactly: true, replace: 3},
		{line: ".", want: []string{"help ", "tasks ", "sockets ", "run ", "kill ", "exit "}},
		{line: ".kill ", want: []string{"all ", "1 "}, exactly: true},
		{line: ".help spa", want: []string{"wn "}, exactly: true, replace: 3},
		{line: ".run " + dir + "/ser", want: []string{"ver.lua ", "ve_more.lua "}, exactly: true, replace: len(dir) + 4},
		{line: ".run " + dir + "/su", want: []string{"b/"}, exactly: true, replace: len(dir) + 3},
		{line: ".run x.lua ar", want: nil, exactly: true},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, replace := r.complete(tt.line, len(tt.line))
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("complete(%q) = %q, lacks %q", tt.line, got, w)
				}
			}
			if tt.exactly && len(got) != len(tt.want) {
				t.Errorf("complete(%q) = %q, want exactly %q", tt.line, got, tt.want)
			}
			if len(got) > 0 && tt.replace != 0 && replace != tt.replace {
				t.Errorf("complete(%q) replaces %d bytes, want %d", tt.line, replace, tt.replace)
			}
		})
	}
}

// A path with a blank completes to something .run reads back as one word:
// escaped outside quotes, the quote closed inside them.
func TestCompletePathWithBlanks(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "my file.lua")
	if err := os.WriteFile(script, []byte(`print("ran", ...)`), 0o644); err != nil {
		t.Fatal(err)
	}
	r, ed := newTestREPL(t)
	tests := []struct{ line, want string }{
		{".run " + dir + "/my", `\ file.lua `},
		{`.run "` + dir + "/my", ` file.lua" `},
		{".run '" + dir + "/my f", `ile.lua' `},
		{".run " + dir + `/my\ f`, "ile.lua "},
	}
	for _, tt := range tests {
		got, replace := r.complete(tt.line, len(tt.line))
		if !slices.Equal(got, []string{tt.want}) {
			t.Errorf("complete(%q) = %q, want %q", tt.line, got, tt.want)
			continue
		}
		if want := len(tt.line) - len(".run "); replace != want {
			t.Errorf("complete(%q) replaces %d bytes, want %d", tt.line, replace, want)
		}
		r.runLine(tt.line + got[0] + "arg")
		if out := ed.printed(); !strings.Contains(out, "ran\targ") {
			t.Errorf("%q ran as %q", tt.line+got[0]+"arg", out)
		}
	}
}

func TestCompleteInsideLine(t *testing.T) {
	r, _ := newTestREPL(t)
	line := "x = spa + 1"
	got, replace := r.complete(line, len("x = spa"))
	if !slices.Contains(got, "wn(") || replace != 3 {
		t.Errorf("completing inside a line: %q, %d", got, replace)
	}
}

func TestCompleteDoesNotWaitForABusySession(t *testing.T) {
	r, _ := newTestREPL(t)
	holding, release := make(chan struct{}), make(chan struct{})
	r.s.Lock()
	// hold() is a Go call that keeps the session lock (no Block) until released.
	r.s.L.SetGlobal("hold", r.s.L.NewFunction(func(*lua.LState) int { close(holding); <-release; return 0 }))
	r.s.Unlock()
	r.runLine(`busy = spawn(function() hold() end)`)
	<-holding                      // the task holds the lock from now on
	got, _ := r.complete("spa", 3) // the lock is not free: nothing, promptly
	if len(got) != 0 {
		t.Errorf("completion with a busy session = %q", got)
	}
	got, _ = r.complete(".ta", 3) // dot-commands need no lock
	if !slices.Contains(got, "sks ") {
		t.Errorf("dot-command completion with a busy session = %q", got)
	}
	close(release)
	r.runLine(".kill all")
}

// TestCompleteBesideABusyLoop: a task spinning in Lua gives the lock up
// between instructions, so completion still works beside it.
func TestCompleteBesideABusyLoop(t *testing.T) {
	r, _ := newTestREPL(t)
	spinning := make(chan struct{})
	r.s.Lock()
	r.s.L.SetGlobal("spinning", r.s.L.NewFunction(func(*lua.LState) int { close(spinning); return 0 }))
	r.s.Unlock()
	r.runLine(`busy = spawn(function() spinning(); while true do end end)`)
	<-spinning
	var got []string
	for range 50 { // the lock comes free within a few preemptions
		if got, _ = r.complete("spa", 3); len(got) > 0 {
			break
		}
	}
	if !slices.Contains(got, "wn(") {
		t.Errorf("completion beside a busy loop = %q", got)
	}
	r.runLine(".kill all")
}

func TestCompleteSocketMethods(t *testing.T) {
	if _, ok := plugins.Get("socket"); !ok {
		t.Skip("no socket plugin in this build")
	}
	r, _ := newTestREPL(t, `srv = socket.bind("127.0.0.1", 0)`)
	got, replace := r.complete("srv:setso", 9)
	if !slices.Contains(got, "ckopt(") || replace != 5 {
		t.Errorf("srv:setso completes to %q (replacing %d)", got, replace)
	}
	got, _ = r.complete("srv.", 4)
	if slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "__") }) {
		t.Errorf("srv. offers internal names: %q", got)
	}
	got, _ = r.complete(".help srv:acc", 13)
	if !slices.Equal(got, []string{"ept "}) {
		t.Errorf(".help srv:acc completes to %q", got)
	}
	got, _ = r.complete("socket.SO_RE", 12)
	if !slices.Contains(got, "USEADDR") {
		t.Errorf("socket.SO_RE completes to %q", got)
	}
}
