package printer

import (
	"fmt"
	"math"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"nsh/shell/help"
)

// Printer limits: beyond them a value is cut short with a note.
const (
	Width            = 80   // a table fits on one line up to this width
	printMaxDepth    = 8    // nested tables deeper than this show as {...}
	printMaxItems    = 200  // entries shown per table
	printMaxString   = 4096 // bytes of a text string shown at top level
	MaxNested        = 200  // bytes of a string shown inside a table
	hexDumpMin       = 32   // binary strings this long print as a hex dump
	HexDumpMaxLength = 1024 // bytes a hex dump shows
	MaxValues        = 2000 // values shown in all (printing _G stays short)
	printPackWidth   = 20   // array values this short share lines in a long table
)

// Printer renders Lua values for the REPL: tables nested and sorted with
// cycles marked, strings quoted with binary bytes escaped, long binary data
// as a hex dump, values with __tostring (sockets, addresses) through it.
// It runs Lua (__tostring), so the caller holds the session lock.
type Printer struct {
	L     *lua.LState
	color bool
	style func(kind, text string) string
	names map[lua.LValue]string // functions documented in the help registry
	// StrKind styles strings: "string", or "recv" for data just received.
	StrKind string
	budget  int // values left to show
}

func New(L *lua.LState, color bool, style func(kind, text string) string) *Printer {
	if style == nil || !color {
		style = func(_, s string) string { return s }
	}
	return &Printer{L: L, color: color, style: style, StrKind: "string", budget: MaxValues}
}

// Format renders v at the top level.
func (p *Printer) Format(v lua.LValue) string {
	if s, ok := v.(lua.LString); ok && isLinesOfText(string(s)) {
		return p.style(p.StrKind, longString(string(s)))
	}
	if s, ok := v.(lua.LString); ok && isBinary(string(s)) && len(s) >= hexDumpMin {
		return p.hexDump(string(s))
	}
	if s, ok := v.(lua.LString); ok {
		return p.style(p.StrKind, QuoteLua(string(s), printMaxString))
	}
	n := p.build(v, 0, map[*lua.LTable]bool{})
	return p.render(n, 0, 0)
}

// node is a value laid out for printing: a leaf (text) or a table (items).
type node struct {
	text    string // plain text of a leaf
	kind    string // its style kind
	table   bool
	items   []item
	more    int // entries left out
	flatLen int // length on one line, without colour
}

type item struct {
	key string // "" for array items
	val *node
}

func leaf(text, kind string) *node { return &node{text: text, kind: kind, flatLen: len(text)} }

func (p *Printer) build(v lua.LValue, depth int, path map[*lua.LTable]bool) *node {
	if p.budget--; p.budget < 0 {
		return leaf("...", "dim")
	}
	switch x := v.(type) {
	case *lua.LNilType:
		return leaf("nil", "dim")
	case lua.LBool:
		return leaf(x.String(), "number")
	case lua.LNumber:
		return leaf(formatNumber(x), "number")
	case lua.LString:
		return leaf(QuoteLua(string(x), MaxNested), p.StrKind)
	case *lua.LFunction:
		return leaf(p.funcText(x), "dim")
	case *lua.LUserData:
		if s, ok := p.ToString(x); ok {
			return leaf(s, "addr")
		}
		return leaf(p.typeText(x, "userdata"), "dim")
	case *lua.LState:
		return leaf("thread", "dim")
	case *lua.LTable:
		if s, ok := p.ToString(x); ok {
			return leaf(s, "addr")
		}
		if path[x] {
			return leaf("<cycle>", "warn")
		}
		if depth >= printMaxDepth {
			return leaf("{...}", "dim")
		}
		path[x] = true
		defer delete(path, x)
		return p.buildTable(x, depth, path)
	}
	return leaf(v.String(), "")
}

func (p *Printer) buildTable(t *lua.LTable, depth int, path map[*lua.LTable]bool) *node {
	n := &node{table: true}
	keys, arrayLen := sortedKeys(t)
	for i, k := range keys {
		if len(n.items) >= printMaxItems {
			n.more = len(keys) - i
			break
		}
		it := item{val: p.build(t.RawGet(k), depth+1, path)}
		if i >= arrayLen {
			it.key = p.keyText(k)
		}
		n.items = append(n.items, it)
	}
	n.flatLen = 2
	for i, it := range n.items {
		if i > 0 {
			n.flatLen += 2
		}
		if it.key != "" {
			n.flatLen += len(it.key) + 3
		}
		n.flatLen += it.val.flatLen
	}
	if n.more > 0 {
		n.flatLen += 20
	}
	return n
}

