package help

import (
	"fmt"
	"io"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/plugins"
)

// The help registry is every plugins.Help entry of every plugin: help(),
// .help, completion and docs/API.md all read it.

// helpEntry is one documented function and the plugin that documents it.
type helpEntry struct {
	plugins.Help
	Plugin string
}

// Entries returns every entry, plugin by plugin (sorted by name), each
// plugin's entries in the order it declared them.
func Entries() []helpEntry {
	var out []helpEntry
	for _, p := range plugins.All() {
		for _, h := range p.Help {
			if h.Name != "" {
				out = append(out, helpEntry{Help: h, Plugin: p.Name})
			}
		}
	}
	return out
}

// findHelp returns the entry called name; failing that, the entries whose
// last part is name ("bind" finds socket.bind and sock:bind).
func findHelp(name string) []helpEntry {
	name = strings.TrimSpace(name)
	all := Entries()
	for _, e := range all {
		if e.Name == name {
			return []helpEntry{e}
		}
	}
	var out []helpEntry
	for _, e := range all {
		if strings.HasSuffix(e.Name, "."+name) || strings.HasSuffix(e.Name, ":"+name) {
			out = append(out, e)
		}
	}
	return out
}

// pluginHelp returns a plugin's entries, or those whose names start with
// name ("sock:", "socket.AF"); a bare "sock" means "sock:".
func pluginHelp(name string) ([]helpEntry, bool) {
	var out []helpEntry
	_, isPlugin := plugins.Get(name)
	prefix := name
	if !strings.ContainsAny(name, ".:") {
		prefix = name + ":" // "sock" lists sock:bind, sock:recv...
	}
	for _, e := range Entries() {
		if (isPlugin && e.Plugin == name) || strings.HasPrefix(e.Name, prefix) {
			out = append(out, e)
		}
	}
	return out, isPlugin || len(out) > 0
}

// writeHelpEntry prints one entry: signature, summary, example.
func writeHelpEntry(w io.Writer, style func(kind, s string) string, e helpEntry) {
	sig := e.Signature
	if sig == "" {
		sig = e.Name
	}
	fmt.Fprintln(w, style("bold", sig))
	if e.Summary != "" {
		fmt.Fprintln(w, "  "+WrapHanging(e.Summary, 2, WriterWidth(w)))
	}
	if e.Example != "" {
		fmt.Fprintln(w, style("dim", "  example:"))
		for _, l := range strings.Split(strings.TrimRight(e.Example, "\n"), "\n") {
			fmt.Fprintln(w, "    "+style("string", l))
		}
	}
}

// writeHelpList prints entries one a line: name and summary.
func writeHelpList(w io.Writer, style func(kind, s string) string, entries []helpEntry) {
	width := 0
	for _, e := range entries {
		width = max(width, len(e.Name))
	}
	cols := WriterWidth(w)
	for _, e := range entries {
		fmt.Fprintf(w, "  %s  %s\n", style("key", fmt.Sprintf("%-*s", width, e.Name)), WrapHanging(e.Summary, width+4, cols))
	}
}

