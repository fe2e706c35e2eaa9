package dot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"nsh/plugins"
	"nsh/shell"
	"nsh/shell/help"
)

func init() {
	Register(Command{Name: "help", Usage: ".help [NAME]", Summary: "this list, or a function's signature, summary and example",
		Run: dotHelp, Complete: completeHelpName})
	Register(Command{Name: "bg", Usage: ".bg FILE [ARGS]", Summary: "run a Lua script in the background (as .run FILE &): the prompt stays; .kill ID stops it",
		Run: dotBg, Complete: func(_ *Env, args []string, prefix string) []string {
			if len(args) > 0 {
				return nil
			}
			return completePath(prefix)
		}})
	Register(Command{Name: "run", Usage: ".run FILE [ARGS] [&]", Summary: "run a Lua script as a task group (with a final &, in the background); os.exit ends the script, not the shell",
		Run: dotRun, Complete: func(_ *Env, args []string, prefix string) []string {
			if len(args) > 0 {
				return nil
			}
			return completePath(prefix)
		}})
	Register(Command{Name: "plugins", Summary: "the loaded plugins: name, kind, version, summary, commands", Run: dotPlugins})
	Register(Command{Name: "history", Usage: ".history [N]", Summary: "the last N (default 20) entries of the history", Run: dotHistory})
	Register(Command{Name: "clear", Summary: "clear the screen", Run: dotClear})
	Register(Command{Name: "exit", Summary: "leave nsh (as Ctrl-D): stop every task, close every socket", Run: dotExit})
}

func dotHelp(e *Env, args []string) error {
	if len(args) == 0 {
		WriteIntro(e.Out, e.Style)
		return nil
	}
	name := strings.Join(args, " ")
	if strings.HasPrefix(name, ".") {
		if c, ok := Commands()[strings.TrimPrefix(name, ".")]; ok {
			fmt.Fprintf(e.Out, "%s\n  %s\n", e.Style("bold", c.Usage), c.Summary)
			return nil
		}
	}
	std := ""
	if !help.Documented(name) {
		// a name of the prompt's ("srv:accept") or of Lua's library
		WithLockFor(e.S, e.Ctx, func() {
			name = help.ResolveName(e.S.L, name)
			std = help.StdName(e.S.L, help.ResolvePath(e.S.L, name))
		})
	}
	if std != "" && !help.Documented(name) {
		fmt.Fprintln(e.Out, help.ManualNote(std))
		return nil
	}
	if !help.Show(e.Out, e.Style, name) {
		return errors.New(help.NotFound(name))
	}
	return nil
}

// completeHelpName offers every documented name, plugin and dot-command,
// and the fields and methods of the prompt's values ("srv:acc").
func completeHelpName(e *Env, args []string, prefix string) []string {
	if len(args) > 0 {
		return nil
	}
	var out []string
	if e.P != nil && strings.ContainsAny(prefix, ".:") {
		names, word := e.P.CompleteLua(prefix)
		for _, n := range names {
			out = append(out, prefix[:len(prefix)-len(word)]+strings.TrimSuffix(n, "(")+" ")
		}
	}
	for _, h := range help.Entries() {
		out = append(out, h.Name+" ")
	}
	for _, p := range plugins.All() {
		out = append(out, p.Name+" ")
	}
	for _, n := range CommandNames() {
		out = append(out, "."+n+" ")
	}
	return out
}

// dotRun: .run FILE [ARGS] [&] — the script runs as its own task group, like
// nsh FILE; Ctrl-C stops it; its exit status is reported when not 0. With a
// final "&" it runs in the background (see dotBg).
func dotRun(e *Env, args []string) error {
	if n := len(args); n > 0 && args[n-1] == "&" {
		return startBackgroundRun(e, args[:n-1], ".run FILE [ARGS] &")
	}
	if len(args) == 0 {
		return errors.New("usage: .run FILE [ARGS] [&]")
	}
	src, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf(".run: %v", err)
	}
	code, closed := e.S.RunScript(e.Ctx, args[0], shell.SkipShebang(string(src)), args[1:], true)
	if msg := runEndMessage(args[0], e.Ctx.Err() != nil, code, closed); msg != "" {
		fmt.Fprintln(e.Err, e.Style("warn", msg))
	}
	return nil
}

