// Package luasocket runs LuaSocket's own tests (vendored, unmodified, under
// testdata/upstream) against nsh and against C LuaSocket under lua5.1, so
// nsh's LuaSocket vocabulary is judged by the suite written for the C one.
package luasocket

import (
	"os/exec"
	"testing"

	"nsh/internal/nshtest"
)

// TestMain removes the nsh binary the tests built when they end.
func TestMain(m *testing.M) { nshtest.Main(m) }

// haveCLuaSocket reports whether lua5.1 with C LuaSocket is installed
// (Debian: lua5.1 and lua-socket).
func haveCLuaSocket() bool {
	return exec.Command("lua5.1", "-e", `require"socket"`).Run() == nil
}
