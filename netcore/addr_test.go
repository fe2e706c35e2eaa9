package netcore

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

func TestResolve(t *testing.T) {
	ctx := testCtx(t)
	for _, tc := range []struct {
		family int
		host   string
		port   int
		want   string // String() of the result, or the error text
		short  string // Short of the error, "" = no error
	}{
		{unix.AF_INET, "127.0.0.1", 8080, "127.0.0.1:8080", ""},
		{unix.AF_INET6, "::1", 8080, "[::1]:8080", ""},
		{unix.AF_INET6, "[::1]", 80, "[::1]:80", ""},
		{unix.AF_INET, "", 0, "0.0.0.0:0", ""},
		{unix.AF_INET, "*", 1, "0.0.0.0:1", ""},
		{unix.AF_INET6, "*", 1, "[::]:1", ""},
		{unix.AF_INET, "0.0.0.0", 9, "0.0.0.0:9", ""},
		{unix.AF_INET, "localhost", 7, "127.0.0.1:7", ""},
		{unix.AF_INET6, "localhost", 7, "[::1]:7", ""},
		{unix.AF_INET, "<broadcast>", 9999, "255.255.255.255:9999", ""},
		{unix.AF_INET, "127.0.0.1", 65535, "127.0.0.1:65535", ""},
		{unix.AF_UNIX, "/tmp/x.sock", 0, "/tmp/x.sock", ""},
		{unix.AF_INET, "127.0.0.1", 70000, "port out of range: 70000", "port out of range: 70000"},
		{unix.AF_INET, "127.0.0.1", -1, "port out of range: -1", "port out of range: -1"},
		{unix.AF_INET, "no such host..invalid", 80, "resolve no such host..invalid: host not found", "host not found"},
		{unix.AF_INET, "999.1.2.3.4", 80, "resolve 999.1.2.3.4: host not found", "host not found"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			a, err := Resolve(ctx, tc.family, tc.host, tc.port)
			if tc.short == "" {
				if err != nil || a.String() != tc.want {
					t.Fatalf("Resolve = %v, %v; want %s", a, err, tc.want)
				}
				return
			}
			if err == nil || err.Error() != tc.want || Short(err) != tc.short {
				t.Fatalf("Resolve error = %v (short %q), want %q", err, Short(err), tc.want)
			}
		})
	}
	var pe *PortRangeError
	if _, err := Resolve(ctx, unix.AF_INET, "", 70000); !errors.As(err, &pe) || pe.Port != 70000 {
		t.Fatalf("not a PortRangeError: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Resolve(cctx, unix.AF_INET, "example.invalid", 80); Short(err) != "interrupted" {
		t.Fatalf("cancelled resolve: %v", err)
	}
}

func TestSockaddr(t *testing.T) {
	for _, tc := range []struct {
		name   string
		family int
		addr   Addr
		want   unix.Sockaddr
	}{
		{"v4", unix.AF_INET, IPAddr(lo4, 80), &unix.SockaddrInet4{Port: 80, Addr: [4]byte{127, 0, 0, 1}}},
		{"v4 on v6 socket is mapped", unix.AF_INET6, IPAddr(lo4, 80),
			&unix.SockaddrInet6{Port: 80, Addr: netip.MustParseAddr("::ffff:127.0.0.1").As16()}},
		{"mapped on v4 socket is unmapped", unix.AF_INET, IPAddr(netip.MustParseAddr("::ffff:10.0.0.1"), 1),
			&unix.SockaddrInet4{Port: 1, Addr: [4]byte{10, 0, 0, 1}}},
		{"v6", unix.AF_INET6, IPAddr(lo6, 443), &unix.SockaddrInet6{Port: 443, Addr: lo6.As16()}},
		{"v6 on v4 socket", unix.AF_INET, IPAddr(lo6, 1), nil},
		{"unix", unix.AF_UNIX, UnixAddr("/x"), &unix.SockaddrUnix{Name: "/x"}},
		{"ip on unix socket", unix.AF_UNIX, IPAddr(lo4, 1), nil},
		{"NUL inside a unix path", unix.AF_UNIX, UnixAddr("/tmp/a\x00b"), nil},
		{"NUL inside an abstract name", unix.AF_UNIX, UnixAddr("@a\x00b"), &unix.SockaddrUnix{Name: "@a\x00b"}},
		{"bad port", unix.AF_INET, Addr{Family: unix.AF_INET, IP: lo4, Port: 70000}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sa, err := tc.addr.toSockaddr(tc.family)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("want an error, got %#v", sa)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			back := fromSockaddr(sa)
			if fromSockaddr(tc.want) != back {
				t.Fatalf("got %v, want %v", back, fromSockaddr(tc.want))
			}
		})
	}
	if s := (Addr{Family: unix.AF_UNIX, Path: "@abstract"}).String(); s != "@abstract" {
		t.Fatal(s)
	}
	if (Addr{}).String() != "" || !(Addr{}).IsZero() {
		t.Fatal("zero Addr")
	}
	if h := IPAddr(lo6, 1).Host(); h != "::1" {
		t.Fatal(h)
	}
	if h, p, err := SplitHostPort("[::1]:80"); h != "::1" || p != 80 || err != nil {
		t.Fatal(h, p, err)
	}
	if _, _, err := SplitHostPort("h:70000"); err == nil || err.Error() != "port out of range: 70000" {
		t.Fatal(err)
	}
}

// TestDualStack connects an AF_INET6 socket to an IPv4 server.
func TestDualStack(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	c := open(t, tb, unix.AF_INET6, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	_, from, err := ln.Accept(ctx)
	if err != nil || from.IP != lo4 {
		t.Fatalf("accept from %v, %v", from, err)
	}
	if ra, _ := c.RemoteAddr(); ra.String() != "[::ffff:127.0.0.1]:"+strconv.Itoa(la.Port) {
		t.Fatalf("RemoteAddr %v", ra)
	}
}
