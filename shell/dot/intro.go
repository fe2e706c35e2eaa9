package dot

import (
	"fmt"
	"io"
	"strings"

	"nsh/plugins"
	"nsh/shell/help"
)

// IntroUsageWidth is the widest usage that shares its line with the summary.
const IntroUsageWidth = 24

// WriteIntro is what help() and .help print without a name.
func WriteIntro(w io.Writer, style func(kind, s string) string) {
	cols := help.WriterWidth(w)
	title, tagline := "nsh: Lua with BSD sockets.", "Type Lua at the prompt; an expression's values are printed."
	if cols > 0 && len(title)+1+len(tagline) >= cols {
		fmt.Fprintln(w, style("bold", title)+"\n"+help.WrapHanging(tagline, 0, cols))
	} else {
		fmt.Fprintln(w, style("bold", title)+" "+tagline)
	}
	fmt.Fprintln(w, "dot-commands:")
	cmds := Commands()
	names := CommandNames()
	width := 0
	for _, n := range names {
		if u := len(cmds[n].Usage); u <= IntroUsageWidth {
			width = max(width, u)
		}
	}
	for _, n := range names {
		c := cmds[n]
		summary := help.WrapHanging(c.Summary, width+4, cols)
		if len(c.Usage) > width {
			// a long usage (.lesson's) on a line of its own keeps the column narrow
			fmt.Fprintf(w, "  %s\n  %*s  %s\n", style("key", c.Usage), width, "", summary)
			continue
		}
		fmt.Fprintf(w, "  %s  %s\n", style("key", fmt.Sprintf("%-*s", width, c.Usage)), summary)
	}
	var mods []string
	for _, p := range plugins.All() {
		if len(p.Help) > 0 {
			mods = append(mods, p.Name)
		}
	}
	for _, l := range []string{
		"documented: " + strings.Join(mods, ", "),
		"  .help NAME or help(\"NAME\") lists a plugin's functions; help(socket.bind) or .help sock:recv shows one.",
		"first steps: srv = socket.bind(\"127.0.0.1\", 0)  then  srv  then  srv:<Tab>; spawn(fn) runs fn in the background.",
		"keys: Tab completes, Ctrl-R searches history, Ctrl-C interrupts the running line, Ctrl-D leaves.",
	} {
		text := strings.TrimLeft(l, " ")
		indent := len(l) - len(text)
		fmt.Fprintln(w, strings.Repeat(" ", indent)+help.WrapHanging(text, indent+2, cols))
	}
}
