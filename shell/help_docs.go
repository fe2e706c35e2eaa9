package shell

import (
	"fmt"
	"io"
	"strings"

	"nsh/plugins"
)

//go:generate env UPDATE_API_DOCS=1 go test -run TestAPIDocs .

// apiDocsCommand regenerates docs/API.md (named in the stale-file message).
const apiDocsCommand = "UPDATE_API_DOCS=1 go test ./shell -run TestAPIDocs"

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
	b.WriteString("- [REPL dot-commands](#repl-dot-commands)\n\n")

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

	b.WriteString("## REPL dot-commands\n\n| command | what it does |\n|---|---|\n")
	cmds := dotCommands()
	for _, n := range dotCommandNames() {
		c := cmds[n]
		fmt.Fprintf(&b, "| `%s` | %s |\n", strings.ReplaceAll(c.Usage, "|", "\\|"), strings.ReplaceAll(oneLine(c.Summary), "|", "\\|"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// anchor is GitHub's heading anchor for a plugin name.
func anchor(name string) string { return strings.ToLower(strings.ReplaceAll(name, " ", "-")) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
