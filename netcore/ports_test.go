package netcore

import (
	"slices"
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
