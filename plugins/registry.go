// Package plugins is the registry every nsh plugin joins from its init
// function, and the Host interface through which a plugin reaches the session
// that loads it. It imports no plugin and not the shell: imports flow
// cmd/nsh → shell → plugins → netcore.
package plugins

import (
	"fmt"
	"regexp"
	"sort"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// Plugin describes one plugin. Name is what require() takes.
type Plugin struct {
	Name    string
	Version string
	Summary string
	// Kind is "built-in" for Go plugins and "lua" for Lua plugins.
	Kind string
	// Open builds the module's table; a session calls it once, on the first
	// require or at start-up when Global is set.
	Open func(L *lua.LState, h Host) *lua.LTable
	// Global also sets the module as a global of the same name at start-up.
	Global bool
	// Globals, if set, installs extra globals (functions such as help or sleep).
	Globals func(L *lua.LState, h Host)
	// Commands are dot-commands the REPL offers (".name args").
	Commands []Command
	// Help documents every function the plugin offers to Lua.
	Help []Help
	// Exit, if set, releases what the plugin started that would outlive the
	// process (exec's child process groups) when the process ends without
	// its sessions closing in order: a fatal signal, a second Ctrl-C. It
	// must be quick and safe to call from any goroutine.
	Exit func()
}

// Command is a REPL dot-command contributed by a plugin.
type Command struct {
	Name    string // without the dot
	Usage   string // e.g. ".hexdump FILE"
	Summary string
	Run     func(L *lua.LState, h Host, args []string) error
}

// Help documents one Lua-visible function: Name is how it is reached
// ("socket.bind", "sock:recv", "struct.pack").
type Help struct {
	Name      string
	Signature string // "socket.bind(host, port) -> server | nil, err"
	Summary   string // one line
	Example   string // Lua, may span lines
}

var (
	mu        sync.RWMutex
	registry  = map[string]*Plugin{}
	reserved  = map[string]string{} // dot-command name -> its owner
	validName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// Register adds p to the registry. It panics at init time on an empty,
// malformed or duplicate name, so a broken build fails loudly at start-up.
func Register(p Plugin) {
	if err := Add(p); err != nil {
		panic(err)
	}
}

// Add adds p to the registry and reports a bad or duplicate name, or a
// dot-command another plugin (or the shell) already offers, as an error
// (Lua plugins are added this way at run time).
func Add(p Plugin) error {
	if !validName.MatchString(p.Name) {
		return fmt.Errorf("plugins: invalid plugin name %q", p.Name)
	}
	if p.Open == nil && p.Globals == nil && len(p.Commands) == 0 {
		return fmt.Errorf("plugins: plugin %q offers nothing (no module, globals or commands)", p.Name)
	}
	if p.Kind == "" {
		p.Kind = "built-in"
	}
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[p.Name]; dup {
		return fmt.Errorf("plugins: duplicate plugin name %q", p.Name)
	}
	if err := commandClash(&p); err != nil {
		return fmt.Errorf("plugins: plugin %q: %v", p.Name, err)
	}
	registry[p.Name] = &p
	return nil
}

// ReserveCommand claims the dot-command name for owner (the shell, for its
// own commands), so that a plugin offering the same command is refused with
// a reason instead of being shadowed without a word. It fails when a
// registered plugin already offers it or another owner reserved it.
func ReserveCommand(owner, name string) error {
	mu.Lock()
	defer mu.Unlock()
	if prev, ok := reserved[name]; ok && prev != owner {
		return fmt.Errorf("plugins: command .%s is already reserved by %s", name, prev)
	}
	for _, p := range registry {
		for _, c := range p.Commands {
			if c.Name == name {
				return fmt.Errorf("plugins: command .%s of %s is already offered by plugin %s", name, owner, p.Name)
			}
		}
	}
	reserved[name] = owner
	return nil
}

// commandClash reports a command of p that p repeats, that is reserved, or
// that another registered plugin offers. The caller holds mu.
func commandClash(p *Plugin) error {
	seen := map[string]bool{}
	for _, c := range p.Commands {
		if seen[c.Name] {
			return fmt.Errorf("duplicate command name %q", c.Name)
		}
		seen[c.Name] = true
		if owner, ok := reserved[c.Name]; ok {
			return fmt.Errorf("command .%s is one of %s's own", c.Name, owner)
		}
		for _, other := range registry {
			if other.Name == p.Name {
				continue
			}
			for _, oc := range other.Commands {
				if oc.Name == c.Name {
					return fmt.Errorf("command .%s is already offered by plugin %s", c.Name, other.Name)
				}
			}
		}
	}
	return nil
}

// Remove drops a plugin from the registry (used by tests and when a Lua
// plugin fails after registration).
func Remove(name string) {
	mu.Lock()
	defer mu.Unlock()
	delete(registry, name)
}

// Get returns the plugin registered under name.
func Get(name string) (*Plugin, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := registry[name]
	return p, ok
}

// All returns every registered plugin sorted by name.
func All() []*Plugin {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]*Plugin, 0, len(registry))
	for _, p := range registry {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RunExit calls the Exit function of every registered plugin; the shell
// calls it just before the process ends on a signal.
func RunExit() {
	for _, p := range All() {
		if p.Exit != nil {
			p.Exit()
		}
	}
}
