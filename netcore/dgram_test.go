package netcore

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestUDPTruncation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		family int
		ip     Addr
	}{
		{"udp", unix.AF_INET, IPAddr(lo4, 0)},
		{"udp6", unix.AF_INET6, IPAddr(lo6, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testCtx(t)
			tb := newTable(t)
			srv := open(t, tb, tc.family, unix.SOCK_DGRAM, 0)
			if err := srv.Bind(ctx, tc.ip); err != nil {
				t.Skipf("bind: %v", err)
			}
			sa, _ := srv.LocalAddr()
			cli := open(t, tb, tc.family, unix.SOCK_DGRAM, 0)
			if _, err := cli.SendTo(ctx, []byte("hello world"), sa); err != nil {
				t.Fatal(err)
			}
			if _, err := cli.SendTo(ctx, []byte("next"), sa); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 5)
			n, from, trunc, err := srv.RecvFrom(ctx, buf)
			if err != nil || n != 5 || string(buf[:n]) != "hello" || !trunc {
				t.Fatalf("RecvFrom = %d %q trunc=%v %v", n, buf[:n], trunc, err)
			}
			ca, _ := cli.LocalAddr()
			if from.Port != ca.Port || !from.IP.IsLoopback() {
				t.Fatalf("from %v, want %v", from, ca)
			}
			// The rest of the first datagram is gone, as the kernel does.
			big := make([]byte, 100)
			n, _, trunc, err = srv.RecvFrom(ctx, big)
			if err != nil || string(big[:n]) != "next" || trunc {
				t.Fatalf("second RecvFrom = %q trunc=%v %v", big[:n], trunc, err)
			}
			// Reply, and the connected client receives it with Recv.
			if err := cli.Connect(ctx, sa); err != nil {
				t.Fatal(err)
			}
			if cli.KernelState() != "CONNECTED" || srv.KernelState() != "UNCONN" {
				t.Fatalf("kernel states %s %s", cli.KernelState(), srv.KernelState())
			}
			if _, err := srv.SendTo(ctx, []byte("reply"), from); err != nil {
				t.Fatal(err)
			}
			n, err = cli.Recv(ctx, big)
			if err != nil || string(big[:n]) != "reply" {
				t.Fatalf("Recv = %q %v", big[:n], err)
			}
			if list := tb.List(); list[0].Type != tc.name || list[0].State != "UNCONN" {
				t.Fatalf("List = %+v", list)
			}
			// Connecting to AF_UNSPEC dissolves the association.
			if err := cli.Connect(ctx, Addr{}); err != nil {
				t.Fatal(err)
			}
			if _, err := cli.RemoteAddr(); Short(err) != "not connected" || cli.KernelState() != "UNCONN" {
				t.Fatalf("after disconnect: %v %s", err, cli.KernelState())
			}
			if cli.State() != StateCreated && cli.State() != StateBound {
				t.Fatalf("state %s", cli.State())
			}
		})
	}
}

func TestUDPv4OnV6Socket(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	srv := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	srv.Bind(ctx, IPAddr(lo4, 0))
	sa, _ := srv.LocalAddr()
	cli := open(t, tb, unix.AF_INET6, unix.SOCK_DGRAM, 0)
	// An IPv4 address given to an AF_INET6 socket is sent IPv4-mapped.
	if _, err := cli.SendTo(ctx, []byte("mapped"), sa); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, _, _, err := srv.RecvFrom(ctx, buf)
	if err != nil || string(buf[:n]) != "mapped" {
		t.Fatalf("%q %v", buf[:n], err)
	}
}

