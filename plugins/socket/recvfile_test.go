package socket_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestRecvfileOptions: recvfile with md5 (the digest of the whole file, what
// it held before an append included), append (a resumed download) and step
// (called per 4 MiB and at the end), against a Go sender.
func TestRecvfileOptions(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 655360) // 10 MiB
	sum := func(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	sent := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			sent <- err
			return
		}
		defer c.Close()
		_, err = c.Write(append(append([]byte{}, body...), "abcdefxyz"...))
		sent <- err
	}()
	L, _ := newState(t)
	dst := filepath.Join(t.TempDir(), "out.bin")
	L.SetGlobal("PORT", lua.LNumber(ln.Addr().(*net.TCPAddr).Port))
	L.SetGlobal("DST", lua.LString(dst))
	L.SetGlobal("SIZE", lua.LNumber(len(body)))
	L.SetGlobal("SUM1000", lua.LString(sum(body[:1000])))
	L.SetGlobal("SUMALL", lua.LString(sum(body)))
	L.SetGlobal("SUMXYZ", lua.LString(sum([]byte("xyz"))))
	code := `
local c = assert(socket.connect("127.0.0.1", PORT))
local n, digest = c:recvfile(DST, 1000, {md5 = true})
eq(n, 1000); eq(digest, SUM1000)
local steps, moved = 0, 0
n, digest = c:recvfile(DST, SIZE - 1000, {append = true, md5 = true,
  step = function(k) steps = steps + 1; moved = moved + k end})
eq(n, SIZE - 1000); eq(moved, n)
eq(steps, 3, "steps (4 MiB, 4 MiB, the rest)")
eq(digest, SUMALL)
eq(select("#", c:recvfile(DST .. ".abc", 3)), 1, "values without md5")
raises("recvfile: step: ", c.recvfile, c, DST .. ".def", 3, {step = function() error("boom") end})
raises('recvfile: unknown option "md6"', c.recvfile, c, DST, 3, {md6 = true})
raises("recvfile: option step must be a function", c.recvfile, c, DST, 3, {step = 1})
-- the peer closes after xyz: what arrived, and its digest
n, digest = c:recvfile(DST .. ".xyz", 100, {md5 = true})
eq(n, 3); eq(digest, SUMXYZ)
c:close()
`
	lib, err := os.ReadFile("test/lib.lua")
	if err != nil {
		t.Fatal(err)
	}
	if err := L.DoString(string(lib)); err != nil {
		t.Fatal(err)
	}
	if err := L.DoString(code); err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	// a step that raises interrupts the transfer: its bytes are discarded
	if _, err := os.Stat(dst + ".def"); !os.IsNotExist(err) {
		t.Errorf(".def after a raising step: %v, want no file", err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("file: %d bytes (%v), want the %d sent", len(got), err, len(body))
	}
	for _, tc := range []struct{ suffix, want string }{{".abc", "abc"}, {".xyz", "xyz"}} {
		if b, _ := os.ReadFile(dst + tc.suffix); string(b) != tc.want {
			t.Errorf("%s holds %q, want %q", tc.suffix, b, tc.want)
		}
	}
}
