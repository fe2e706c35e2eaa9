package luasocket

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestUnixSuiteSameAsC runs LuaSocket's utestsrvr.lua and utestclnt.lua
// (testclnt over AF_UNIX, unmodified, through testdata/runuclnt.lua, which
// sets socket._DEBUG as runclnt.lua does) under C LuaSocket and under nsh
// and wants the same client output. With C LuaSocket 3.0 the file stops at
// its third test, active_close: it checks that a fresh socket.udp() has a
// descriptor, which LuaSocket 3's family-less udp() has not (testclnt.lua
// was moved to udp4, utestclnt.lua was not). nsh stops at the same place
// with the same words, after the same passes.
func TestUnixSuiteSameAsC(t *testing.T) {
	if !haveCLuaSocket() {
		t.Skip("lua5.1 with C LuaSocket is missing (Debian: lua5.1 lua-socket): nothing to compare with")
	}
	var outs []string
	for _, im := range []impl{implC, implNsh} {
		dir := copyUpstream(t)
		for _, f := range []string{"runuclnt.lua", "debugtimed.lua"} {
			b, err := os.ReadFile(filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		argv := im.argv(t, "utestsrvr.lua")
		srv := exec.Command(argv[0], argv[1:]...)
		srv.Dir = dir
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
		for i := 0; i < 200; i++ {
			if _, err := os.Stat(filepath.Join(dir, "luasocket")); err == nil {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		out, err := runIn(t, dir, 90*time.Second, im.argv(t, "runuclnt.lua")...)
		srv.Process.Kill()
		srv.Wait()
		if err != nil {
			t.Fatalf("%s utestclnt.lua: %v\n%s", im.name, err, out)
		}
		outs = append(outs, out)
	}
	sameLines(t, "utestclnt.lua output", strings.Split(outs[0], "\n"), strings.Split(outs[1], "\n"), nil)
	for _, want := range []string{"unixstream{master} methods are ok", "testing: active close"} {
		if !strings.Contains(outs[1], want) {
			t.Errorf("nsh printed no %q:\n%s", want, outs[1])
		}
	}
}
