package lua

// nsh patch: string.find, match, gmatch and gsub on pm's one-match-at-a-time
// iterator (see NSH-PATCH.md). Upstream collected every match of a subject
// before using one (gmatch and gsub on a long string held millions of
// matches), rebuilt the whole result for each gsub replacement (quadratic:
// minutes for a few megabytes), and could not be interrupted. Here a match
// calls L.Checkpoint every pm.pollEvery steps, gsub builds its result once,
// checked against the memory guard as it grows, and the replacement rules
// are Lua 5.1's ("%x" is "x", a table value must be a string or number).

import (
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/pm"
)

// luaSpecials are the characters that make a pattern more than plain text.
const luaSpecials = "^$*+?.([%-"

// compilePattern compiles pat or raises its error.
func compileLuaPattern(L *LState, pat string) *pm.Pattern {
	p, err := pm.Compile(pat)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	return p
}

// nextMatch is it.Next raising the matcher's error.
func nextMatch(L *LState, it *pm.Iter) *pm.MatchData {
	md, err := it.Next()
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	return md
}

// pushCaptures pushes the captures of md (the whole match when it has
// none and whole is set) and returns how many it pushed.
func pushCaptures(L *LState, md *pm.MatchData, str string, whole bool) int {
	if md.CaptureLength() == 2 {
		if !whole {
			return 0
		}
		L.Push(LString(str[md.Capture(0):md.Capture(1)]))
		return 1
	}
	for i := 2; i < md.CaptureLength(); i += 2 {
		if md.IsPosCapture(i) {
			L.Push(LNumber(md.Capture(i)))
		} else {
			L.Push(LString(str[md.Capture(i):md.Capture(i+1)]))
		}
	}
	return md.CaptureLength()/2 - 1
}

// strInit is Lua 5.1's start position of find and match: negative counts
// from the end, clamped to 0..len.
func strInit(L *LState, str string, n int) int {
	init := int64(L.OptInt64(n, 1))
	l := int64(len(str))
	if init < 0 {
		init = l + init + 1
	}
	init--
	if init < 0 {
		init = 0
	} else if init > l {
		init = l
	}
	return int(init)
}

func strFind(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	init := strInit(L, str, 3)
	if L.ToBool(4) || !strings.ContainsAny(pattern, luaSpecials) {
		pos := strings.Index(str[init:], pattern)
		if pos < 0 {
			L.Push(LNil)
			return 1
		}
		L.Push(LNumber(init + pos + 1))
		L.Push(LNumber(init + pos + len(pattern)))
		return 2
	}
	md := nextMatch(L, compileLuaPattern(L, pattern).Iter(unsafeFastStringToReadOnlyBytes(str), init, L.Checkpoint))
	if md == nil {
		L.Push(LNil)
		return 1
	}
	L.Push(LNumber(md.Capture(0) + 1))
	L.Push(LNumber(md.Capture(1)))
	return 2 + pushCaptures(L, md, str, false)
}

func strMatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	init := strInit(L, str, 3)
	md := nextMatch(L, compileLuaPattern(L, pattern).Iter(unsafeFastStringToReadOnlyBytes(str), init, L.Checkpoint))
	if md == nil {
		L.Push(LNil)
		return 1
	}
	return pushCaptures(L, md, str, true)
}

// gmatchState is a gmatch iterator's subject and walk.
type gmatchState struct {
	str string
	it  *pm.Iter
}

func strGmatch(L *LState) int {
	str := L.CheckString(1)
	pattern := L.CheckString(2)
	if strings.HasPrefix(pattern, "^") {
		pattern = "%" + pattern // Lua 5.1: no anchor in gmatch, '^' is itself
	}
	p := compileLuaPattern(L, pattern)
	L.Push(L.Get(UpvalueIndex(1)))
	ud := L.NewUserData()
	ud.Value = &gmatchState{str: str, it: p.Iter(unsafeFastStringToReadOnlyBytes(str), 0, nil)}
	L.Push(ud)
	return 2
}

