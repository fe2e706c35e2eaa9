package cli

import (
	"fmt"
	"io"
	"strings"

	"nsh/plugins"
	"nsh/shell/dot"
)

//go:generate env UPDATE_API_DOCS=1 go test -run TestAPIDocs .

// apiDocsCommand regenerates docs/API.md (named in the stale-file message).
const apiDocsCommand = "UPDATE_API_DOCS=1 go test ./shell/cli -run TestAPIDocs"

// WriteAPIDocs writes docs/API.md: every built-in plugin's documented
// functions (from the help registry that help() and .help read) and the
// REPL's dot-commands.
func WriteAPIDocs(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# nsh API reference\n\n")
	b.WriteString("<!-- Generated from the help registry (plugins.Help of every plugin); do not edit.\n")
	b.WriteString("     Regenerate with: " + apiDocsCommand + " -->\n\n")
	b.WriteString("In the REPL, `help(socket.bind)`, `help(\"sock:recv\")` or `.help socket.bind` print the same entries;\n")
	b.WriteString("`.help socket` lists a plugin's functions. A name `sock:recv` is a method of a value (here a socket).\n\n")

	var documented []*plugins.Plugin
	for _, p := range plugins.All() {
		if p.Kind == "lua" {
			continue // Lua plugins depend on the machine, not on this build
		}
		documented = append(documented, p)
	}
	b.WriteString("## Contents\n\n")
	for _, p := range documented {
		fmt.Fprintf(&b, "- [%s](#%s): %s\n", p.Name, anchor(p.Name), oneLine(p.Summary))
	}
	b.WriteString("- [The memory guard](#the-memory-guard)\n")
	b.WriteString("- [The REPL: keys and dot-commands](#the-repl-keys-and-dot-commands)\n\n")

	for _, p := range documented {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", p.Name, oneLine(p.Summary))
		if len(p.Help) == 0 {
			b.WriteString("_No functions documented._\n\n")
		}
		for _, h := range p.Help {
			fmt.Fprintf(&b, "### %s\n\n", h.Name)
			if h.Signature != "" {
				fmt.Fprintf(&b, "```\n%s\n```\n\n", h.Signature)
			}
			if h.Summary != "" {
				fmt.Fprintf(&b, "%s\n\n", h.Summary)
			}
			if h.Example != "" {
				fmt.Fprintf(&b, "```lua\n%s\n```\n\n", strings.TrimRight(h.Example, "\n"))
			}
		}
	}

	b.WriteString("## The memory guard\n\n")
	b.WriteString(memGuardDoc)
	b.WriteString("## The REPL: keys and dot-commands\n\n")
	b.WriteString(replKeysDoc)
	b.WriteString("| command | what it does |\n|---|---|\n")
	cmds := dot.Commands()
	for _, n := range dot.CommandNames() {
		c := cmds[n]
		fmt.Fprintf(&b, "| `%s` | %s |\n", strings.ReplaceAll(c.Usage, "|", "\\|"), strings.ReplaceAll(oneLine(c.Summary), "|", "\\|"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// replKeysDoc describes the REPL's keys and habits above the command table.
const replKeysDoc = "At the prompt (`nsh> `, `...> ` while a chunk is unfinished) a line runs as the\n" +
	"foreground task; an expression's values are printed (tables nested and sorted, binary data as a\n" +
	"hex dump, several lines of text as a `[[long string]]`, sockets and addresses through their\n" +
	"`__tostring`), and a failed call's story is\n" +
	"printed in red. Tasks started with `spawn` keep running and print above the line being typed.\n\n" +
	"- Tab completes globals, fields, methods (`srv:setso` → `srv:setsockopt(`), dot-commands and paths after `.run`.\n" +
	"- Ctrl-R searches the history (`~/.nsh_history`; `NSH_HISTORY` names another file, empty turns it off).\n" +
	"- Ctrl-C interrupts the running line (its blocking call returns `nil, \"interrupted\"`); background tasks go on.\n" +
	"- Ctrl-D on an empty prompt (or `.exit`) leaves: every task is stopped and every socket closed.\n\n"

// anchor is GitHub's heading anchor for a plugin name.
func anchor(name string) string { return strings.ToLower(strings.ReplaceAll(name, " ", "-")) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
