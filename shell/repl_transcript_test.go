package shell

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"nsh/plugins"
	_ "nsh/plugins/all"
)

// Transcript tests, in the style of elvish's .elvts: each testdata/*.nshts
// file holds sections; a "# heading" line starts a section, run as a
// subtest on a fresh session. "nsh> CODE" is a line typed at the prompt,
// "...> CODE" a continuation line; "nsh> ^C" and "nsh> ^D" are the keys.
// The lines after an input are the output it printed (stdout and stderr).
// A line "needs: NAME" before the first heading skips the file unless the
// plugin NAME is registered. UPDATE_TRANSCRIPTS=1 rewrites the expected
// output from what the REPL printed.

type transcriptInput struct {
	lines  []string // the prompt line and its continuation lines
	output string   // expected
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
		case strings.HasPrefix(line, promptText) || line == strings.TrimSpace(promptText):
			flush()
			cur = &transcriptInput{lines: []string{strings.TrimPrefix(line, promptText)}}
			sec.inputs = append(sec.inputs, cur)
		case cur != nil && len(out) == 0 && (strings.HasPrefix(line, contPromptText) || line == strings.TrimSpace(contPromptText)):
			cur.lines = append(cur.lines, strings.TrimPrefix(line, contPromptText))
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
	for i, sec := range tr.sections {
		if i > 0 || len(tr.preamble) > 0 {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
				b.WriteString("\n")
			}
		}
		b.WriteString("# " + sec.heading + "\n")
		for _, in := range sec.inputs {
			for j, l := range in.lines {
				p := promptText
				if j > 0 {
					p = contPromptText
				}
				b.WriteString(strings.TrimRight(p+l, " ") + "\n")
			}
			if in.output != "" {
				b.WriteString(in.output + "\n")
			}
		}
	}
	return b.String()
}

// scriptedEditor is a lineEditor that types the transcript's inputs and
// collects what was printed since the previous prompt.
type scriptedEditor struct {
	mu      sync.Mutex
	out     bytes.Buffer
	lines   []string
	onRead  func(printed string) // called with the output before each prompt
	closed  bool
	history []string
}

func (e *scriptedEditor) Readline(prompt string) (string, error) {
	e.mu.Lock()
	printed := e.out.String()
	e.out.Reset()
	e.mu.Unlock()
	if e.onRead != nil {
		e.onRead(printed)
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
func (e *scriptedEditor) Close() error                                   { e.closed = true; return nil }
func newScriptedSession(ed *scriptedEditor) *Session {
	return New(Options{Stdout: ed, Stderr: ed, NoLuaPlugins: true, Interactive: true})
}

// runTranscriptSection runs one section and returns each input's output.
func runTranscriptSection(t *testing.T, sec *transcriptSection) []string {
	ed := &scriptedEditor{}
	var typed []string
	var inputOf []int // which input each typed line belongs to
	for i, in := range sec.inputs {
		for _, l := range in.lines {
			typed = append(typed, l)
			inputOf = append(inputOf, i)
		}
	}
	ed.lines = typed
	outputs := make([]string, len(sec.inputs))
	n := 0 // lines read so far
	ed.onRead = func(printed string) {
		if n > 0 {
			outputs[inputOf[n-1]] += printed
		}
		n++
	}
	s := newScriptedSession(ed)
	r := newREPL(s, ed, &history{})
	r.run()
	if n > 0 && n-1 < len(inputOf) {
		outputs[inputOf[n-1]] += ed.printed()
	} else if len(outputs) > 0 {
		outputs[len(outputs)-1] += ed.printed()
	}
	for i := range outputs {
		outputs[i] = strings.TrimRight(outputs[i], "\n ")
	}
	return outputs
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
					got := runTranscriptSection(t, sec)
					for i, in := range sec.inputs {
						if got[i] == in.output {
							continue
						}
						if update {
							in.output = got[i]
							changed = true
							continue
						}
						t.Errorf("after\n%s\ngot:\n%s\nwant:\n%s", fmtInput(in), indent(got[i]), indent(in.output))
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
	if !update && t.Failed() {
		t.Log("if the new output is right: UPDATE_TRANSCRIPTS=1 go test ./shell -run TestTranscripts")
	}
}

func fmtInput(in *transcriptInput) string {
	var b strings.Builder
	for j, l := range in.lines {
		p := promptText
		if j > 0 {
			p = contPromptText
		}
		fmt.Fprintf(&b, "    %s%s\n", p, l)
	}
	return strings.TrimRight(b.String(), "\n")
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