func strGmatchIter(L *LState) int {
	st := L.CheckUserData(1).Value.(*gmatchState)
	st.it.SetPoll(L.Checkpoint) // the state calling this step
	md := nextMatch(L, st.it)
	st.it.SetPoll(nil)
	if md == nil {
		return 0
	}
	return pushCaptures(L, md, st.str, true)
}

// gsubBuf is gsub's result, checked against the memory guard whenever it
// must grow.
type gsubBuf struct {
	L *LState
	b []byte
}

func (g *gsubBuf) add(s string) {
	if len(g.b)+len(s) > cap(g.b) {
		need := sizeAdd(int64(len(g.b)), int64(len(s)))
		g.L.CheckAlloc("string.gsub", need)
		nb := make([]byte, len(g.b), max(need, int64(2*cap(g.b))))
		copy(nb, g.b)
		g.b = nb
	}
	g.b = append(g.b, s...)
}

func strGsub(L *LState) int {
	str := L.CheckString(1)
	pat := L.CheckString(2)
	repl := L.Get(3)
	switch repl.(type) {
	case LNumber, LString, *LTable, *LFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	maxN := L.OptInt64(4, int64(len(str))+1)
	p := compileLuaPattern(L, pat)
	it := p.Iter(unsafeFastStringToReadOnlyBytes(str), 0, L.Checkpoint)
	out := gsubBuf{L: L, b: make([]byte, 0, min(len(str), 1<<16))}
	last, n := 0, int64(0)
	for n < maxN {
		md := nextMatch(L, it)
		if md == nil {
			break
		}
		n++
		start, end := md.Capture(0), md.Capture(1)
		out.add(str[last:start])
		out.add(gsubValue(L, str, md, repl))
		last = end
	}
	out.add(str[last:])
	L.Push(LString(bytesToString(out.b)))
	L.Push(LNumber(n))
	return 2
}

// gsubValue is the replacement of one match, by Lua 5.1's rules.
func gsubValue(L *LState, str string, md *pm.MatchData, repl LValue) string {
	whole := str[md.Capture(0):md.Capture(1)]
	switch r := repl.(type) {
	case LString, LNumber:
		return gsubTemplate(L, str, md, LVAsString(r))
	}
	var v LValue
	top := L.GetTop()
	switch r := repl.(type) {
	case *LTable:
		pushCaptures(L, md, str, true)
		v = L.GetTable(r, L.Get(top+1))
	case *LFunction:
		L.Push(r)
		nargs := pushCaptures(L, md, str, true)
		L.Call(nargs, 1)
		v = L.Get(-1)
	}
	L.SetTop(top)
	switch v := v.(type) {
	case LString:
		return string(v)
	case LNumber:
		return v.String()
	case *LNilType:
		return whole
	case LBool:
		if !bool(v) {
			return whole
		}
	}
	L.RaiseError("invalid replacement value (a %s)", v.Type().String())
	return ""
}

// gsubTemplate expands a replacement string: %0 the match, %1-%9 the
// captures, % followed by anything else that character.
func gsubTemplate(L *LState, str string, md *pm.MatchData, tmpl string) string {
	if strings.IndexByte(tmpl, '%') < 0 {
		return tmpl
	}
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c != '%' || i+1 == len(tmpl) {
			b.WriteByte(c)
			continue
		}
		i++
		c = tmpl[i]
		switch {
		case c < '0' || c > '9':
			b.WriteByte(c)
		case c == '0':
			b.WriteString(str[md.Capture(0):md.Capture(1)])
		default:
			idx := 2 * int(c-'0')
			switch {
			case idx == 2 && md.CaptureLength() == 2:
				b.WriteString(str[md.Capture(0):md.Capture(1)])
			case idx >= md.CaptureLength():
				L.RaiseError("invalid capture index")
			case md.IsPosCapture(idx):
				b.WriteString(strconv.Itoa(md.Capture(idx)))
			default:
				b.WriteString(str[md.Capture(idx):md.Capture(idx+1)])
			}
		}
	}
	return b.String()
}
