package repl

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/shell"
	"nsh/shell/dot"
	"nsh/shell/printer"
)

func TestPanicsAreRecovered(t *testing.T) {
	r, ed := newTestREPL(t)
	t.Cleanup(dot.AddForTest(dot.Command{Name: "zzpanic", Run: func(*dot.Env, []string) error { panic("dot-command bug") }}))
	r.s.Lock()
	r.s.L.SetGlobal("gopanic", r.s.L.NewFunction(func(*lua.LState) int { panic("go function bug") }))
	r.s.Unlock()

	tests := []struct{ line, want string }{
		{".zzpanic", "internal error (recovered): dot-command bug"},
		{"gopanic()", "internal error in 'gopanic'"}, // named, without Go's panic text (issue 15.2)
		{"1 + 1", "2"},
	}
	for _, tt := range tests {
		r.runLine(tt.line)
		if out := ed.printed(); !strings.Contains(out, tt.want) {
			t.Errorf("%s printed %q, want %q", tt.line, out, tt.want)
		}
	}
}

func TestDotCommandErrorsAndArguments(t *testing.T) {
	var got []string
	t.Cleanup(dot.AddForTest(dot.Command{Name: "zzargs", Run: func(_ *dot.Env, args []string) error {
		got = args
		return errors.New("zzargs: failed as asked")
	}}))
	r, ed := newTestREPL(t)
	r.runLine(`  .zzargs one "two words" 'three'`)
	if strings.Join(got, "|") != "one|two words|three" {
		t.Errorf("arguments %q", got)
	}
	if out := ed.printed(); !strings.Contains(out, "zzargs: failed as asked") {
		t.Errorf("the command's error was not printed: %q", out)
	}
}

func TestIncompleteChunk(t *testing.T) {
	tests := []struct {
		src        string
		incomplete bool
	}{
		{"1 + 1", false},
		{"x", false},
		{"x = 1; x", false},
		{"function f()", true},
		{"if x then", true},
		{"t = {", true},
		{"{", true},
		{"f(1,", true},
		{"s = [[abc", true},
		{"--[[ a comment", true},
		{`s = "abc`, false}, // an unfinished short string is an error, as in lua
		{"x = = 1", false},
		{"end", false},
		{"for i = 1, 2 do print(i) end", false},
	}
	for _, tt := range tests {
		if got := incompleteChunk(tt.src); got != tt.incomplete {
			t.Errorf("incompleteChunk(%q) = %v, want %v", tt.src, got, tt.incomplete)
		}
	}
}