func TestUnixSockets(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		typ  int
		path string
	}{
		{"unix", unix.SOCK_STREAM, filepath.Join(dir, "stream.sock")},
		{"unixgram", unix.SOCK_DGRAM, filepath.Join(dir, "dgram.sock")},
		{"unix", unix.SOCK_STREAM, "@nsh-netcore-test-" + strconv.Itoa(unix.Getpid())},
	} {
		t.Run(tc.name+" "+tc.path, func(t *testing.T) {
			ctx := testCtx(t)
			tb := newTable(t)
			srv := open(t, tb, unix.AF_UNIX, tc.typ, 0)
			if err := srv.Bind(ctx, UnixAddr(tc.path)); err != nil {
				t.Fatal(err)
			}
			la, err := srv.LocalAddr()
			if err != nil || la.String() != tc.path {
				t.Fatalf("LocalAddr = %q, %v", la, err)
			}
			cli := open(t, tb, unix.AF_UNIX, tc.typ, 0)
			if tc.typ == unix.SOCK_STREAM {
				srv.Listen(4)
				if srv.KernelState() != "LISTEN" {
					t.Fatalf("kernel state %s", srv.KernelState())
				}
				if err := cli.Connect(ctx, UnixAddr(tc.path)); err != nil {
					t.Fatal(err)
				}
				conn, _, err := srv.Accept(ctx)
				if err != nil {
					t.Fatal(err)
				}
				cli.SendAll(ctx, []byte("ping\n"))
				line, err := conn.RecvLine(ctx, 0)
				if err != nil || string(line) != "ping" {
					t.Fatalf("%q %v", line, err)
				}
				conn.SendAll(ctx, []byte("pong"))
				cli.Shutdown(unix.SHUT_WR)
				conn.Close()
				got, err := cli.RecvExactly(ctx, 10)
				if string(got) != "pong" || Short(err) != "closed" {
					t.Fatalf("RecvExactly past the end = %q, %v", got, err)
				}
				if cli.KernelState() != "CONNECTED" {
					t.Fatalf("kernel state %s", cli.KernelState())
				}
			} else {
				cpath := filepath.Join(dir, "client.sock")
				if err := cli.Bind(ctx, UnixAddr(cpath)); err != nil {
					t.Fatal(err)
				}
				if _, err := cli.SendTo(ctx, []byte("datagram"), UnixAddr(tc.path)); err != nil {
					t.Fatal(err)
				}
				buf := make([]byte, 4)
				n, from, trunc, err := srv.RecvFrom(ctx, buf)
				if err != nil || string(buf[:n]) != "data" || !trunc || from.String() != cpath {
					t.Fatalf("RecvFrom = %q from %q trunc=%v %v", buf[:n], from, trunc, err)
				}
				if _, err := srv.SendTo(ctx, []byte("back"), from); err != nil {
					t.Fatal(err)
				}
				n, _, _, err = cli.RecvFrom(ctx, buf)
				if err != nil || string(buf[:n]) != "back" {
					t.Fatalf("%q %v", buf[:n], err)
				}
			}
			if got := tb.List()[0].Type; got != tc.name {
				t.Fatalf("type %q", got)
			}
		})
	}
}

func icmpChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

func echoRequest(id, seq uint16, payload string) []byte {
	b := make([]byte, 8+len(payload))
	b[0] = 8 // echo request
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], seq)
	copy(b[8:], payload)
	binary.BigEndian.PutUint16(b[2:], icmpChecksum(b))
	return b
}

// TestRawICMP pings 127.0.0.1 with a real echo request on a SOCK_RAW socket.
func TestRawICMP(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	s, err := tb.Open(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_ICMP)
	if err != nil {
		if errors.Is(err, unix.EPERM) {
			if err.Error() != "socket: operation not permitted" {
				t.Fatalf("error %q", err)
			}
			t.Skip("raw sockets need CAP_NET_RAW: " + err.Error())
		}
		t.Fatal(err)
	}
	if got := tb.List()[0].Type; got != "raw" {
		t.Fatalf("type %q", got)
	}
	s.SetTimeout(5 * time.Second)
	id := uint16(unix.Getpid())
	if _, err := s.SendTo(ctx, echoRequest(id, 7, "nsh ping"), IPAddr(lo4, 0)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	// A raw socket sees every ICMP packet, our request included: look for the reply.
	for range 50 {
		n, from, _, err := s.RecvFrom(ctx, buf)
		if err != nil {
			t.Fatal(err)
		}
		ihl := int(buf[0]&0x0f) * 4
		msg := buf[ihl:n]
		if from.IP != lo4 || len(msg) < 8 || msg[0] != 0 ||
			binary.BigEndian.Uint16(msg[4:]) != id || binary.BigEndian.Uint16(msg[6:]) != 7 {
			continue
		}
		if string(msg[8:]) != "nsh ping" || icmpChecksum(msg) != 0 {
			t.Fatalf("bad echo reply % x", msg)
		}
		return
	}
	t.Fatal("no echo reply")
}

// TestICMPDgram tries unprivileged ping (SOCK_DGRAM/IPPROTO_ICMP), which
// the kernel allows only to groups in net.ipv4.ping_group_range.
func TestICMPDgram(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	s, err := tb.Open(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_ICMP)
	if err != nil {
		if err.Error() != "socket: permission denied" || Short(err) != "permission denied" {
			t.Fatalf("error %q", err)
		}
		t.Skip("unprivileged ICMP not allowed here (ping_group_range): " + err.Error())
	}
	s.SetTimeout(5 * time.Second)
	if _, err := s.SendTo(ctx, echoRequest(0, 3, "dgram ping"), IPAddr(lo4, 0)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	n, _, _, err := s.RecvFrom(ctx, buf)
	if err != nil || n < 8 || buf[0] != 0 || string(buf[8:n]) != "dgram ping" {
		t.Fatalf("reply % x, %v", buf[:n], err)
	}
	if got := tb.List()[0].Type; got != "icmp" {
		t.Fatalf("type %q", got)
	}
}
