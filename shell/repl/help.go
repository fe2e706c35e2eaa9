package repl

import (
	"fmt"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
	"nsh/shell/dot"
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
		dot.WriteIntro(w, s.Style)
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
