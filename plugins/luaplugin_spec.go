package plugins

import (
	"fmt"
	"sort"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

var specFields = map[string]bool{"name": true, "version": true, "summary": true, "module": true, "commands": true, "help": true, "global": true}

// pluginFromSpec checks the shape of the table a plugin file returned and
// builds its registry entry. The entry holds no Lua values: Open and the
// commands find the spec in the calling state's registry.
func pluginFromSpec(spec *lua.LTable) (*Plugin, error) {
	var unknown []string
	spec.ForEach(func(k, _ lua.LValue) {
		if ks, ok := k.(lua.LString); !ok || !specFields[string(ks)] {
			unknown = append(unknown, k.String())
		}
	})
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown field %s (want name, version, summary, module, commands, help, global)", strings.Join(unknown, ", "))
	}
	name, ok := spec.RawGetString("name").(lua.LString)
	if !ok {
		return nil, fmt.Errorf("name must be a string, got %s", spec.RawGetString("name").Type())
	}
	if !validName.MatchString(string(name)) {
		return nil, fmt.Errorf("invalid plugin name %q (want lower-case letters, digits and _)", name)
	}
	p := &Plugin{Name: string(name), Kind: "lua", Version: "0.0.0"}
	for field, dst := range map[string]*string{"version": &p.Version, "summary": &p.Summary} {
		switch v := spec.RawGetString(field).(type) {
		case *lua.LNilType:
		case lua.LString:
			*dst = string(v)
		default:
			return nil, fmt.Errorf("%s must be a string, got %s", field, v.Type())
		}
	}
	switch v := spec.RawGetString("global"); v.(type) {
	case *lua.LNilType:
	case lua.LBool:
		p.Global = v == lua.LTrue
	default:
		return nil, fmt.Errorf("global must be a boolean, got %s", v.Type())
	}
	switch v := spec.RawGetString("module").(type) {
	case *lua.LNilType:
		if p.Global {
			return nil, fmt.Errorf("global=true needs a module")
		}
	case *lua.LTable, *lua.LFunction:
		p.Open = openLuaModule(p.Name)
	default:
		return nil, fmt.Errorf("module must be a table or a function returning one, got %s", v.Type())
	}
	cmds, err := commandsFromSpec(p.Name, spec.RawGetString("commands"))
	if err != nil {
		return nil, err
	}
	p.Commands = cmds
	if p.Open == nil && len(cmds) == 0 {
		return nil, fmt.Errorf("offers nothing: give a module or commands")
	}
	if p.Help, err = helpFromSpec(spec.RawGetString("help")); err != nil {
		return nil, err
	}
	return p, nil
}

// commandsFromSpec checks the commands list.
func commandsFromSpec(plugin string, v lua.LValue) ([]Command, error) {
	if v == lua.LNil {
		return nil, nil
	}
	list, ok := v.(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("commands must be a list of tables, got %s", v.Type())
	}
	var cmds []Command
	names := map[string]bool{}
	for i := 1; i <= list.Len(); i++ {
		ct, ok := list.RawGetInt(i).(*lua.LTable)
		if !ok {
			return nil, fmt.Errorf("commands[%d] must be a table, got %s", i, list.RawGetInt(i).Type())
		}
		name, ok := ct.RawGetString("name").(lua.LString)
		if !ok || !validName.MatchString(string(name)) {
			return nil, fmt.Errorf("commands[%d]: name must be a lower-case word, got %s", i, lua.LVAsString(ct.RawGetString("name")))
		}
		if names[string(name)] {
			return nil, fmt.Errorf("commands[%d]: duplicate command name %q", i, name)
		}
		names[string(name)] = true
		if _, ok := ct.RawGetString("run").(*lua.LFunction); !ok {
			return nil, fmt.Errorf("command %q: run must be a function, got %s", name, ct.RawGetString("run").Type())
		}
		c := Command{Name: string(name), Usage: "." + string(name)}
		for field, dst := range map[string]*string{"usage": &c.Usage, "summary": &c.Summary} {
			switch fv := ct.RawGetString(field).(type) {
			case *lua.LNilType:
			case lua.LString:
				*dst = string(fv)
			default:
				return nil, fmt.Errorf("command %q: %s must be a string, got %s", name, field, fv.Type())
			}
		}
		c.Run = runLuaCommand(plugin, i)
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// helpFromSpec reads the optional help list.
func helpFromSpec(v lua.LValue) ([]Help, error) {
	if v == lua.LNil {
		return nil, nil
	}
	list, ok := v.(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("help must be a list of {name=, signature=, summary=, example=}, got %s", v.Type())
	}
	var out []Help
	for i := 1; i <= list.Len(); i++ {
		ht, ok := list.RawGetInt(i).(*lua.LTable)
		if !ok {
			return nil, fmt.Errorf("help[%d] must be a table, got %s", i, list.RawGetInt(i).Type())
		}
		var h Help
		for field, dst := range map[string]*string{"name": &h.Name, "signature": &h.Signature, "summary": &h.Summary, "example": &h.Example} {
			switch fv := ht.RawGetString(field).(type) {
			case *lua.LNilType:
			case lua.LString:
				*dst = string(fv)
			default:
				return nil, fmt.Errorf("help[%d]: %s must be a string, got %s", i, field, fv.Type())
			}
		}
		if h.Name == "" {
			return nil, fmt.Errorf("help[%d]: name is missing", i)
		}
		out = append(out, h)
	}
	return out, nil
}

// checkCommandClash refuses a command name another plugin, or the shell,
// already offers.
func checkCommandClash(p *Plugin) error {
	mu.RLock()
	defer mu.RUnlock()
	return commandClash(p)
}
