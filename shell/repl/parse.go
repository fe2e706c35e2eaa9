package repl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"nsh/shell/printer"
)

// replChunkName names the REPL's chunks in error messages ("stdin:1: ...").
const replChunkName = "stdin"

// luaEquals reads the Lua 5.1 prompt's "=expr" (print expr) as "expr"; a
// blank takes the "=" place so that error columns stay right.
func luaEquals(src string) string {
	t := strings.TrimLeft(src, " \t")
	if strings.HasPrefix(t, "=") && !strings.HasPrefix(t, "==") {
		i := len(src) - len(t)
		return src[:i] + " " + src[i+1:]
	}
	return src
}

// exprPrefix and exprSuffix turn a line into "return its values". select
// keeps the line's own calls out of tail position, so an error's traceback
// still shows the functions it went through.
const (
	exprPrefix = "return select(1, "
	exprSuffix = "\n)"
)

// chunkForms are the ways the REPL reads a chunk, in order: an expression
// whose values print; statements whose last one is an expression to print
// ("t = {}; t.x = 1; t"); an assignment that reports a failed call, alone
// or last after other statements; plain statements.
func chunkForms(src string) []string {
	src = luaEquals(src)
	forms := []string{exprPrefix + src + exprSuffix}
	if i := strings.LastIndexByte(src, ';'); i > 0 && strings.TrimSpace(src[i+1:]) != "" {
		forms = append(forms, src[:i+1]+" "+exprPrefix+src[i+1:]+exprSuffix)
	}
	if f, ok := reportingAssignment(src); ok {
		forms = append(forms, f)
	}
	if i := strings.LastIndexByte(src, ';'); i > 0 {
		if f, ok := reportingAssignment(src[i+1:]); ok { // "srv = ...; c = socket.connect(...)"
			forms = append(forms, src[:i+1]+" "+f)
		}
	}
	return append(forms, src)
}

