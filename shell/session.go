package shell

import (
	"context"
	"io"
	"os"
	"sync"
	"sync/atomic"

	lua "github.com/yuin/gopher-lua"

	"nsh/netcore"
	"nsh/plugins"
	"nsh/shell/printer"
	"nsh/shell/wire"
)

// Options configure a Session. Zero values mean the process's standard
// streams, no colour and a non-interactive session.
type Options struct {
	Stdin       io.Reader
	Stdout      io.Writer
	Stderr      io.Writer
	Color       bool
	Interactive bool
	// PluginPath lists folders of Lua plugins; nil means plugins.PluginPath().
	PluginPath []string
	// NoLuaPlugins skips loading Lua plugins (tests, -e one-liners may want it).
	NoLuaPlugins bool
}

// Session is one Lua state with its tasks and sockets. Lua runs only while
// the session lock is held; every blocking call releases it (see Block).
type Session struct {
	L    *lua.LState
	mu   sync.Mutex // the session lock: held by whichever task runs Lua
	opts Options

	stdout, stderr io.Writer
	stdin          *lineReader
	style          printer.Styler

	sockets *netcore.Table
	tasks   taskList

	base      context.Context // ends when the session closes
	closeBase context.CancelFunc
	closeOnce sync.Once
	// interactive groups the tasks started from the REPL or from Go.
	interactive *Group
	pluginErrs  []error
	// interrupted is set by Ctrl-C (SIGINT), SIGTERM or SIGHUP during a
	// script run; interruptStatus is the exit status it gives (128 + N).
	interrupted     atomic.Bool
	interruptStatus atomic.Int32
}

var _ plugins.Host = (*Session)(nil)

// luaOptions keep a task (a Lua thread) small: the registry and call stack
// start small and grow on demand, so thousands of tasks fit in memory.
var luaOptions = lua.Options{
	CallStackSize:       1024,
	RegistrySize:        128,
	RegistryMaxSize:     1 << 20,
	RegistryGrowStep:    128,
	MinimizeStackMemory: true,
}

// New returns a session with every registered plugin loaded.
func New(opts Options) *Session {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	s := &Session{
		L:       lua.NewState(luaOptions),
		opts:    opts,
		stdout:  &syncWriter{w: opts.Stdout},
		stderr:  &syncWriter{w: opts.Stderr},
		stdin:   newLineReader(opts.Stdin),
		style:   printer.NewStyler(opts.Color),
		sockets: netcore.NewTable(),
	}
	s.base, s.closeBase = context.WithCancel(context.Background())
	s.interactive = newGroup(s.base)
	s.tasks.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.installBase()
	for _, p := range plugins.All() {
		if p.Kind == "lua" {
			continue // Lua plugins are loaded per session below
		}
		s.loadPlugin(p)
	}
	if !opts.NoLuaPlugins {
		s.loadLuaPlugins()
	}
	return s
}

// loadPlugin makes p available to require and, if it asks, as a global.
func (s *Session) loadPlugin(p *plugins.Plugin) {
	if p.Open != nil {
		var mod *lua.LTable
		get := func(L *lua.LState) *lua.LTable {
			if mod == nil {
				mod = plugins.OpenModule(p, L, s) // Go panics become errors naming the function
			}
			return mod
		}
		s.L.PreloadModule(p.Name, func(L *lua.LState) int { L.Push(get(L)); return 1 })
		if p.Global {
			s.L.SetGlobal(p.Name, get(s.L))
		}
	}
	if p.Globals != nil {
		plugins.OpenGlobals(p, s.L, s)
	}
}

// PluginErrors returns the problems met while loading Lua plugins.
func (s *Session) PluginErrors() []error { return s.pluginErrs }

// Close cancels every task, closes every socket and the Lua state. It
// returns how many sockets it closed and how many tasks it stopped.
func (s *Session) Close() (sockets, tasks int) {
	s.closeOnce.Do(func() {
		tasks = s.tasks.running()
		s.closeBase()
		sockets = s.sockets.CloseAll()
		wire.Stop(s) // after the close, so the capture shows its FINs
		s.tasks.waitAll(s)
		s.closeTrace()
	})
	return sockets, tasks
}

// Block implements plugins.Host: it runs fn with the session lock released.
func (s *Session) Block(L *lua.LState, fn func(ctx context.Context) error) error {
	ctx := s.Context(L)
	t := TaskOf(ctx)
	if t != nil {
		t.waiting.Store(true)
	}
	s.mu.Unlock()
	err := fn(ctx)
	s.mu.Lock()
	if t != nil {
		t.waiting.Store(false)
	}
	return err
}

// Context implements plugins.Host: the context of the task running on L.
func (s *Session) Context(L *lua.LState) context.Context {
	if ctx := L.Context(); ctx != nil {
		return ctx
	}
	return s.base
}

func (s *Session) Sockets() *netcore.Table        { return s.sockets }
func (s *Session) Stdout() io.Writer              { return s.stdout }
func (s *Session) Stderr() io.Writer              { return s.stderr }
func (s *Session) Stdin() io.Reader               { return s.stdin }
func (s *Session) Style(kind, text string) string { return s.style.Style(kind, text) }
func (s *Session) Interactive() bool              { return s.opts.Interactive }

// syncWriter serialises writes from concurrent tasks so lines do not interleave.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// Width is the columns of the terminal w prints to, 0 when unknown (the
// help text wraps to it).
func (w *syncWriter) Width() int {
	w.mu.Lock()
	inner := w.w
	w.mu.Unlock()
	if iw, ok := inner.(interface{ Width() int }); ok {
		return iw.Width()
	}
	return 0
}

// SetOutput redirects the session's stdout and stderr (the REPL points them
// at readline so task output appears above the prompt).
func (s *Session) SetOutput(stdout, stderr io.Writer) {
	s.stdout.(*syncWriter).mu.Lock()
	s.stdout.(*syncWriter).w = stdout
	s.stdout.(*syncWriter).mu.Unlock()
	s.stderr.(*syncWriter).mu.Lock()
	s.stderr.(*syncWriter).w = stderr
	s.stderr.(*syncWriter).mu.Unlock()
}
