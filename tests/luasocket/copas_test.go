package luasocket

import (
	"os"
	"testing"
)

// debianLua51 is where Debian installs pure-Lua modules for Lua 5.1, on
// lua5.1's path but not on nsh's default one.
const debianLua51 = "/usr/share/lua/5.1"

// TestCopasSameAsC runs copas itself (Debian's lua-copas, unmodified: its
// coroutines over socket.select, copas.wrap, copas.connect, addserver,
// addthread, step) in testdata/copas_echo.lua — an echo server and five
// clients in one process, one of them sending a 200,000-byte line — under
// C LuaSocket and nsh, with LUA_PATH naming Debian's folder for both.
func TestCopasSameAsC(t *testing.T) {
	if _, err := os.Stat(debianLua51 + "/copas.lua"); err != nil {
		t.Skip("copas is not installed (Debian: lua-copas): nothing to run")
	}
	t.Setenv("LUA_PATH", debianLua51+"/?.lua;;")
	sameAsC(t, "copas_echo.lua")
}
