// Package plugintest runs plugins in a bare Lua state for their own tests:
// a Host without a REPL, a helper that runs a Lua test file's Test*
// functions as subtests, and one that runs the example of a plugin's README.
package plugintest

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
)

// Host is a plugins.Host for tests: output goes to buffers, Block runs fn on
// the calling goroutine with the host's context.
type Host struct {
	Ctx     context.Context
	Out     bytes.Buffer
	Err     bytes.Buffer
	In      io.Reader
	mu      sync.Mutex
	sockets *netcore.Table
}

var _ plugins.Host = (*Host)(nil)

// NewHost returns a Host whose context ends with the test.
func NewHost(t testing.TB) *Host {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h := &Host{Ctx: ctx, In: strings.NewReader(""), sockets: netcore.NewTable()}
	t.Cleanup(func() { h.sockets.CloseAll() })
	return h
}

func (h *Host) Block(L *lua.LState, fn func(ctx context.Context) error) error { return fn(h.Ctx) }
func (h *Host) Context(L *lua.LState) context.Context                         { return h.Ctx }
func (h *Host) Sockets() *netcore.Table                                       { return h.sockets }
func (h *Host) Stdout() io.Writer                                             { return lockedWriter{&h.mu, &h.Out} }
func (h *Host) Stderr() io.Writer                                             { return lockedWriter{&h.mu, &h.Err} }
func (h *Host) Stdin() io.Reader                                              { return h.In }
func (h *Host) Style(kind, s string) string                                   { return s }
func (h *Host) Interactive() bool                                             { return false }
func (h *Host) Owner(L *lua.LState) *netcore.Owner                            { return nil }

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// NewState returns a Lua state with the standard libraries, a print that
// writes to h.Out, and the named registered plugins preloaded for require
// (and set as globals when the plugin asks for it).
func NewState(t testing.TB, h *Host, names ...string) *lua.LState {
	L := lua.NewState()
	t.Cleanup(L.Close)
	L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
		parts := make([]string, L.GetTop())
		for i := range parts {
			parts[i] = L.ToStringMeta(L.Get(i + 1)).String()
		}
		io.WriteString(h.Stdout(), strings.Join(parts, "\t")+"\n")
		return 0
	}))
	for _, name := range names {
		p, ok := plugins.Get(name)
		if !ok {
			t.Fatalf("plugin %q is not registered", name)
		}
		Load(L, h, p)
	}
	return L
}

// Load preloads p into L the way a session does.
func Load(L *lua.LState, h plugins.Host, p *plugins.Plugin) {
	if p.Open != nil {
		var mod *lua.LTable
		get := func(L *lua.LState) *lua.LTable {
			if mod == nil {
				mod = plugins.OpenModule(p, L, h)
			}
			return mod
		}
		L.PreloadModule(p.Name, func(L *lua.LState) int { L.Push(get(L)); return 1 })
		if p.Global {
			L.SetGlobal(p.Name, get(L))
		}
	}
	if p.Globals != nil {
		plugins.OpenGlobals(p, L, h)
	}
}

// RunLuaTests runs file, then calls every global function whose name starts
// with "Test" as a subtest, sorted by name. A Lua error fails that subtest.
func RunLuaTests(t *testing.T, L *lua.LState, file string) {
	t.Helper()
	if err := L.DoFile(file); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var names []string
	L.G.Global.ForEach(func(k, v lua.LValue) {
		if s, ok := k.(lua.LString); ok && strings.HasPrefix(string(s), "Test") && v.Type() == lua.LTFunction {
			names = append(names, string(s))
		}
	})
	if len(names) == 0 {
		t.Fatalf("%s defines no Test* functions", file)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if err := L.CallByParam(lua.P{Fn: L.GetGlobal(name), NRet: 0, Protect: true}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

var exampleRE = regexp.MustCompile("(?s)## Example\\s*\\n```lua\\n(.*?)```(?:\\s*\\nOutput:\\s*\\n```\\n(.*?)```)?")

// READMEExample returns the Lua code of the README's "## Example" section and
// the expected output from an "Output:" block after it ("" when absent).
func READMEExample(t testing.TB, readme string) (code, output string) {
	t.Helper()
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	m := exampleRE.FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("%s has no \"## Example\" section with a ```lua block", readme)
	}
	return m[1], m[2]
}

// RunREADMEExample runs the example of readme in L and, when the README
// gives an Output block, compares what it printed.
func RunREADMEExample(t *testing.T, L *lua.LState, h *Host, readme string) {
	t.Helper()
	code, want := READMEExample(t, readme)
	h.Out.Reset()
	if err := L.DoString(code); err != nil {
		t.Fatalf("README example: %v", err)
	}
	if want != "" && h.Out.String() != want {
		t.Fatalf("README example printed:\n%s\nwant:\n%s", h.Out.String(), want)
	}
}
