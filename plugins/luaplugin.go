package plugins

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// LuaLoadTimeout bounds how long one Lua plugin file may run while it loads,
// so a plugin stuck in a loop cannot stop the shell from starting.
var LuaLoadTimeout = 10 * time.Second

// specsKey and modulesKey name the tables in a Lua state's registry that
// hold what each Lua plugin file returned and its opened module. The
// process-wide registry keeps only Go values, so several sessions (each
// with its own state) can load the same plugin files.
const (
	specsKey   = "nsh.luaplugins.specs"
	modulesKey = "nsh.luaplugins.modules"
)

var (
	luaMu    sync.Mutex
	luaFiles = map[string]string{} // plugin name -> file it was registered from
)

// PluginPath returns the folders searched for Lua plugins: $NSH_PLUGIN_PATH
// split at ':' (set but empty: none), or ~/.config/nsh/plugins.
func PluginPath() []string {
	if env, ok := os.LookupEnv("NSH_PLUGIN_PATH"); ok {
		var dirs []string
		for _, d := range strings.Split(env, ":") {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		return dirs
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return nil
	}
	return []string{filepath.Join(home, ".config", "nsh", "plugins")}
}

// LoadLuaPlugins runs every *.lua file of dirs (in order, files sorted by
// name) in a protected call, registers each valid plugin it returns with
// Kind "lua", preloads its module for require and makes its commands
// available. A broken file is reported in problems as "plugin FILE: reason"
// and skipped; a missing folder is not a problem. The caller holds the
// session lock.
func LoadLuaPlugins(L *lua.LState, h Host, dirs []string) (loaded []*Plugin, problems []error) {
	seen := map[string]string{} // name -> file, for this call
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				problems = append(problems, fmt.Errorf("plugin path %s: %v", dir, unwrapPath(err)))
			}
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".lua") {
				continue
			}
			file := filepath.Join(dir, e.Name())
			p, err := loadLuaPlugin(L, file, seen)
			if err != nil {
				problems = append(problems, fmt.Errorf("plugin %s: %v", file, err))
				continue
			}
			seen[p.Name] = file
			loaded = append(loaded, p)
		}
	}
	return loaded, problems
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadLuaPlugin runs one file and installs the plugin it returns.
func loadLuaPlugin(L *lua.LState, file string, seen map[string]string) (*Plugin, error) {
	spec, err := runPluginFile(L, file)
	if err != nil {
		return nil, err
	}
	p, err := pluginFromSpec(spec)
	if err != nil {
		return nil, err
	}
	if prev, dup := seen[p.Name]; dup {
		return nil, fmt.Errorf("duplicate plugin name %q (already loaded from %s)", p.Name, prev)
	}
	if err := checkCommandClash(p); err != nil {
		return nil, err
	}
	luaMu.Lock()
	defer luaMu.Unlock()
	added := false
	if existing, ok := Get(p.Name); ok {
		// The same file loaded by an earlier session of this process is
		// the same plugin; anything else is a clash.
		if existing.Kind != "lua" || luaFiles[p.Name] != file {
			return nil, fmt.Errorf("duplicate plugin name %q (a %s plugin has it)", p.Name, existing.Kind)
		}
		p = existing
	} else {
		if err := Add(*p); err != nil {
			return nil, err
		}
		luaFiles[p.Name], added = file, true
		p, _ = Get(p.Name)
	}
	if err := install(L, p.Name, spec); err != nil {
		if added {
			Remove(p.Name)
			delete(luaFiles, p.Name)
		}
		return nil, err
	}
	return p, nil
}

// runPluginFile runs file in a protected call, bounded by LuaLoadTimeout,
// and returns the table it returned.
func runPluginFile(L *lua.LState, file string) (*lua.LTable, error) {
	fn, err := L.LoadFile(file)
	if err != nil {
		msg := strings.Join(strings.Fields(err.Error()), " ")
		if !strings.Contains(msg, "syntax error") {
			msg = "syntax error: " + msg
		}
		return nil, errors.New(msg)
	}
	top := L.GetTop()
	defer L.SetTop(top)
	old := L.Context()
	ctx, cancel := context.WithTimeout(context.Background(), LuaLoadTimeout)
	defer cancel()
	L.SetContext(ctx)
	err = L.CallByParam(lua.P{Fn: fn, NRet: 1, Protect: true})
	if old != nil {
		L.SetContext(old)
	} else {
		L.RemoveContext()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("still running after %v: gave up", LuaLoadTimeout)
		}
		return nil, fmt.Errorf("run-time error: %s", luaErrorText(err))
	}
	ret := L.Get(-1)
	L.Pop(1)
	spec, ok := ret.(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("must return a table {name=, version=, summary=, module=, commands=}, returned %s", ret.Type())
	}
	return spec, nil
}

// luaErrorText is the message of a Lua error without its traceback.
func luaErrorText(err error) string {
	var ae *lua.ApiError
	if errors.As(err, &ae) && ae.Object != nil {
		return ae.Object.String()
	}
	return err.Error()
}
