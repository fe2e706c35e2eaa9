package netcore

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// The raw recvmsg reuses one address buffer: a long sender's name must not
// show through a shorter one's, abstract names keep their '@', and an
// unbound sender has the empty name.
func TestRecvFromReusedAddress(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	dir := t.TempDir()
	srv := open(t, tb, unix.AF_UNIX, unix.SOCK_DGRAM, 0)
	if err := srv.Bind(ctx, UnixAddr(filepath.Join(dir, "srv"))); err != nil {
		t.Fatal(err)
	}
	to := UnixAddr(filepath.Join(dir, "srv"))
	long := filepath.Join(dir, strings.Repeat("l", 60))
	abstract := "@nsh-raw-test-" + strconv.Itoa(unix.Getpid())
	for _, from := range []string{long, filepath.Join(dir, "s"), abstract, ""} {
		cli := open(t, tb, unix.AF_UNIX, unix.SOCK_DGRAM, 0)
		if from != "" {
			if err := cli.Bind(ctx, UnixAddr(from)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cli.SendTo(ctx, []byte("x"), to); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4)
		n, got, _, err := srv.RecvFrom(ctx, buf)
		if err != nil || n != 1 || got.Family != unix.AF_UNIX || got.Path != from {
			t.Fatalf("from %q: RecvFrom = %d %+v %v", from, n, got, err)
		}
		cli.Close()
	}
}

// A peer nobody here wrote (Python) reports its own address; RecvFrom must
// name the same one, for IPv4 and IPv6, and Python must get the reply at
// the address SendTo was given.
func TestRecvFromPythonPeer(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	for _, tc := range []struct {
		name, pyfam, host string
		family            int
		ip                Addr
	}{
		{"udp4", "AF_INET", "127.0.0.1", unix.AF_INET, IPAddr(lo4, 0)},
		{"udp6", "AF_INET6", "::1", unix.AF_INET6, IPAddr(lo6, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tb := newTable(t)
			srv := open(t, tb, tc.family, unix.SOCK_DGRAM, 0)
			if err := srv.Bind(ctx, tc.ip); err != nil {
				t.Skipf("bind: %v", err)
			}
			la, _ := srv.LocalAddr()
			script := `import socket, sys
s = socket.socket(socket.` + tc.pyfam + `, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("` + tc.host + `", 0))
s.sendto(b"ping", ("` + tc.host + `", ` + strconv.Itoa(la.Port) + `))
print(s.getsockname()[1], flush=True)
data, _ = s.recvfrom(100)
print(data.decode(), flush=True)
`
			cmd := exec.CommandContext(ctx, py, "-c", script)
			out := &strings.Builder{}
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 100)
			n, from, _, err := srv.RecvFrom(ctx, buf)
			if err != nil || string(buf[:n]) != "ping" {
				t.Fatalf("RecvFrom = %q %v", buf[:n], err)
			}
			if from.Family != tc.family || from.IP.String() != tc.host {
				t.Fatalf("from %+v, want %s", from, tc.host)
			}
			if _, err := srv.SendTo(ctx, []byte("pong"), from); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("python: %v: %s", err, out)
			}
			lines := strings.Fields(out.String())
			if len(lines) != 2 || lines[0] != strconv.Itoa(from.Port) || lines[1] != "pong" {
				t.Fatalf("python said %q, RecvFrom said port %d", out, from.Port)
			}
		})
	}
}

// A UDP echo round trip allocates nothing in netcore: the sender's address
// and the destination are raw bytes in the socket's ops.
func TestDatagramRoundTripAllocs(t *testing.T) {
	ctx := context.Background()
	tb := newTable(t)
	srv := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err := srv.Bind(ctx, IPAddr(lo4, 0)); err != nil {
		t.Fatal(err)
	}
	sa, _ := srv.LocalAddr()
	cli := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	buf := make([]byte, 64)
	msg := []byte("0123456789")
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := cli.SendTo(ctx, msg, sa); err != nil {
			t.Fatal(err)
		}
		n, from, _, err := srv.RecvFrom(ctx, buf)
		if err != nil || n != len(msg) {
			t.Fatal(n, err)
		}
		if _, err := srv.SendTo(ctx, buf[:n], from); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := cli.RecvFrom(ctx, buf); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocations per round trip, want 0", allocs)
	}
}
