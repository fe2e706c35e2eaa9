package netcore

import (
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestUnixDgramUnnamedSender: a datagram from an unbound AF_UNIX socket
// comes from the unnamed address (family AF_UNIX, path ""), not from the
// zero Addr, which the Lua layer would show as an IP address ":0".
func TestUnixDgramUnnamedSender(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	path := filepath.Join(t.TempDir(), "d.sock")
	srv := open(t, tb, unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err := srv.Bind(ctx, UnixAddr(path)); err != nil {
		t.Fatal(err)
	}
	cli := open(t, tb, unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if _, err := cli.SendTo(ctx, []byte("anon"), UnixAddr(path)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, from, _, err := srv.RecvFrom(ctx, buf)
	if err != nil || string(buf[:n]) != "anon" {
		t.Fatalf("RecvFrom = %q, %v", buf[:n], err)
	}
	if from != UnixAddr("") {
		t.Fatalf("from = %#v, want the unnamed AF_UNIX address", from)
	}
}
