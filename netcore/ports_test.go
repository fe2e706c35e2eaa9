package netcore

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestPortsRemembersClosed: Ports lists the open sockets' ports, and those
// of sockets closed while a watch is on, until the last watch stops.
func TestPortsRemembersClosed(t *testing.T) {
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	u := open(t, tb, unix.AF_UNIX, unix.SOCK_STREAM, 0) // no port
	defer u.Close()
	if got := tb.Ports(); !slices.Equal(got, []int{la.Port}) {
		t.Fatalf("Ports %v, want [%d]", got, la.Port)
	}
	stop := tb.WatchPorts()
	stop2 := tb.WatchPorts()
	ln.Close()
	if got := tb.Ports(); !slices.Equal(got, []int{la.Port}) {
		t.Fatalf("after close under a watch: Ports %v, want [%d]", got, la.Port)
	}
	stop()
	stop() // a second call does nothing
	if got := tb.Ports(); !slices.Equal(got, []int{la.Port}) {
		t.Fatalf("one watch still on: Ports %v, want [%d]", got, la.Port)
	}
	stop2()
	if got := tb.Ports(); len(got) != 0 {
		t.Fatalf("no watch: Ports %v, want none", got)
	}
	ln2, _ := listen(t, tb, unix.AF_INET)
	ln2.Close()
	if got := tb.Ports(); len(got) != 0 {
		t.Fatalf("closed without a watch: Ports %v, want none", got)
	}
}

// TestEndpoints: a listener is its local address alone, a connected
// stream and its accepted peer are both addresses, and a connected socket
// closed under a watch keeps its peer (its FIN must not match another
// connection that reuses the port).
func TestEndpoints(t *testing.T) {
	tb := newTable(t)
	ln, la := listen(t, tb, unix.AF_INET)
	defer ln.Close()
	stop := tb.WatchPorts()
	defer stop()
	ctx := context.Background()
	c := open(t, tb, unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := c.Connect(ctx, la); err != nil {
		t.Fatal(err)
	}
	a, _, err := ln.Accept(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ca, _ := c.LocalAddr()
	lap := netip.AddrPortFrom(la.IP, uint16(la.Port))
	cp := netip.AddrPortFrom(ca.IP, uint16(ca.Port))
	want := []Endpoint{
		{unix.IPPROTO_TCP, lap, netip.AddrPort{}},
		{unix.IPPROTO_TCP, cp, lap},
		{unix.IPPROTO_TCP, lap, cp},
	}
	sortEps := func(es []Endpoint) []Endpoint {
		slices.SortFunc(es, func(x, y Endpoint) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
		return es
	}
	if got := sortEps(tb.Endpoints()); !slices.Equal(got, sortEps(want)) {
		t.Fatalf("Endpoints %v, want %v", got, want)
	}
	c.Close()
	if got := sortEps(tb.Endpoints()); !slices.Equal(got, sortEps(want)) {
		t.Fatalf("after close under a watch: Endpoints %v, want %v", got, want)
	}
}
