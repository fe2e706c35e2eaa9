package socket_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// recvfilePeer listens on loopback and, for its one connection, writes
// body and then waits for release before ending: with reset, by an abortive
// close (RST: the peer vanishes mid-transfer), else by holding the
// connection until the client closes it.
func recvfilePeer(t *testing.T, body []byte, reset bool) (port int, release chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	release = make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write(body)
		<-release
		if reset {
			c.(*net.TCPConn).SetLinger(0)
			return
		}
		c.Read(make([]byte, 1)) // until the client closes
	}()
	return port0(ln), release
}

func port0(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// dirNames lists dir, for the "no temporary file left" checks.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestRecvfileKeepsOldFile: a transfer that fails after its first 4 MiB
// (the peer resets the connection, or the task is cancelled) leaves the old
// file byte for byte and no temporary file beside it, and still reports the
// bytes it moved; while it runs, the bytes go to a hidden file in the same
// directory. With append the arrived bytes stay, as before.
func TestRecvfileKeepsOldFile(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 5<<16) // 5 MiB
	old := []byte("the old content\n")
	for _, tc := range []struct {
		name           string
		reset, appendp bool
	}{{"reset", true, false}, {"cancel", false, false}, {"append-reset", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			L, h := newSignalState(t)
			dir := t.TempDir()
			dst := filepath.Join(dir, "out.bin")
			if err := os.WriteFile(dst, old, 0o600); err != nil {
				t.Fatal(err)
			}
			port, release := recvfilePeer(t, body, tc.reset)
			var during []string
			var duringOld []byte
			L.SetGlobal("midway", L.NewFunction(func(L *lua.LState) int {
				during = dirNames(t, dir)
				duringOld, _ = os.ReadFile(dst)
				if tc.reset {
					close(release)
				} else {
					h.cancel()
				}
				return 0
			}))
			L.SetGlobal("PORT", lua.LNumber(port))
			L.SetGlobal("DST", lua.LString(dst))
			L.SetGlobal("APPEND", lua.LBool(tc.appendp))
			err := L.DoString(`
local c = assert(socket.connect("127.0.0.1", PORT))
local called = false
ok, n, err, story, moved = pcall(c.recvfile, c, DST, 67108864, {append = APPEND,
  step = function() if not called then called = true; midway() end end})
c:close()`)
			if !tc.reset {
				close(release)
			}
			if err != nil {
				t.Fatal(err)
			}
			g := func(k string) lua.LValue { return L.GetGlobal(k) }
			if g("ok") != lua.LTrue || g("n") != lua.LNil || g("err") == lua.LNil {
				t.Fatalf("recvfile gave ok=%v %v, %v, %v, want nil, err, story, moved", g("ok"), g("n"), g("err"), g("story"))
			}
			moved, _ := g("moved").(lua.LNumber)
			if moved < 4<<20 {
				t.Errorf("moved %v, want at least the 4 MiB before the failure", g("moved"))
			}
			got, _ := os.ReadFile(dst)
			if tc.appendp {
				if want := append(append([]byte{}, old...), body[:int(moved)]...); !bytes.Equal(got, want) {
					t.Errorf("append: file holds %d bytes, want the old %d and the %d moved", len(got), len(old), int(moved))
				}
				return
			}
			if !bytes.Equal(got, old) {
				t.Errorf("file holds %d bytes after a failed transfer, want the old content", len(got))
			}
			if !bytes.Equal(duringOld, old) || len(during) != 2 || !strings.HasPrefix(during[0], ".out.bin.recvfile-") {
				t.Errorf("while receiving: dir %q, old file %q; want the old file and one hidden temporary", during, duringOld)
			}
			if names := dirNames(t, dir); len(names) != 1 {
				t.Errorf("directory holds %q after the failure, want only out.bin", names)
			}
		})
	}
}

// TestRecvfileReplaces: a complete transfer replaces the file (keeping its
// mode), the md5 is the received bytes', and no temporary file is left.
func TestRecvfileReplaces(t *testing.T) {
	body := bytes.Repeat([]byte("fedcba9876543210"), 3<<16) // 3 MiB
	L, _ := newState(t)
	dir := t.TempDir()
	dst := filepath.Join(dir, "out.bin")
	if err := os.WriteFile(dst, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	port, release := recvfilePeer(t, body, false)
	defer close(release)
	sum := md5.Sum(body)
	L.SetGlobal("PORT", lua.LNumber(port))
	L.SetGlobal("DST", lua.LString(dst))
	L.SetGlobal("SIZE", lua.LNumber(len(body)))
	if err := L.DoString(`
local c = assert(socket.connect("127.0.0.1", PORT))
n, digest = c:recvfile(DST, SIZE, {md5 = true})
c:close()`); err != nil {
		t.Fatal(err)
	}
	if n := L.GetGlobal("n"); n != lua.LNumber(len(body)) {
		t.Fatalf("recvfile gave %v, want %d", n, len(body))
	}
	if d := L.GetGlobal("digest").String(); d != hex.EncodeToString(sum[:]) {
		t.Errorf("md5 %s, want %x", d, sum)
	}
	got, _ := os.ReadFile(dst)
	if !bytes.Equal(got, body) {
		t.Errorf("file holds %d bytes, want the %d sent", len(got), len(body))
	}
	if st, err := os.Stat(dst); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after replacing: %v (%v), want 0600 kept", st.Mode(), err)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only out.bin", names)
	}
}
