package repl

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"nsh/plugins"
	_ "nsh/plugins/all"
	"nsh/shell"
)

// Transcript tests, in the style of elvish's .elvts: each testdata/*.nshts
// file holds sections; a "# heading" line starts a section, run as a
// subtest on a fresh session. "nsh> CODE" is a line typed at the prompt,
// "...> CODE" a continuation line, "<< TEXT" a line typed for input() or
// io.read; "nsh> ^C" and "nsh> ^D" are the keys. The lines after them are
// what was printed (stdout and stderr together). The prompt each line was
// really read with is checked too. A line "needs: NAME" before the first
// heading skips the file unless the plugin NAME is registered.
// UPDATE_TRANSCRIPTS=1 rewrites the expected output (and prompts).

const inputMark = "<< "

// typedLine is one line typed and the prompt it was read with.
type typedLine struct {
	mark string // promptText, contPromptText or inputMark
	text string
}

type transcriptInput struct {
	lines  []typedLine
	output string // expected
}

type transcriptSection struct {
	heading string
	inputs  []*transcriptInput
}

type transcript struct {
	preamble []string
	needs    []string
	sections []*transcriptSection
}

// lineMark splits a typed line from its mark.
func lineMark(line string) (typedLine, bool) {
	for _, m := range []string{promptText, contPromptText, inputMark} {
		if strings.HasPrefix(line, m) || line == strings.TrimSpace(m) {
			return typedLine{mark: m, text: strings.TrimPrefix(line, m)}, true
		}
	}
	return typedLine{}, false
}

func parseTranscript(text string) *transcript {
	tr := &transcript{}
	var sec *transcriptSection
	var cur *transcriptInput
	var out []string
	flush := func() {
		if cur != nil {
			cur.output = strings.TrimRight(strings.Join(out, "\n"), "\n ")
		}
		out = nil
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		tl, typed := lineMark(line)
		switch {
		case strings.HasPrefix(line, "# "):
			flush()
			cur = nil
			sec = &transcriptSection{heading: strings.TrimPrefix(line, "# ")}
			tr.sections = append(tr.sections, sec)
		case sec == nil:
			tr.preamble = append(tr.preamble, line)
			if n, ok := strings.CutPrefix(line, "needs: "); ok {
				tr.needs = append(tr.needs, strings.Fields(n)...)
			}
		case typed && tl.mark == promptText:
			flush()
			cur = &transcriptInput{lines: []typedLine{tl}}
			sec.inputs = append(sec.inputs, cur)
		case typed && cur != nil && len(out) == 0:
			cur.lines = append(cur.lines, tl)
		case cur != nil:
			out = append(out, line)
		}
	}
	flush()
	return tr
}

func (tr *transcript) String() string {
	var b strings.Builder
	for _, l := range tr.preamble {
		b.WriteString(l + "\n")
	}
	for _, sec := range tr.sections {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
			b.WriteString("\n")
		}
		b.WriteString("# " + sec.heading + "\n")
		for _, in := range sec.inputs {
			for _, l := range in.lines {
				b.WriteString(strings.TrimRight(l.mark+l.text, " ") + "\n")
			}
			if in.output != "" {
				b.WriteString(in.output + "\n")
			}
		}
	}
	return b.String()
}

// scriptedEditor is a lineEditor that types the transcript's lines and
// collects what was printed before each prompt.
type scriptedEditor struct {
	mu      sync.Mutex
	out     bytes.Buffer
	lines   []string
	onRead  func(prompt, printed string) // called at each prompt
	history []string
}

func (e *scriptedEditor) Readline(prompt string) (string, error) {
	e.mu.Lock()
	printed := e.out.String()
	e.out.Reset()
	e.mu.Unlock()
	if e.onRead != nil {
		e.onRead(prompt, printed)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.lines) == 0 {
		return "", io.EOF
	}
	l := e.lines[0]
	e.lines = e.lines[1:]
	switch l {
	case "^C":
		return "", errCtrlC
	case "^D":
		return "", io.EOF
	}
	return l, nil
}

func (e *scriptedEditor) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.out.Write(p)
}

func (e *scriptedEditor) printed() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.out.String()
	e.out.Reset()
	return s
}

func (e *scriptedEditor) AddHistory(line string)                         { e.history = append(e.history, line) }
func (e *scriptedEditor) Stdout() io.Writer                              { return e }
func (e *scriptedEditor) Stderr() io.Writer                              { return e }
func (e *scriptedEditor) SetCompleter(func(string, int) ([]string, int)) {}
func (e *scriptedEditor) Close() error                                   { return nil }

func newScriptedSession(ed *scriptedEditor) *shell.Session {
	return shell.New(shell.Options{Stdout: ed, Stderr: ed, NoLuaPlugins: true, Interactive: true})
}

// runTranscriptSection types a section's lines into a fresh REPL. It
// returns the inputs as the REPL read them: a new input at each main
// prompt, each with what it printed.
func runTranscriptSection(sec *transcriptSection) []*transcriptInput {
	ed := &scriptedEditor{}
	var typed []string
	for _, in := range sec.inputs {
		for _, l := range in.lines {
			typed = append(typed, l.text)
		}
	}
	ed.lines = typed
	var got []*transcriptInput
	var last *transcriptInput
	n := 0 // lines read so far
	ed.onRead = func(prompt, printed string) {
		if last != nil {
			last.output += printed
		}
		if n >= len(typed) {
			return
		}
		mark := inputMark
		switch prompt {
		case promptText:
			mark = promptText
		case contPromptText:
			mark = contPromptText
		}
		tl := typedLine{mark: mark, text: typed[n]}
		n++
		if mark == promptText || last == nil {
			last = &transcriptInput{}
			got = append(got, last)
		}
		last.lines = append(last.lines, tl)
	}
	s := newScriptedSession(ed)
	r := newREPL(s, ed, &history{})
	r.run()
	if last != nil {
		last.output += ed.printed()
	}
	for _, in := range got {
		in.output = strings.TrimRight(in.output, "\n ")
	}
	return got
}

func TestTranscripts(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.nshts")
	if len(files) == 0 {
		t.Fatal("no testdata/*.nshts transcripts")
	}
	update := os.Getenv("UPDATE_TRANSCRIPTS") != ""
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".nshts"), func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tr := parseTranscript(string(text))
			for _, need := range tr.needs {
				if _, ok := plugins.Get(need); !ok {
					t.Skipf("plugin %s is not in this build", need)
				}
			}
			changed := false
			for _, sec := range tr.sections {
				t.Run(sec.heading, func(t *testing.T) {
					got := runTranscriptSection(sec)
					if update {
						if fmtInputs(got) != fmtInputs(sec.inputs) {
							sec.inputs = got
							changed = true
						}
						return
					}
					if fmtInputs(got) != fmtInputs(sec.inputs) {
						t.Errorf("got:\n%s\nwant:\n%s\n(if the new output is right: UPDATE_TRANSCRIPTS=1 go test ./shell -run TestTranscripts)",
							indent(fmtInputs(got)), indent(fmtInputs(sec.inputs)))
					}
				})
			}
			if update && changed {
				if err := os.WriteFile(file, []byte(tr.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("rewrote %s", file)
			}
		})
	}
}

// fmtInputs renders inputs as the transcript shows them.
func fmtInputs(inputs []*transcriptInput) string {
	tr := &transcript{sections: []*transcriptSection{{heading: "x", inputs: inputs}}}
	return strings.TrimPrefix(tr.String(), "# x\n")
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