// sortedKeys returns the array part 1..n first, then the other keys:
// numbers ascending, then strings, then booleans and the rest.
func sortedKeys(t *lua.LTable) ([]lua.LValue, int) {
	arrayLen := 0
	for t.RawGetInt(arrayLen+1) != lua.LNil {
		arrayLen++
	}
	keys := make([]lua.LValue, 0, arrayLen)
	for i := 1; i <= arrayLen; i++ {
		keys = append(keys, lua.LNumber(i))
	}
	var rest []lua.LValue
	t.ForEach(func(k, _ lua.LValue) {
		if n, ok := k.(lua.LNumber); ok && n >= 1 && n <= lua.LNumber(arrayLen) && n == lua.LNumber(math.Trunc(float64(n))) {
			return
		}
		rest = append(rest, k)
	})
	rank := func(v lua.LValue) int {
		switch v.(type) {
		case lua.LNumber:
			return 0
		case lua.LString:
			return 1
		case lua.LBool:
			return 2
		}
		return 3
	}
	sort.SliceStable(rest, func(i, j int) bool {
		a, b := rest[i], rest[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		switch x := a.(type) {
		case lua.LNumber:
			return x < b.(lua.LNumber)
		case lua.LString:
			return naturalLess(string(x), string(b.(lua.LString)))
		case lua.LBool:
			return !bool(x) && bool(b.(lua.LBool))
		}
		return a.String() < b.String()
	})
	return append(keys, rest...), arrayLen
}

// keyText is how a table key prints: name, [1.5], ["a b"], [function: print].
func (p *Printer) keyText(k lua.LValue) string {
	if fn, ok := k.(*lua.LFunction); ok {
		return "[" + p.funcText(fn) + "]"
	}
	if s, ok := k.(lua.LString); ok && IsIdentifier(string(s)) {
		return string(s)
	}
	switch x := k.(type) {
	case lua.LString:
		return "[" + QuoteLua(string(x), MaxNested) + "]"
	case lua.LNumber:
		return "[" + formatNumber(x) + "]"
	}
	return "[" + k.String() + "]"
}

// render lays n out at nesting level, starting at column col: on one
// line when it fits, else one entry per line.
func (p *Printer) render(n *node, level, col int) string {
	if !n.table {
		return p.style(n.kind, n.text)
	}
	if len(n.items) == 0 && n.more == 0 {
		return "{}"
	}
	oneLine := n.flatLen+col <= Width
	var b strings.Builder
	b.WriteString("{")
	pad := strings.Repeat("  ", level+1)
	packed := 0 // width of the line of short array values being filled, or 0
	for i, it := range n.items {
		if !oneLine && it.key == "" && !it.val.table && it.val.flatLen <= printPackWidth {
			// short array values share lines, as many as fit
			if packed > 0 && packed+1+it.val.flatLen+1 <= Width {
				b.WriteString(" ")
				packed += 1 + it.val.flatLen + 1
			} else {
				b.WriteString("\n" + pad)
				packed = len(pad) + it.val.flatLen + 1
			}
			b.WriteString(p.render(it.val, level+1, 0) + ",")
			continue
		}
		packed = 0
		if oneLine {
			if i > 0 {
				b.WriteString(", ")
			}
		} else {
			b.WriteString("\n" + pad)
		}
		childCol := len(pad)
		if it.key != "" {
			b.WriteString(p.style("key", it.key) + " = ")
			childCol += len(it.key) + 3
		}
		b.WriteString(p.render(it.val, level+1, childCol))
		if !oneLine {
			b.WriteString(",")
		}
	}
	if n.more > 0 {
		note := p.style("dim", fmt.Sprintf("... %d more", n.more))
		if oneLine {
			b.WriteString(", " + note)
		} else {
			b.WriteString("\n" + pad + note)
		}
	}
	if !oneLine {
		b.WriteString("\n" + strings.Repeat("  ", level))
	}
	b.WriteString("}")
	return b.String()
}

// ToString calls v's __tostring, if it has one (errors are shown, not raised).
func (p *Printer) ToString(v lua.LValue) (string, bool) {
	mt, ok := p.L.GetMetatable(v).(*lua.LTable)
	if !ok {
		return "", false
	}
	fn := mt.RawGetString("__tostring")
	if fn == lua.LNil {
		return "", false
	}
	p.L.Push(fn)
	p.L.Push(v)
	if err := p.L.PCall(1, 1, nil); err != nil {
		return "<__tostring failed: " + firstLine(err.Error()) + ">", true
	}
	ret := p.L.Get(-1)
	p.L.Pop(1)
	return lua.LVAsString(ret), true
}

// typeText names a value without __tostring: <socket.address> from __name.
func (p *Printer) typeText(v lua.LValue, kind string) string {
	if mt, ok := p.L.GetMetatable(v).(*lua.LTable); ok {
		if name, ok := mt.RawGetString("__name").(lua.LString); ok {
			return "<" + string(name) + ">"
		}
	}
	return "<" + kind + ">"
}

// funcText names a function: its help name, or where it was defined.
func (p *Printer) funcText(fn *lua.LFunction) string {
	if p.names == nil {
		p.names = help.FunctionNames(p.L)
	}
	if name, ok := p.names[fn]; ok {
		return "function: " + name
	}
	if fn.Proto != nil {
		return fmt.Sprintf("function: %s:%d", fn.Proto.SourceName, fn.Proto.LineDefined)
	}
	if name := help.StdName(p.L, fn); name != "" {
		return "function: " + name
	}
	return "function: builtin"
}
