package repl

import (
	"context"
	"sort"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell/dot"
	"nsh/shell/help"
	"nsh/shell/printer"
)

// completeLockWait is how long Tab waits for the session lock before
// offering nothing (a task may be running Lua without pausing).
const completeLockWait = 200 * time.Millisecond

// complete is the REPL's Tab completion: dot-commands and their arguments,
// globals, table fields, and methods of sockets and other userdata. It
// returns what may follow the text before pos and how many bytes of that
// text the candidates share.
func (r *repl) complete(line string, pos int) (suffixes []string, replace int) {
	defer func() {
		if p := recover(); p != nil {
			suffixes, replace = nil, 0
		}
	}()
	if pos > len(line) {
		pos = len(line)
	}
	head := line[:pos]
	if trimmed := strings.TrimLeft(head, " \t"); dot.IsDotLine(trimmed) {
		return r.completeDot(trimmed)
	}
	cands, word := r.completeLua(head)
	return suffixesOf(cands, word), len(word)
}

// suffixesOf keeps the candidates that start with word, minus word, sorted
// and without duplicates.
func suffixesOf(cands []string, word string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !seen[c] {
			seen[c] = true
			out = append(out, c[len(word):])
		}
	}
	sort.Strings(out)
	return out
}

// completeDot completes ".na" to a command name, or the command's argument.
// An argument is completed as typed: inside an open quote the quote is
// closed after a finished word; outside quotes blanks, quotes and
// backslashes are escaped with a backslash (splitWords reads both back).
func (r *repl) completeDot(head string) ([]string, int) {
	sp := strings.IndexAny(head, " \t")
	if sp < 0 {
		var cands []string
		for _, n := range dot.CommandNames() {
			cands = append(cands, "."+n+" ")
		}
		return suffixesOf(cands, head), len(head)
	}
	name := head[1:sp]
	c, ok := dot.Commands()[name]
	if !ok || c.Complete == nil {
		return nil, 0
	}
	args := head[sp:]
	sc := dot.ScanWords(args)
	words, word, typed := sc.Words, "", 0
	if sc.InWord {
		word = words[len(words)-1]
		words = words[:len(words)-1]
		typed = len(args) - sc.LastStart
	}
	e := &dot.Env{S: r.s, Ctx: context.Background(), Out: r.out, Err: r.errw, P: r}
	sufs := suffixesOf(c.Complete(e, words, word), word)
	for i, s := range sufs {
		sufs[i] = quoteSuffix(s, sc.Open)
	}
	return sufs, typed
}

// quoteSuffix makes a completion suffix typeable after text typed with the
// quote open (0 for none). The trailing blank of a finished word is kept.
func quoteSuffix(s string, open rune) string {
	body, blank := strings.CutSuffix(s, " ")
	if open != 0 {
		if blank {
			return body + string(open) + " "
		}
		return body
	}
	var b strings.Builder
	for _, c := range body {
		if c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	if blank {
		b.WriteByte(' ')
	}
	return b.String()
}

// completeLua completes the name being typed at the end of head: a global,
// a keyword, "a.b.fi" to a field, "obj:me" to a method.
func (r *repl) completeLua(head string) ([]string, string) {
	start := len(head)
	for start > 0 && isNameByte(head[start-1]) {
		start--
	}
	expr := head[start:]
	if start > 0 && head[start-1] == '"' || start > 0 && head[start-1] == '\'' {
		return nil, "" // inside a string
	}
	sep := strings.LastIndexAny(expr, ".:")
	ctx, cancel := context.WithTimeout(context.Background(), completeLockWait)
	defer cancel()
	if !r.s.LockCtx(ctx) {
		return nil, ""
	}
	defer r.s.Unlock()
	L := r.s.L
	if sep < 0 {
		var cands []string
		for k := range printer.LuaKeywords {
			cands = append(cands, k)
		}
		for _, k := range fieldNames(L, L.G.Global, false) {
			if k != "_printregs(" { // gopher-lua's VM debugging aid
				cands = append(cands, k)
			}
		}
		return cands, expr
	}
	word := expr[sep+1:]
	base := help.ResolvePath(L, expr[:sep])
	if base == lua.LNil {
		return nil, ""
	}
	methods := expr[sep] == ':'
	var names []string
	if ud, ok := base.(*lua.LUserData); ok {
		names = userdataNames(L, ud, methods)
	} else {
		names = fieldNames(L, base, methods)
	}
	return names, word
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// fieldNames lists the identifier keys of a table and of its __index
// tables (functions only when methods); for strings, the string library.
func fieldNames(L *lua.LState, v lua.LValue, methods bool) []string {
	if _, ok := v.(lua.LString); ok {
		v = L.G.Global.RawGetString("string")
	}
	var out []string
	t, ok := v.(*lua.LTable)
	for depth := 0; ok && depth < 8; depth++ {
		t.ForEach(func(k, val lua.LValue) {
			ks, isStr := k.(lua.LString)
			if !isStr || !printer.IsIdentifier(string(ks)) || strings.HasPrefix(string(ks), "__") {
				return // not a name, or internal (__sock, __index)
			}
			if _, isFn := val.(*lua.LFunction); isFn {
				out = append(out, string(ks)+"(")
			} else if !methods {
				out = append(out, string(ks))
			}
		})
		mt, hasMT := L.GetMetatable(t).(*lua.LTable)
		if !hasMT {
			break
		}
		t, ok = mt.RawGetString("__index").(*lua.LTable)
	}
	return out
}

// userdataNames lists what can follow "ud:" or "ud.": the keys of its
// metatable's __index table, its __methods table, or, when __index is a
// function, the documented names that function answers.
func userdataNames(L *lua.LState, ud *lua.LUserData, methods bool) []string {
	mt, ok := L.GetMetatable(ud).(*lua.LTable)
	if !ok {
		return nil
	}
	var out []string
	if m, ok := mt.RawGetString("__methods").(*lua.LTable); ok {
		out = append(out, fieldNames(L, m, methods)...)
	}
	if idx, ok := mt.RawGetString("__index").(*lua.LTable); ok {
		return append(out, fieldNames(L, idx, methods)...)
	}
	seen := map[string]bool{}
	for _, e := range help.Entries() {
		i := strings.LastIndexAny(e.Name, ".:")
		if i <= 0 || seen[e.Name[i+1:]] {
			continue
		}
		m := e.Name[i+1:]
		seen[m] = true
		switch v := help.IndexValue(L, ud, m).(type) {
		case *lua.LNilType:
		case *lua.LFunction:
			out = append(out, m+"(")
		default:
			if !methods && v != nil {
				out = append(out, m)
			}
		}
	}
	return out
}