// runEndMessage says how a .run ended when not well: interrupted, or its
// exit status, and the sockets its end closed. As when a process ends, the
// script's end closed what it left open (lifetime.go): a server stopped with
// Ctrl-C can be run again on its port. A script that ends well leaves its
// globals' sockets to the prompt.
func runEndMessage(file string, interrupted bool, code, closed int) string {
	msg := ""
	switch {
	case interrupted:
		msg = ".run " + file + ": interrupted"
	case code != 0:
		msg = fmt.Sprintf(".run %s: exit status %d", file, code)
	}
	if msg != "" && closed > 0 {
		msg += fmt.Sprintf(" (closed the %s it left open)", Plural(closed, "socket"))
	}
	return msg
}

// dotBg: .bg FILE [ARGS] — .run FILE [ARGS] &.
func dotBg(e *Env, args []string) error { return startBackgroundRun(e, args, ".bg FILE [ARGS]") }

// startBackgroundRun runs a script as its own task group beside the prompt:
// the prompt comes back at once, Ctrl-C does not reach the script (.kill ID
// of its main task stops it all), and its end is reported above the prompt
// when it is not a clean exit. args[0] is the file.
func startBackgroundRun(e *Env, args []string, usage string) error {
	if len(args) == 0 {
		return errors.New("usage: " + usage)
	}
	src, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf(".run: %v", err)
	}
	s, file, errw, style := e.S, args[0], e.Err, e.Style
	started, finished := make(chan *shell.Task, 1), make(chan struct{})
	go func() {
		defer close(finished)
		code, closed := s.RunScript(s.Base(), file, string(src), args[1:], true, func(t *shell.Task) { started <- t })
		if s.Closing() {
			return // the session is closing
		}
		msg := runEndMessage(file, false, code, closed)
		if msg == "" {
			msg = ".run " + file + ": done"
		}
		fmt.Fprintln(errw, style("dim", msg))
	}()
	select {
	case t := <-started:
		fmt.Fprintf(e.Out, "%s\n", e.Style("dim", fmt.Sprintf(".run %s: running in the background as task %d (.kill %d stops it)", file, t.ID, t.ID)))
	case <-finished: // it did not load: runScript printed why
	}
	return nil
}

func dotPlugins(e *Env, args []string) error {
	for _, p := range plugins.All() {
		fmt.Fprintf(e.Out, "%s %-9s %-7s %s\n", e.Style("key", fmt.Sprintf("%-10s", p.Name)), p.Kind, p.Version, p.Summary)
		for _, c := range p.Commands {
			fmt.Fprintf(e.Out, "           %s  %s\n", c.Usage, c.Summary)
		}
	}
	for _, err := range e.S.PluginErrors() {
		fmt.Fprintln(e.Err, e.Style("warn", err.Error()))
	}
	return nil
}

func dotHistory(e *Env, args []string) error {
	n := 20
	if len(args) > 0 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 {
			return errors.New("usage: .history [N] (N a positive number)")
		}
		n = v
	}
	lines, first := e.P.History(n)
	for i, l := range lines {
		fmt.Fprintf(e.Out, "%s  %s\n", e.Style("dim", fmt.Sprintf("%4d", first+i)), l)
	}
	return nil
}

func dotClear(e *Env, args []string) error {
	if e.P.IsTerm() {
		fmt.Fprint(e.Out, "\x1b[H\x1b[2J")
	}
	return nil
}

func dotExit(e *Env, args []string) error {
	e.P.Leave()
	return nil
}

// completePath completes a file path; folders end in "/".
func completePath(prefix string) []string {
	dir, base := filepath.Split(prefix)
	readDir := dir
	if readDir == "" {
		readDir = "."
	}
	if strings.HasPrefix(readDir, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			readDir = filepath.Join(home, readDir[2:])
		}
	}
	entries, err := os.ReadDir(readDir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, base) || (strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(readDir, n)); err == nil {
				isDir = st.IsDir()
			}
		}
		if isDir {
			out = append(out, dir+n+"/")
		} else {
			out = append(out, dir+n+" ")
		}
	}
	return out
}
