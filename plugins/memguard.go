package plugins

import (
	lua "github.com/yuin/gopher-lua"

	"nsh/internal/memguard"
)

// Every Lua state nsh makes, the shell's and a plugin test's alike, checks
// the sizes its built-ins are asked for (string.rep, table.concat,
// string.gsub...) against the one memory guard the plugins use too.
func init() { lua.AllocCheck = memguard.Check }
