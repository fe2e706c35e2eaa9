package luastd

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
)

// stdlibFuncs are the functions the fuzz target calls, by name.
var stdlibFuncs = []string{
	"string.format", "string.rep", "string.char", "string.byte", "string.sub", "string.find",
	"string.match", "string.gsub", "string.gmatch", "string.upper", "string.lower", "string.reverse",
	"string.len", "table.concat", "table.insert", "table.remove", "table.sort", "table.maxn",
	"unpack", "select", "tonumber", "tostring", "math.floor", "math.ceil", "math.fmod", "math.max",
	"math.min", "math.random", "math.pow", "math.ldexp", "math.frexp", "math.modf", "math.log",
	"math.abs", "os.date", "os.time", "setmetatable", "rawget", "rawset", "next", "ipairs",
	"coroutine.wrap", "coroutine.resume", "error", "pcall",
}

// fuzzState is a Lua state with the standard library as nsh patches it and
// the memory guard on (importing the plugins sets lua.AllocCheck).
func fuzzState() *lua.LState {
	L := lua.NewState(lua.Options{RegistryMaxSize: 1 << 20, CallStackSize: 256})
	return L
}

// argOf makes a Lua value of kind k from the fuzzer's string and number.
func argOf(L *lua.LState, k byte, s string, x float64) lua.LValue {
	switch k % 10 {
	case 0:
		return lua.LNil
	case 1:
		return lua.LString(s)
	case 2:
		return lua.LNumber(x)
	case 3:
		return lua.LNumber(math.Trunc(x))
	case 4:
		specials := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 2e62, -2e62, 1 << 40, 0, -1, 255, 256}
		return lua.LNumber(specials[pick(x, len(specials))])
	case 5:
		t := L.NewTable()
		for i, c := range []byte(s) {
			if i > 64 {
				break
			}
			t.Append(lua.LNumber(c))
		}
		return t
	case 6:
		t := L.NewTable()
		t.Append(lua.LString(s))
		t.Append(lua.LNumber(x))
		t.Append(L.NewTable())
		return t
	case 7:
		return lua.LBool(x > 0)
	case 8:
		return L.NewFunction(func(L *lua.LState) int { L.Push(lua.LBool(len(s)%2 == 0)); return 1 })
	default:
		return lua.LString(strings.Repeat(s, 1+pick(x, 64)))
	}
}

// pick is a number from 0 to n-1 made from any float (NaN, inf, 1e300).
func pick(x float64, n int) int {
	m := math.Mod(math.Abs(x), float64(n))
	if m != m {
		return 0
	}
	return int(m)
}

// goFmtText matches what Go's fmt writes for a bad verb or argument
// ("%!s(MISSING)", "%!d(string=x)", "%!(EXTRA int=1)", "%!(NOVERB)"...):
// the whole form, not a bare "%!", which Lua text may hold.
var goFmtText = regexp.MustCompile(`%!(?:[A-Za-z]?\((?:MISSING|NOVERB|BADWIDTH|BADPREC|BADINDEX|EXTRA |[a-z][a-z0-9.\[\]*]*=))`)

// goTexts are other Go runtime words a Lua value must not hold.
var goTexts = []string{"runtime error", "goroutine ", "invalid memory address", "nil pointer", "(MISSING)", "(NOVERB)", "(EXTRA"}

// fromInput says whether text could have come from the fuzzer's own strings
// (as given, joined, or with "%%" read as "%" the way string.format and
// gsub's replacement do): then a function returning it is not Go talking.
func fromInput(text string, inputs ...string) bool {
	var all []string
	for _, a := range inputs {
		for _, b := range inputs {
			all = append(all, a+b)
		}
	}
	for _, s := range all {
		if strings.Contains(s, text) || strings.Contains(strings.ReplaceAll(s, "%%", "%"), text) {
			return true
		}
	}
	return false
}

// checkValue fails on Go text in a Lua value that the inputs do not explain.
func checkValue(t *testing.T, call string, v lua.LValue, inputs ...string) {
	s, ok := v.(lua.LString)
	if !ok {
		return
	}
	inputs = append(inputs, "")
	for _, m := range goFmtText.FindAllString(string(s), -1) {
		if !fromInput(m, inputs...) {
			t.Fatalf("%s: Go fmt text %q in %.200q", call, m, string(s))
		}
	}
	for _, bad := range goTexts {
		if strings.Contains(string(s), bad) && !fromInput(bad, inputs...) {
			t.Fatalf("%s: Go text %q in %.200q", call, bad, string(s))
		}
	}
}

