package plugintest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
	"nsh/plugins"
)

// API describes the functions of one plugin for FuzzAPI.
type API struct {
	// Plugins are loaded into each fresh state (registered names).
	Plugins []string
	// Setup is a Lua chunk run in each fresh state before the calls, with
	// the global DIR set to a new empty folder; it makes the objects whose
	// methods are fuzzed (a jail in DIR, a hasher, a progress bar...).
	Setup string
	// Calls are the functions fuzzed besides the plugins' documented ones
	// (every plugins.Help entry that is a function): "struct.pack" calls a
	// field of a global; "jail:read" calls a method, with the global jail
	// as self (now and then another value, to check misuse). Setup makes
	// the globals the methods need.
	Calls []string
	// Exclude are documented functions not to fuzz (fs.remove of a random
	// path outside any jail).
	Exclude []string
	// Words are strings the arguments are drawn from besides random bytes:
	// formats, encodings, option names the functions know.
	Words []string
}

// FuzzLimit is the memory guard's limit while a fuzz input runs: a call
// asked for more must refuse with an error, not try.
const FuzzLimit = 64 << 20

// callTimeout bounds one fuzzed call: past it the process panics with the
// call's text, so the fuzzer keeps the input as a crasher (a Go built-in
// cannot be stopped from outside).
const callTimeout = 20 * time.Second

// panicMarks are texts of Go panics and of Go's fmt errors, which must never
// reach a Lua value or error message.
var panicMarks = []string{"runtime error", "goroutine ", "panic:", "%!", "nil pointer", "index out of range",
	"slice bounds out of range", "invalid memory address", "makeslice", "[recovered]", "internal error (a bug in nsh"}

// SeedAPI adds n inputs made by a fixed PRNG to f, so that the seed corpus
// (what go test runs without -fuzz, in CI) already makes some hundreds of
// calls of every function.
func SeedAPI(f *testing.F, n int) {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	for i := 0; i < n; i++ {
		b := make([]byte, 8+r.IntN(56))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		f.Add(b)
	}
}

// FuzzAPI is the body of a plugin's API fuzz target: data becomes up to
// three calls of api.Calls with random arguments — every Lua type, huge and
// special numbers (2^63, NaN, inf, -0), strings with NUL bytes, long
// strings, tables, functions that raise — in a fresh state under the
// FuzzLimit memory guard. A call may raise (misuse) or return anything; it
// must not take the process down, must not return or raise Go panic or fmt
// text, and must end within callTimeout.
func FuzzAPI(t *testing.T, api API, data []byte) {
	lim, how := memguard.Limit(), memguard.Source()
	memguard.Set(FuzzLimit, "fuzz limit")
	defer memguard.Set(lim, how)
	h := NewHost(t)
	L := NewState(t, h, api.Plugins...)
	L.SetGlobal("DIR", lua.LString(t.TempDir()))
	if api.Setup != "" {
		if err := L.DoString(api.Setup); err != nil {
			t.Fatalf("setup: %v", err)
		}
	}
	calls := apiCalls(t, L, api)
	g := &argGen{data: data, words: api.Words, L: L}
	for n := 0; n < 3 && g.more(); n++ {
		c := calls[int(g.byte())%len(calls)]
		call, fn, self := c.name, c.fn, c.self
		var args []lua.LValue
		if self != nil {
			if g.byte()%8 == 0 {
				args = append(args, g.value(0))
			} else {
				args = append(args, self)
			}
		}
		for k := int(g.byte() % 6); k > 0; k-- {
			args = append(args, g.value(0))
		}
		checkCall(t, L, call, fn, args, g.inputs.String())
		h.mu.Lock()
		out := h.Out.String() + h.Err.String()
		h.Out.Reset()
		h.Err.Reset()
		h.mu.Unlock()
		checkText(t, describeCall(call, args), "output", out, g.inputs.String())
	}
}

type apiCall struct {
	name     string
	fn, self lua.LValue
}

// apiCalls resolves the functions to fuzz in L: the documented ones that
// are functions (not constants such as json.null), then api.Calls.
func apiCalls(t *testing.T, L *lua.LState, api API) []apiCall {
	var out []apiCall
	skip := map[string]bool{}
	for _, name := range api.Exclude {
		skip[name] = true
	}
	for _, pn := range api.Plugins {
		p, _ := plugins.Get(pn)
		for _, h := range p.Help {
			if fn, self := lookupCall(L, h.Name); fn != nil && !skip[h.Name] {
				out = append(out, apiCall{h.Name, fn, self})
			}
		}
	}
	for _, name := range api.Calls {
		fn, self := lookupCall(L, name)
		if fn == nil {
			t.Fatalf("%s is not a function", name)
		}
		out = append(out, apiCall{name, fn, self})
	}
	if len(out) == 0 {
		t.Fatal("no functions to fuzz")
	}
	return out
}

// lookupCall finds the function of "mod.fn" or "obj:method" in L (nil when
// there is none).
func lookupCall(L *lua.LState, call string) (fn lua.LValue, self lua.LValue) {
	obj, name, method := strings.Cut(call, ":")
	if !method {
		obj, name, _ = strings.Cut(call, ".")
	}
	holder := L.GetGlobal(obj)
	if holder == lua.LNil || strings.Contains(name, ".") {
		return nil, nil
	}
	fn = L.GetField(holder, name)
	if fn.Type() != lua.LTFunction {
		return nil, nil
	}
	if method {
		self = holder
	}
	return fn, self
}