// WrapHanging wraps text that starts at column indent to cols columns,
// indenting the lines after the first to indent; cols 0 or too narrow
// keeps it on one line.
func WrapHanging(text string, indent, cols int) string {
	room := cols - 1 - indent
	if cols <= 0 || room < 20 || indent+len(text) < cols {
		return text
	}
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		if i > 0 && n+1+len(word) > room {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// Show prints help for a name: an entry, a plugin's list, or close
// names. It reports false when nothing matched.
func Show(w io.Writer, style func(kind, s string) string, name string) bool {
	found := findHelp(name)
	if len(found) == 1 && found[0].Name == name {
		writeHelpEntry(w, style, found[0]) // an exact name wins ("tasks")
		return true
	}
	if list, ok := pluginHelp(name); ok {
		if p, isPlugin := plugins.Get(name); isPlugin {
			fmt.Fprintf(w, "%s — %s\n", style("bold", p.Name), p.Summary)
			for _, c := range p.Commands {
				fmt.Fprintf(w, "  %s  %s\n", style("key", c.Usage), c.Summary)
			}
		}
		writeHelpList(w, style, list)
		return true
	}
	switch {
	case len(found) == 1:
		writeHelpEntry(w, style, found[0])
	case len(found) > 1:
		writeHelpList(w, style, found)
	default:
		return false
	}
	return true
}

// NotFound is the message for a name nothing documents.
func NotFound(name string) string {
	var names []string
	for _, e := range Entries() {
		names = append(names, e.Name)
	}
	msg := "help: nothing documents " + name
	if near := CloseNames(name, names); len(near) > 0 {
		msg += " (try " + strings.Join(near, ", ") + ")"
	}
	return msg
}

// FunctionNames maps each documented function reachable from the
// globals (socket.bind) or through a userdata type's __index (sock:recv) to
// its help name. The caller holds the lock.
func FunctionNames(L *lua.LState) map[lua.LValue]string {
	names := map[lua.LValue]string{}
	methods := map[string][]string{} // prefix → method names
	for _, e := range Entries() {
		if i := strings.IndexByte(e.Name, ':'); i > 0 {
			methods[e.Name[:i]] = append(methods[e.Name[:i]], e.Name[i+1:])
			continue
		}
		if fn, ok := resolveGlobal(L, e.Name).(*lua.LFunction); ok {
			if _, dup := names[fn]; !dup {
				names[fn] = e.Name
			}
		}
	}
	reg, ok := L.Get(lua.RegistryIndex).(*lua.LTable)
	if !ok {
		return names
	}
	reg.ForEach(func(_, v lua.LValue) {
		mt, ok := v.(*lua.LTable)
		if !ok || mt.RawGetString("__index") == lua.LNil {
			return
		}
		prefix, found := bestPrefix(L, nil, mt, methods)
		for m, fn := range found {
			if _, dup := names[fn]; !dup {
				names[fn] = prefix + ":" + m
			}
		}
	})
	return names
}

// bestPrefix finds which help prefix ("sock", "task") documents the methods
// of metatable mt: the one with the most methods mt's __index resolves.
// sample is a value of that type, or nil: an __index function that checks
// its object (a task's) answers only a real one.
func bestPrefix(L *lua.LState, sample lua.LValue, mt *lua.LTable, methods map[string][]string) (string, map[string]lua.LValue) {
	if sample == nil {
		ud := L.NewUserData()
		ud.Metatable = mt
		sample = ud
	}
	bestN, best := 0, ""
	var bestFound map[string]lua.LValue
	prefixes := make([]string, 0, len(methods))
	for p := range methods {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		found := map[string]lua.LValue{}
		for _, m := range methods[p] {
			if fn, ok := IndexValue(L, sample, m).(*lua.LFunction); ok {
				found[m] = fn
			}
		}
		if len(found) > bestN {
			bestN, best, bestFound = len(found), p, found
		}
	}
	return best, bestFound
}

// methodPrefix returns the help prefix of the methods of v, an object
// with a metatable ("sock:").
func methodPrefix(L *lua.LState, v lua.LValue) string {
	mt, ok := L.GetMetatable(v).(*lua.LTable)
	if !ok || mt.RawGetString("__index") == lua.LNil {
		return ""
	}
	methods := map[string][]string{}
	for _, e := range Entries() {
		if i := strings.IndexByte(e.Name, ':'); i > 0 {
			methods[e.Name[:i]] = append(methods[e.Name[:i]], e.Name[i+1:])
		}
	}
	if p, _ := bestPrefix(L, v, mt, methods); p != "" {
		return p + ":"
	}
	return ""
}

// moduleName returns the name of the plugin whose module is t ("socket"),
// found among the globals.
func moduleName(L *lua.LState, t *lua.LTable) string {
	name := ""
	L.G.Global.ForEach(func(k, v lua.LValue) {
		if ks, ok := k.(lua.LString); ok && v == t && name == "" {
			if _, isPlugin := plugins.Get(string(ks)); isPlugin {
				name = string(ks)
			}
		}
	})
	return name
}

// resolveGlobal follows a dotted name ("socket.bind") from the globals
// with raw gets; it returns nil when a part is missing.
func resolveGlobal(L *lua.LState, name string) lua.LValue {
	var cur lua.LValue = L.G.Global
	for _, part := range strings.Split(name, ".") {
		t, ok := cur.(*lua.LTable)
		if !ok {
			return lua.LNil
		}
		cur = t.RawGetString(part)
	}
	return cur
}

// IndexValue returns v[key] through v's metatable __index (a table or a
// function, called protected). It never raises.
func IndexValue(L *lua.LState, v lua.LValue, key string) lua.LValue {
	mt, ok := L.GetMetatable(v).(*lua.LTable)
	if !ok {
		return lua.LNil
	}
	switch idx := mt.RawGetString("__index").(type) {
	case *lua.LTable:
		return idx.RawGetString(key)
	case *lua.LFunction:
		L.Push(idx)
		L.Push(v)
		L.Push(lua.LString(key))
		if err := L.PCall(2, 1, nil); err != nil {
			return lua.LNil
		}
		ret := L.Get(-1)
		L.Pop(1)
		return ret
	}
	return lua.LNil
}

// CloseNames returns the names that start with or contain want.
func CloseNames(want string, names []string) []string {
	var out []string
	for _, n := range names {
		if want != "" && (strings.HasPrefix(n, want) || strings.Contains(n, want)) {
			out = append(out, n)
		}
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// WriterWidth is the width of the terminal w prints to, or 0 when unknown:
// a writer that knows it (the REPL's, and the session's stdout around it)
// says it with a Width method.
func WriterWidth(w io.Writer) int {
	if ww, ok := w.(interface{ Width() int }); ok {
		return ww.Width()
	}
	return 0
}
