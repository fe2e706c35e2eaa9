package netcore

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestStateErrors(t *testing.T) {
	ctx := testCtx(t)
	tb := newTable(t)
	any4 := IPAddr(lo4, 0)
	fresh := func() *Socket { return open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0) }
	closed := func() *Socket { s := fresh(); s.Close(); return s }
	ln, la := listen(t, tb, unix.AF_INET)
	cl, _ := pair(t, tb, unix.AF_INET)
	udp := open(t, tb, unix.AF_INET, unix.SOCK_DGRAM, 0)
	for _, tc := range []struct {
		name, want string
		call       func() error
	}{
		{"accept before listen", "accept: socket is not listening",
			func() error { _, _, err := fresh().Accept(ctx); return err }},
		{"listen on udp", "listen: operation not supported",
			func() error { return udp.Listen(5) }},
		{"accept on udp", "accept: operation not supported",
			func() error { _, _, err := udp.Accept(ctx); return err }},
		{"send on closed", "send: closed",
			func() error { _, err := closed().Send(ctx, []byte("x")); return err }},
		{"recv on closed", "recv: closed",
			func() error { _, err := closed().Recv(ctx, make([]byte, 1)); return err }},
		{"bind on closed", "bind 127.0.0.1:0: closed",
			func() error { return closed().Bind(ctx, any4) }},
		{"setsockopt on closed", "setsockopt SO_REUSEADDR: closed",
			func() error { return closed().SetOption(unix.SOL_SOCKET, unix.SO_REUSEADDR, 1) }},
		{"recv before connect", "recv: socket is not connected",
			func() error { _, err := fresh().Recv(ctx, make([]byte, 1)); return err }},
		{"send before connect", "send: socket is not connected",
			func() error { _, err := fresh().Send(ctx, []byte("x")); return err }},
		{"recv on listener", "recv " + la.String() + ": socket is listening",
			func() error { _, err := ln.Recv(ctx, make([]byte, 1)); return err }},
		{"connect on listener", "connect " + la.String() + ": socket is listening",
			func() error { return ln.Connect(ctx, la) }},
		{"bind twice", "bind " + la.String() + ": socket is already bound",
			func() error { return ln.Bind(ctx, la) }},
		{"connect twice", "connect " + la.String() + ": socket is already connected",
			func() error { return cl.Connect(ctx, la) }},
		{"getpeername unconnected", "getpeername: socket is not connected",
			func() error { _, err := fresh().RemoteAddr(); return err }},
		{"raw bind family", "bind [::1]:0: address family not supported by protocol",
			func() error { return fresh().Bind(ctx, IPAddr(lo6, 0)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if s := closed(); s.State() != StateClosed || s.KernelState() != "CLOSED" {
		t.Fatalf("closed socket state %s/%s", s.State(), s.KernelState())
	}
}