// assignment matches "name = expr" and "a.b.c = expr" (not "==").
var assignment = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*=([^=][\s\S]*)$`)

// reportingAssignment rewrites "c = socket.connect(...)" so that the value
// is assigned as typed and, when the call failed (nil, short, story), the
// chunk also returns those values: the REPL prints the story in red
// instead of the failure passing unseen into c.
func reportingAssignment(src string) (string, bool) {
	m := assignment.FindStringSubmatch(src)
	if m == nil || printer.LuaKeywords[strings.SplitN(m[1], ".", 2)[0]] || parseErr("return "+m[2]) != nil {
		return "", false
	}
	return "local nsh_v_, nsh_e_, nsh_s_ =" + m[2] + "\n" + m[1] + " = nsh_v_ " +
		"if nsh_v_ == nil and type(nsh_e_) == \"string\" then return nil, nsh_e_, nsh_s_ end", true
}

// incompleteChunk reports whether src only lacks its end: a block, a
// bracket or a long string still open, so the REPL should read more lines.
func incompleteChunk(src string) bool {
	src = luaEquals(src)
	forms := chunkForms(src)
	for _, f := range forms {
		if parseErr(f) == nil {
			return false
		}
	}
	// "{" or "f(" alone are not statements but open expressions
	return atEOF(parseErr(src)) || atEOF(parseErr("return "+src))
}

func parseErr(src string) error {
	_, err := parse.Parse(strings.NewReader(src), replChunkName)
	return err
}

// atEOF reports a parse error met at the end of the input (gopher-lua
// reports those at line -1), other than an unfinished "short string".
func atEOF(err error) bool {
	pe := syntaxPos(err)
	return pe != nil && pe.Pos.Line < 0 && pe.Message != "unterminated string"
}

// compileChunk compiles the first form of src that parses. When none does
// it reports the error of the plain statements, or of the expression form
// when that got further ("1 +* 2" fails at "1" as a statement but at "*"
// as an expression). The caller holds the lock.
func compileChunk(L *lua.LState, src string) (*lua.LFunction, error) {
	src = luaEquals(src)
	for _, f := range chunkForms(src) {
		if parseErr(f) == nil {
			return L.Load(strings.NewReader(f), replChunkName)
		}
	}
	sp := syntaxPos(parseErr(src))
	rp := syntaxPos(parseErr("return " + src))
	if sp == nil {
		return nil, parseErr(src)
	}
	if sp.Message == "unterminated string" && sp.Pos.Line < 0 {
		if line, col, ok := openString(src); ok {
			sp.Pos.Line, sp.Pos.Column = line, col
			sp.Token = strings.Split(src, "\n")[line-1][col-1:col] + sp.Token // near '"abc'
			return nil, &syntaxError{pe: sp}
		}
	}
	if rp != nil && rp.Pos.Line > 0 && sp.Pos.Line > 0 {
		rline, rcol := rp.Pos.Line, rp.Pos.Column
		if rline == 1 {
			rcol -= len("return ")
		}
		if rline > sp.Pos.Line || (rline == sp.Pos.Line && rcol > sp.Pos.Column) {
			rp.Pos.Column = rcol
			return nil, &syntaxError{pe: rp}
		}
	}
	return nil, &syntaxError{pe: sp}
}

// syntaxPos returns a copy of the parse error inside err, or nil.
func syntaxPos(err error) *parse.Error {
	if ae, ok := err.(*lua.ApiError); ok && ae.Cause != nil {
		err = ae.Cause
	}
	var pe *parse.Error
	if errors.As(err, &pe) {
		cp := *pe
		return &cp
	}
	return nil
}

// syntaxError is a parse error with where it happened.
type syntaxError struct{ pe *parse.Error }

func (e *syntaxError) Error() string {
	near := ""
	if e.pe.Token != "" {
		near = " near '" + e.pe.Token + "'"
	}
	if e.pe.Pos.Line < 0 {
		return replChunkName + ": " + e.pe.Message + " at the end of the input" + near
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", replChunkName, e.pe.Pos.Line, e.pe.Pos.Column, e.pe.Message, near)
}

// caret returns the offending line of src with a caret under the column.
func (e *syntaxError) caret(src string) string {
	lines := strings.Split(src, "\n")
	ln, col := e.pe.Pos.Line, e.pe.Pos.Column
	if ln < 1 || ln > len(lines) || col < 1 {
		return ""
	}
	line := lines[ln-1]
	if col > len(line)+1 {
		col = len(line) + 1
	}
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, line[:col-1])
	return "  " + line + "\n  " + pad + "^"
}

// openString finds the short string literal that src leaves open (the
// parser reports it only at the end of the input): the line and column of
// its quote, both from 1.
func openString(src string) (line, col int, ok bool) {
	line, lineStart := 1, 0
	// skip moves i past s[i:end], counting the lines in it
	skip := func(i, end int) int {
		for j := i; j < end && j < len(src); j++ {
			if src[j] == '\n' {
				line++
				lineStart = j + 1
			}
		}
		return end
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			i = skip(i, i+1)
		case strings.HasPrefix(src[i:], "--"):
			if lvl := longBracket(src[i+2:]); lvl >= 0 {
				i = skip(i, closeLong(src, i+2, lvl))
			} else if nl := strings.IndexByte(src[i:], '\n'); nl >= 0 {
				i += nl
			} else {
				return 0, 0, false
			}
		case c == '[' && longBracket(src[i:]) >= 0:
			i = skip(i, closeLong(src, i, longBracket(src[i:])))
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' && j+1 < len(src) {
					j++ // an escape, "\<newline>" included
				}
				j++
			}
			if j >= len(src) || src[j] == '\n' {
				return line, i - lineStart + 1, true
			}
			i = skip(i, j+1)
		default:
			i++
		}
	}
	return 0, 0, false
}

// longBracket returns the level of the long bracket s starts with ("[[" is
// 0, "[==[" is 2), or -1.
func longBracket(s string) int {
	if !strings.HasPrefix(s, "[") {
		return -1
	}
	n := 1
	for n < len(s) && s[n] == '=' {
		n++
	}
	if n < len(s) && s[n] == '[' {
		return n - 1
	}
	return -1
}

// closeLong returns the index just past the long bracket of level lvl that
// closes the one opening at src[open:], or len(src).
func closeLong(src string, open, lvl int) int {
	start := open + lvl + 2
	end := strings.Index(src[start:], "]"+strings.Repeat("=", lvl)+"]")
	if end < 0 {
		return len(src)
	}
	return start + end + lvl + 2
}