func TestHistoryEntries(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"x = 1", []string{"x = 1"}},
		{"  ", nil},
		{"function f()\n  return 1\nend", []string{"function f() return 1 end"}},
		{"f(1, -- one\n2)", []string{"f(1, -- one", "2)"}},
		{"s = [[a\nb]]", []string{"s = [[a", "b]]"}},
	}
	for _, tt := range tests {
		if got := historyEntries(tt.src); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("historyEntries(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestBareHelpShowsTheIntro(t *testing.T) {
	r, ed := newTestREPL(t)
	for _, line := range []string{"help", ".help", "help()"} {
		r.runLine(line)
		out := ed.printed()
		if !strings.Contains(out, "dot-commands:") || !strings.Contains(out, ".tasks") {
			t.Errorf("%s printed %q", line, out)
		}
		// the summaries stay in a narrow column, whatever a plugin's usage
		for _, l := range strings.Split(out, "\n") {
			if i := strings.Index(l, "clear the screen"); strings.HasPrefix(l, "  .clear") && i > 2+dot.IntroUsageWidth+2 {
				t.Errorf("%s: the summary column is past %d: %q", line, dot.IntroUsageWidth+4, l)
			}
		}
	}
}

func TestPrinterBounds(t *testing.T) {
	r, ed := newTestREPL(t)
	tests := []struct {
		line     string
		want     string
		maxLines int
		maxWidth int // of a line, when not 0
	}{
		{"_G", "_G = <cycle>", printer.MaxValues + 10, 0},
		{`string.rep("\0", 5000)`, "... 3976 more bytes", printer.HexDumpMaxLength/16 + 3, 0},
		{`string.rep("a", 5000)`, "...(5000 bytes)", 1, 0},
		{"deep = {}; t = deep; for i = 1, 20 do t.next = {}; t = t.next end; deep", "{...}", 20, 0},
		{"many = {}; for i = 1, 500 do many[i] = i end; many", "... 300 more", 20, printer.Width},
		{`{string.rep("\1", 5000)}`, `\x01"...(5000 bytes)`, 3, printer.MaxNested + 24},
	}
	for _, tt := range tests {
		r.runLine(tt.line)
		out := ed.printed()
		if !strings.Contains(out, tt.want) {
			t.Errorf("%s: output lacks %q:\n%.500s", tt.line, tt.want, out)
		}
		if n := strings.Count(out, "\n"); n > tt.maxLines {
			t.Errorf("%s: %d lines, want at most %d", tt.line, n, tt.maxLines)
		}
		for _, l := range strings.Split(out, "\n") {
			if tt.maxWidth > 0 && len(l) > tt.maxWidth {
				t.Errorf("%s: a line of %d bytes: %.100s...", tt.line, len(l), l)
			}
		}
	}
}

// BenchmarkREPLLine measures one typed line: parse, run as the foreground
// task, print the value.
func BenchmarkREPLLine(b *testing.B) {
	ed := &scriptedEditor{}
	s := newScriptedSession(ed)
	defer s.Close()
	r := newREPL(s, ed, &history{})
	r.runLine("x = 0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.runLine("x = x + 1; x")
		ed.printed()
	}
}

// BenchmarkCompleteMethod measures Tab on "t:jo" (a userdata whose
// __index is a function, probed through the help names).
func BenchmarkCompleteMethod(b *testing.B) {
	ed := &scriptedEditor{}
	s := newScriptedSession(ed)
	defer s.Close()
	r := newREPL(s, ed, &history{})
	r.runLine("t = spawn(function() sleep(60) end)")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.complete("t:jo", 4)
	}
}

func TestDotCommandForegroundTaskReadsTheTerminal(t *testing.T) {
	t.Cleanup(dot.AddForTest(dot.Command{Name: "zzfg", Run: func(e *dot.Env, args []string) error {
		if !e.Lock() {
			return errors.New("no lock")
		}
		fn, err := e.S.L.LoadString(`local l = input("> "); print("got " .. tostring(l))`)
		var task *shell.Task
		if err == nil {
			task = e.S.Spawn(e.S.InteractiveGroup(), "zzfg", fn, nil)
		}
		e.Unlock()
		if err != nil {
			return err
		}
		return e.Foreground(task)
	}}))
	r, ed := newTestREPL(t)
	ed.lines = []string{"typed while the command runs"}
	r.runLine(".zzfg")
	if out := ed.printed(); !strings.Contains(out, "got typed while the command runs") {
		t.Errorf("the command's task did not read the terminal: %q", out)
	}
}

func TestColours(t *testing.T) {
	tests := []struct {
		color      bool
		line, want string
	}{
		{true, `"text"`, "\x1b[32m\"text\""},       // strings green
		{true, `error("e")`, "\x1b[31mstdin:1: e"}, // errors red
		{true, `nil, "closed", "recv 127.0.0.1:1: closed"`, "\x1b[31mrecv 127.0.0.1:1: closed"},
		{true, `({recv = function() return "data" end}):recv()`, "\x1b[35m\"data\""}, // received data magenta
		{false, `"text"`, "\"text\"\n"},
		{false, `error("e")`, "stdin:1: e\n"},
	}
	for _, tt := range tests {
		ed := &scriptedEditor{}
		s := shell.New(shell.Options{Stdout: ed, Stderr: ed, NoLuaPlugins: true, Interactive: true, Color: tt.color})
		r := newREPL(s, ed, &history{})
		r.runLine(tt.line)
		out := ed.printed()
		s.Close()
		if !strings.HasPrefix(out, tt.want) {
			t.Errorf("colour %v: %s printed %q, want it to start with %q", tt.color, tt.line, out, tt.want)
		}
		if !tt.color && strings.Contains(out, "\x1b[") {
			t.Errorf("colour off: %s printed escape codes: %q", tt.line, out)
		}
	}
}