// checkCall calls fn(args...) protected and checks what comes back.
func checkCall(t *testing.T, L *lua.LState, call string, fn lua.LValue, args []lua.LValue, inputs string) {
	desc := describeCall(call, args)
	timer := time.AfterFunc(callTimeout, func() {
		fmt.Fprintf(os.Stderr, "fuzz: %s did not return within %v\n", desc, callTimeout)
		panic("fuzz: call did not return: " + desc)
	})
	top := L.GetTop()
	L.Push(fn)
	for _, a := range args {
		L.Push(a)
	}
	err := L.PCall(len(args), lua.MultRet, nil)
	timer.Stop()
	if err != nil {
		if ae, ok := err.(*lua.ApiError); ok && ae.Type == lua.ApiErrorPanic {
			t.Fatalf("%s: a Go panic: %v", desc, err)
		}
		checkText(t, desc, "error", err.Error(), inputs)
	}
	for i := top + 1; i <= L.GetTop(); i++ {
		checkValue(t, desc, L.Get(i), inputs, 0)
	}
	L.SetTop(top)
}

func checkValue(t *testing.T, desc string, v lua.LValue, inputs string, depth int) {
	switch x := v.(type) {
	case lua.LString:
		checkText(t, desc, "result", string(x), inputs)
	case *lua.LTable:
		if depth < 2 {
			x.ForEach(func(k, v lua.LValue) {
				checkValue(t, desc, k, inputs, depth+1)
				checkValue(t, desc, v, inputs, depth+1)
			})
		}
	}
}

// checkText fails on a panic mark in s that the inputs did not carry.
func checkText(t *testing.T, desc, what, s, inputs string) {
	for _, m := range panicMarks {
		if strings.Contains(s, m) && !strings.Contains(inputs, m) {
			t.Fatalf("%s: %s holds Go text %q: %.300q", desc, what, m, s)
		}
	}
}

// describeCall renders a call for failure messages, long strings cut.
func describeCall(call string, args []lua.LValue) string {
	parts := make([]string, len(args))
	for i, a := range args {
		s := a.String()
		if a.Type() == lua.LTString {
			s = fmt.Sprintf("%q", s)
		}
		if len(s) > 60 {
			s = s[:60] + fmt.Sprintf("...(%d bytes)", len(a.String()))
		}
		parts[i] = s
	}
	return call + "(" + strings.Join(parts, ", ") + ")"
}

// argGen turns fuzz bytes into Lua values; past the end of the data every
// read is 0 (nil arguments).
type argGen struct {
	data   []byte
	pos    int
	words  []string
	L      *lua.LState
	inputs strings.Builder // every string made, for checkText
}

func (g *argGen) more() bool { return g.pos < len(g.data) }

func (g *argGen) byte() byte {
	if g.pos >= len(g.data) {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return b
}

// specials are the numbers that break code: signed and unsigned edges,
// beyond 2^53, huge, tiny, infinite, NaN and negative zero.
var specials = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 2, 7, 8, 10, 16, 255, 256, 1000, 65535, 65536,
	1 << 20, 1<<31 - 1, 1 << 31, -(1 << 31), 1 << 32, 1 << 53, 1<<53 + 2, 1 << 62, 1 << 63, -(1 << 63), 1 << 64,
	1e300, -1e300, 1e-300, math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64}

// lengths are the sizes of long strings: around the common buffer sizes,
// up to a few MiB.
var lengths = []int{0, 1, 2, 3, 7, 8, 255, 256, 1023, 1024, 4096, 65535, 65536, 1 << 20, 4 << 20}

func (g *argGen) value(depth int) lua.LValue {
	switch k := g.byte() % 12; k {
	case 0:
		return lua.LNil
	case 1:
		return lua.LBool(g.byte()%2 == 0)
	case 2:
		return lua.LNumber(int8(g.byte()))
	case 3, 4:
		return lua.LNumber(specials[int(g.byte())%len(specials)])
	case 5, 6:
		n := int(g.byte() % 24)
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, g.byte())
		}
		return g.str(string(b))
	case 7:
		if len(g.words) == 0 {
			return g.str("")
		}
		return g.str(g.words[int(g.byte())%len(g.words)])
	case 8:
		c := g.byte()
		return g.str(strings.Repeat(string(rune(c%128)), lengths[int(g.byte())%len(lengths)]))
	case 9, 10:
		t := g.L.NewTable()
		if depth < 2 {
			for n := int(g.byte() % 4); n > 0; n-- {
				if g.byte()%2 == 0 {
					t.Append(g.value(depth + 1))
				} else {
					key := g.value(depth + 1)
					if len(g.words) > 0 && g.byte()%2 == 0 {
						key = g.str(g.words[int(g.byte())%len(g.words)]) // a field the function may know
					}
					if key != lua.LNil && !isNaN(key) {
						t.RawSet(key, g.value(depth+1))
					}
				}
			}
		}
		return t
	default:
		if g.byte()%2 == 0 {
			return g.L.NewFunction(func(L *lua.LState) int { L.RaiseError("raised by a fuzzed callback"); return 0 })
		}
		v := g.value(depth + 1)
		return g.L.NewFunction(func(L *lua.LState) int { L.Push(v); return 1 })
	}
}

func (g *argGen) str(s string) lua.LValue {
	if len(s) < 4096 {
		g.inputs.WriteString(s)
		g.inputs.WriteByte(0)
	}
	return lua.LString(s)
}

func isNaN(v lua.LValue) bool {
	n, ok := v.(lua.LNumber)
	return ok && n != n
}
