package luasocket

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sameAsC runs a script of testdata under nsh and under lua5.1 with C
// LuaSocket and wants the same output, line by line.
func sameAsC(t *testing.T, script string) {
	if !haveCLuaSocket() {
		t.Skip("lua5.1 with C LuaSocket is missing (Debian: lua5.1 lua-socket): nothing to compare with")
	}
	dir, _ := filepath.Abs("testdata")
	want, err := runIn(t, dir, 60*time.Second, implC.argv(t, script)...)
	if err != nil {
		t.Fatalf("lua5.1 %s: %v\n%s", script, err, want)
	}
	got, err := runIn(t, dir, 60*time.Second, implNsh.argv(t, script)...)
	if err != nil {
		t.Fatalf("nsh %s: %v\n%s", script, err, got)
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	sameLines(t, script+" output", wl, gl, nil)
	if len(wl) < 5 {
		t.Fatalf("%s printed too little to compare: %q", script, want)
	}
}

// TestMimeCoreSameAsC: nsh's Go mime.core (b64, unb64, qp, unqp, wrp,
// qpwrp, eol, dot) gives C mime.core's results, leftover state included, on
// fixed and pseudo-random inputs whole and in two chunks.
func TestMimeCoreSameAsC(t *testing.T) { sameAsC(t, "mimecore.lua") }

// TestOptionsSameAsC: LuaSocket's option names, set and read back, and the
// pending error of a refused non-blocking connect, answer as C LuaSocket's.
func TestOptionsSameAsC(t *testing.T) { sameAsC(t, "options.lua") }

// TestDNSSameAsC: socket.dns.getnameinfo, toip, tohostname and getaddrinfo
// answer for loopback names and ports as C LuaSocket does.
func TestDNSSameAsC(t *testing.T) { sameAsC(t, "dns.lua") }

// TestLoopSameAsC runs LuaSocket idioms under both: a shebang first line, a
// copas-style select loop over wrapper tables with getfd and dirty (and
// entries that are no sockets), ltn12 pumps through socket.source and
// socket.sink, protect/newtry, skip and choose, accept on a datagram
// descriptor, and non-blocking partial receive and send resumed from the
// last index sent in a select loop, as copas does.
func TestLoopSameAsC(t *testing.T) { sameAsC(t, "loop.lua") }