func TestTasksCommandSaysWhatTasksWaitOn(t *testing.T) {
	r, ed := newTestREPL(t)
	ready := make(chan struct{})
	r.s.Lock()
	r.s.L.SetGlobal("ready", r.s.L.NewFunction(func(*lua.LState) int { close(ready); return 0 }))
	r.s.Unlock()
	r.runLine("t = spawn(function()\n  ready(); sleep(100)\nend)")
	<-ready // the task holds the lock until sleep releases it, so .tasks sees it waiting
	ed.printed()
	r.runLine(".tasks")
	out := ed.printed()
	for _, want := range []string{"ID  STATE    AGE", "1   waiting", "stdin:1 t = spawn(function()", "sleep(100) at stdin:2"} {
		if !strings.Contains(out, want) {
			t.Errorf(".tasks lacks %q:\n%s", want, out)
		}
	}
	r.runLine(".kill 1")
	if out := ed.printed(); out != "task 1 cancelled\n" {
		t.Errorf(".kill 1 printed %q", out)
	}
}

func TestHelpOfAPluginListsIt(t *testing.T) {
	r, ed := newTestREPL(t)
	r.runLine(".help tasks") // an exact function name wins over the plugin
	if out := ed.printed(); !strings.HasPrefix(out, "tasks() -> ") {
		t.Errorf(".help tasks printed %q", out)
	}
	r.runLine(".help json") // a plugin: its summary, then its functions
	if out := ed.printed(); !strings.HasPrefix(out, "json — ") || !strings.Contains(out, "json.encode") {
		t.Errorf(".help json printed %q", out)
	}
}

func TestHelpOfAnObjectListsItsMethods(t *testing.T) {
	r, ed := newTestREPL(t)
	if _, ok := plugins.Get("socket"); !ok {
		t.Skip("no socket plugin in this build")
	}
	r.runLine("s = socket.tcp()")
	ed.printed()
	for _, line := range []string{"help(s)", ".help sock"} {
		r.runLine(line)
		if out := ed.printed(); !strings.Contains(out, "sock:bind ") || !strings.Contains(out, "sock:recv ") {
			t.Errorf("%s printed %.300q", line, out)
		}
	}
	r.runLine("help(s.recv)")
	if out := ed.printed(); !strings.HasPrefix(out, "sock:recv(") {
		t.Errorf("help(s.recv) printed %.300q", out)
	}
}

func TestReportingAssignment(t *testing.T) {
	tests := []struct {
		src string
		ok  bool
	}{
		{"c = f()", true},
		{"a.b.c = f(1, 2)", true},
		{"x == 1", false},
		{"local x = f()", false},
		{"a, b = f()", false},
		{"end = 1", false},
		{"x = = 1", false},
	}
	for _, tt := range tests {
		if _, ok := reportingAssignment(tt.src); ok != tt.ok {
			t.Errorf("reportingAssignment(%q) ok = %v, want %v", tt.src, ok, tt.ok)
		}
	}
}

func TestHistoryPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("NSH_HISTORY", "x")
	os.Unsetenv("NSH_HISTORY")
	if got := historyPath(); got != filepath.Join(home, ".nsh_history") {
		t.Errorf("default history file %q", got)
	}
	t.Setenv("NSH_HISTORY", "/elsewhere/hist")
	if got := historyPath(); got != "/elsewhere/hist" {
		t.Errorf("NSH_HISTORY gives %q", got)
	}
	t.Setenv("NSH_HISTORY", "")
	if got := historyPath(); got != "" {
		t.Errorf("empty NSH_HISTORY gives %q, want no file", got)
	}
	os.WriteFile(filepath.Join(home, "h"), []byte("a = 1\n\nb = 2\n"), 0o600)
	lines, first := loadHistory(filepath.Join(home, "h")).last(10)
	if strings.Join(lines, "|") != "a = 1|b = 2" || first != 1 {
		t.Errorf("loaded history %q from %d", lines, first)
	}
}