// FuzzStdlib calls a standard library function with up to four arguments
// of random kinds (nil, strings with NUL bytes, NaN, ±inf, 2^62, tables,
// functions...) under a 16 MB memory limit and a 1 s deadline: it must
// return or raise a Lua error, never panic in Go, never answer Go's text,
// never run past the deadline (the checkpoints end long built-ins).
func FuzzStdlib(f *testing.F) {
	seeds := []struct {
		fn     byte
		kinds  []byte
		s1, s2 string
		x, y   float64
	}{
		{0, []byte{1, 0}, "%s", "", 0, 0},
		{0, []byte{1, 2}, "%999999999d", "", 1, 0},
		{0, []byte{1, 2, 2}, "%5.2f|%x|%c|%q", "a\x00b", 3.14159, -1},
		{1, []byte{1, 4}, "x", "", 7, 0},
		{1, []byte{1, 2}, "xx", "", 4.6e18, 0},
		{2, []byte{2, 4}, "", "", 256, 9},
		{3, []byte{1, 4, 4}, "abc", "", 5, 6},
		{5, []byte{1, 1}, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?a?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0},
		{7, []byte{9, 1, 1}, "ab", "%", 500, 0},
		{13, []byte{6, 1}, "x", ",", 1, 0},
		{16, []byte{5, 8}, "zyxwvutsrqponmlkjihgfedcba", "", 0, 0},
		{18, []byte{5, 2, 4}, "abc", "", 1, 7},
		{20, []byte{1, 2}, "0x10", "", 16, 0},
		{20, []byte{1, 3}, " ff ", "", 16, 0},
		{21, []byte{4}, "", "", 0, 0},
		{34, []byte{1, 4}, "*t", "", 3, 0},
		{27, []byte{2}, "", "", 0, 0},
		{36, []byte{1, 6}, "", "", 0, 0},
	}
	for _, s := range seeds {
		f.Add(s.fn, s.kinds, s.s1, s.s2, s.x, s.y)
	}
	old, how := memguard.Limit(), memguard.Source()
	memguard.Set(16e6, "--max-mem")
	defer memguard.Set(old, how)
	L := fuzzState()
	defer L.Close()
	f.Fuzz(func(t *testing.T, fn byte, kinds []byte, s1, s2 string, x, y float64) {
		if len(kinds) > 4 {
			kinds = kinds[:4]
		}
		name := stdlibFuncs[int(fn)%len(stdlibFuncs)]
		mod, field, dotted := strings.Cut(name, ".")
		var fv lua.LValue
		if dotted {
			fv = L.GetField(L.GetGlobal(mod), field)
		} else {
			fv = L.GetGlobal(name)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		L.SetContext(ctx)
		defer L.RemoveContext()
		L.SetTop(0)
		L.Push(fv)
		for i, k := range kinds {
			s, n := s1, x
			if i%2 == 1 {
				s, n = s2, y
			}
			L.Push(argOf(L, k, s, n))
		}
		start := time.Now()
		err := L.PCall(len(kinds), lua.MultRet, nil)
		if d := time.Since(start); d > 4*time.Second {
			t.Fatalf("%s: %v past the 1 s deadline", name, d)
		}
		if err != nil {
			if ae, ok := err.(*lua.ApiError); ok {
				if ae.Type == lua.ApiErrorPanic {
					t.Fatalf("%s%v: a Go panic: %v", name, kinds, ae.Object)
				}
				checkValue(t, name, ae.Object, s1, s2)
			}
			return
		}
		for i := 1; i <= L.GetTop(); i++ {
			checkValue(t, name, L.Get(i), s1, s2)
		}
		L.SetTop(0)
	})
}

// TestGoPanicNamesTheFunction: a Go panic inside a built-in becomes an error
// naming the Lua function, without Go's runtime text.
func TestGoPanicNamesTheFunction(t *testing.T) {
	L := fuzzState()
	defer L.Close()
	L.SetGlobal("crash", L.NewFunction(func(L *lua.LState) int {
		var s []int
		return s[3] // index out of range
	}))
	if err := L.DoString(`ok, msg = pcall(function() return crash(1) end)`); err != nil {
		t.Fatal(err)
	}
	msg := L.GetGlobal("msg").String()
	if L.GetGlobal("ok") != lua.LFalse || !strings.Contains(msg, "internal error in 'crash'") || strings.Contains(msg, "runtime error") {
		t.Fatalf("pcall of a panicking built-in: %q", msg)
	}
}

// TestCheckValueKnowsInputText: "%!" (or a whole Go form) that the input
// itself holds is not flagged; Go's own text is.
func TestCheckValueKnowsInputText(t *testing.T) {
	L := fuzzState()
	defer L.Close()
	if err := L.DoString(`a = string.rep("%!", 3); b = string.format("%s", "x%!s(MISSING)"); c = string.format("%%!d(")`); err != nil {
		t.Fatal(err)
	}
	checkValue(t, "rep", L.GetGlobal("a"), "%!")
	checkValue(t, "format", L.GetGlobal("b"), "%s", "x%!s(MISSING)")
	checkValue(t, "format", L.GetGlobal("c"), "%%!d(")
	for _, goText := range []string{"%!s(MISSING)", "1 %!d(string=x)", "%!(EXTRA int=1)", "%!(NOVERB)"} {
		if m := goFmtText.FindString(goText); m == "" || fromInput(m, "%s", "x", "") {
			t.Fatalf("%q is not recognised as Go's text", goText)
		}
	}
}
