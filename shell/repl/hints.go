package repl

import (
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell/dot"
	"nsh/shell/help"
	"nsh/shell/printer"
)

// gopher-lua's messages for calling or indexing nil do not say what was
// nil; these hints read the typed line and the globals to say it.

// calleeName matches what a line calls: name(, a.b.name(, obj:name(.
var calleeName = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?::([A-Za-z_][A-Za-z0-9_]*))?\s*[("{]`)

// nilCallHint names the call of a typed line that found nothing to call,
// which gopher-lua's message does not: "(prnt is nil)", "(srv:nosuch is
// nil; srv:<Tab> lists what there is)". It reads the globals, so a local
// of the same name can mislead it; it says nothing when unsure.
func (r *repl) nilCallHint(src string) string {
	code := blankStrings(src)
	hint := ""
	dot.WithLockFor(r.s, r.s.Base(), func() {
		for _, loc := range calleeName.FindAllStringSubmatchIndex(code, -1) {
			start := loc[0]
			if start > 0 && (isNameByte(code[start-1]) || code[start-1] == '.' || code[start-1] == ':') ||
				strings.HasSuffix(strings.TrimRight(code[:start], " \t"), "function") {
				continue // a method of an expression ("x"):m(, or a definition
			}
			path := code[loc[2]:loc[3]]
			if printer.LuaKeywords[strings.SplitN(path, ".", 2)[0]] {
				continue
			}
			name, v := path, help.ResolvePath(r.s.L, path)
			if loc[4] >= 0 {
				if v == lua.LNil {
					continue
				}
				name += ":" + code[loc[4]:loc[5]]
				v = help.IndexValue(r.s.L, v, code[loc[4]:loc[5]])
			}
			switch v.(type) {
			case *lua.LFunction:
				continue
			case *lua.LNilType:
				hint = "(" + name + " is nil"
				if i := strings.LastIndexAny(name, ".:"); i > 0 {
					hint += "; " + name[:i+1] + "<Tab> lists what there is"
				}
				hint += ")"
			default:
				if mt, ok := r.s.L.GetMetatable(v).(*lua.LTable); ok && mt.RawGetString("__call") != lua.LNil {
					continue
				}
				hint = "(" + name + " is a " + v.Type().String() + ", not a function)"
			}
			return
		}
	})
	return hint
}

// nilIndex matches gopher-lua's message for indexing nil.
var nilIndex = regexp.MustCompile(`attempt to index a non-table object\(nil\) with key '([A-Za-z_][A-Za-z0-9_]*)'$`)

// nilIndexHint names the global of a typed line that is nil where the line
// reads key from it: "(sokcet is nil)" for sokcet.bind(...).
func (r *repl) nilIndexHint(src, key string) string {
	code := blankStrings(src)
	re, err := regexp.Compile(`([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*[.:]\s*` + key + `\b`)
	if err != nil {
		return ""
	}
	hint := ""
	dot.WithLockFor(r.s, r.s.Base(), func() {
		for _, loc := range re.FindAllStringSubmatchIndex(code, -1) {
			if start := loc[0]; start > 0 && (isNameByte(code[start-1]) || code[start-1] == '.' || code[start-1] == ':') {
				continue
			}
			path := code[loc[2]:loc[3]]
			if printer.LuaKeywords[strings.SplitN(path, ".", 2)[0]] || help.ResolvePath(r.s.L, path) != lua.LNil {
				continue
			}
			hint = "(" + path + " is nil)"
			return
		}
	})
	return hint
}

// blankStrings returns src with the insides of its quoted strings blanked,
// so that text in them is not read as code.
func blankStrings(src string) string {
	b := []byte(src)
	for i := 0; i < len(b); i++ {
		if q := b[i]; q == '"' || q == '\'' {
			for i++; i < len(b) && b[i] != q && b[i] != '\n'; i++ {
				if b[i] == '\\' && i+1 < len(b) {
					b[i] = ' '
					i++
				}
				b[i] = ' '
			}
		}
	}
	return string(b)
}
