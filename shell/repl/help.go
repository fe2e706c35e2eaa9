package repl

import (
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"

	"nsh/shell/help"
)

func init() {
	plugins.Register(plugins.Plugin{
		Name:    "help",
		Version: "1.0.0",
		Summary: "help(name or value): signature, summary and example of any documented function (built into the shell)",
		Globals: func(L *lua.LState, h plugins.Host) {
			L.SetGlobal("help", L.NewFunction(luaHelp(h)))
		},
		Help: []plugins.Help{{
			Name:      "help",
			Signature: "help([name | value])",
			Summary:   "show a function's signature, summary and example; a module or socket lists its functions",
			Example:   "help(socket.bind)\nhelp(\"sock:recv\")\nhelp(socket)",
		}},
	})
}

// luaHelp: help([name | value]) prints help on the session's stdout.
func luaHelp(s plugins.Host) lua.LGFunction {
	return func(L *lua.LState) int { return showLuaHelp(L, s) }
}

func showLuaHelp(L *lua.LState, s plugins.Host) int {
	w := s.Stdout()
	if L.GetTop() == 0 {
		writeIntro(w, s.Style)
		return 0
	}
	v := L.Get(1)
	name := ""
	if x, ok := v.(lua.LString); ok {
		name = help.ResolveName(L, string(x))
		if std := help.StdName(L, help.ResolvePath(L, name)); std != "" && !help.Documented(name) {
			fmt.Fprintln(w, help.ManualNote(std))
			return 0
		}
	} else {
		name = help.NameOf(L, v) // a function, a module, or an object such as a socket
	}
	if name == "" {
		if std := help.StdName(L, v); std != "" {
			fmt.Fprintln(w, help.ManualNote(std))
			return 0
		}
		fmt.Fprintln(s.Stderr(), s.Style("error", "help: no help for this "+v.Type().String()+"; help() lists what there is"))
		return 0
	}
	if !help.Show(w, s.Style, name) {
		fmt.Fprintln(s.Stderr(), s.Style("error", help.NotFound(name)))
	}
	return 0
}

// introUsageWidth is the widest usage that shares its line with the summary.
const introUsageWidth = 24

// writeIntro is what help() and .help print without a name.
func writeIntro(w io.Writer, style func(kind, s string) string) {
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
		if u := len(cmds[n].Usage); u <= introUsageWidth {
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
